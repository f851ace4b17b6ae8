// The app lock as the UI sees it: whether Pocket is shut (the Rust side decides and refuses
// everything else while it is), the lock screen's unlock, and the user's activity, reported
// so that the idle time starts again.
import { api, asIpcError, type IpcError, type LockStatus } from './api';
import { onLockChanged, onPushWaiting } from './api/events';
import { Listeners } from './listeners';
import { t } from './i18n';

/** Activity is reported at most this often: the idle time is counted in tens of seconds. */
const ACTIVITY_EVERY_MS = 5000;

export class LockState {
  status = $state<LockStatus | null>(null);
  error = $state<IpcError | null>(null);
  busy = $state(false);
  /** When the next passcode may be tried, after wrong ones (Unix ms, this device's clock). */
  retryAtMs = $state(0);
  #listeners = new Listeners();
  #lastActivity = 0;
  #onActivity = () => this.activity();

  get locked(): boolean {
    return this.status?.locked ?? false;
  }

  /** Reads the state, unless it is `known` already; `onChange` hears every shut and open
   *  after that. Without an answer (a vault that did not open) there is no lock screen: the
   *  home screen says what is wrong. */
  async start(onChange: (locked: boolean) => void, known: LockStatus | null = null): Promise<void> {
    if (known) this.status = known;
    // Together: each is a round trip to the Rust side, and the first screen waits for all.
    await Promise.all([
      known
        ? null
        : this.refresh().catch(() => {
            this.status = null;
          }),
      this.#listeners.add(
        onLockChanged((locked) => {
          void this.refresh().finally(() => onChange(locked));
        }),
      ),
      this.#listeners.add(
        onPushWaiting(() => {
          if (this.status) this.status = { ...this.status, requestWaiting: true };
        }),
      ),
    ]);
    if (known) {
      // A change before the listeners were there would go unheard: read the state again.
      const was = this.locked;
      await this.refresh().catch(() => {});
      if (this.locked !== was) onChange(this.locked);
    }
    for (const type of ['pointerdown', 'keydown']) window.addEventListener(type, this.#onActivity);
  }

  stop(): void {
    this.#listeners.stop();
    for (const type of ['pointerdown', 'keydown']) window.removeEventListener(type, this.#onActivity);
  }

  async refresh(): Promise<void> {
    this.status = await api.lockStatus();
    if (this.status.waitSeconds > 0) this.retryAtMs = Date.now() + this.status.waitSeconds * 1000;
  }

  activity(): void {
    const now = Date.now();
    if (this.locked || now - this.#lastActivity < ACTIVITY_EVERY_MS) return;
    this.#lastActivity = now;
    void api.noteActivity();
  }

  /** Opens the lock; true when it opened. */
  async unlock(passcode: string | null): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      await api.unlock(passcode, t('lock.reason'));
      await this.refresh();
      return true;
    } catch (error) {
      this.error = asIpcError(error);
      await this.refresh();
      return false;
    } finally {
      this.busy = false;
    }
  }

  async lockNow(): Promise<void> {
    await api.lockNow();
    await this.refresh();
  }
}
