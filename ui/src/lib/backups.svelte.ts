// Automatic backups as the screens see them: the status from the Rust side, kept fresh by its
// events, and the changes the user makes in Settings.
import { api, asIpcError, type BackupStatus, type IpcError } from './api';
import { onBackupStatus } from './api/events';
import { t } from './i18n';
import { Listeners } from './listeners';
import { unlockStep } from './unlockStep.svelte';

export class BackupsState {
  status = $state<BackupStatus | null>(null);
  /** The last change the user asked for that failed (shown beside the control). */
  error = $state<IpcError | null>(null);
  busy = $state(false);
  /** The first read has ended, read or not. */
  loaded = $state(false);
  #listeners = new Listeners();

  /** Backups are on and the last try failed: the home screen says so until one succeeds. */
  get failing(): boolean {
    return Boolean(this.status?.enabled && this.status.lastError);
  }

  async start(): Promise<void> {
    await this.#listeners.add(onBackupStatus((status) => (this.status = status)));
    try {
      this.status = await api.backupStatus();
    } catch (caught) {
      this.error = asIpcError(caught);
    } finally {
      this.loaded = true;
    }
  }

  stop(): void {
    this.#listeners.stop();
  }

  /** Runs one change; its result replaces the status, its error shows until the next one. */
  async #change(step: () => Promise<BackupStatus | null>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      this.status = (await step()) ?? this.status;
      return true;
    } catch (caught) {
      this.error = asIpcError(caught);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Where every secret goes: the unlock step first. False also when the user cancelled it. */
  async chooseFolder(title: string): Promise<boolean> {
    const passcode = await unlockStep.ask();
    if (passcode === undefined) return false;
    return this.#change(() => api.chooseBackupFolder(title, passcode, t('lock.reason')));
  }

  setEnabled(enabled: boolean): Promise<boolean> {
    return this.#change(() => api.setBackups(enabled, this.status?.keep ?? 10));
  }

  setKeep(keep: number): Promise<boolean> {
    return this.#change(() => api.setBackups(this.status?.enabled ?? false, keep));
  }

  /** `current` is the password set now, when there is one; the unlock step comes first. */
  async setPassword(current: string | null, password: string): Promise<boolean> {
    const passcode = await unlockStep.ask();
    if (passcode === undefined) return false;
    return this.#change(() => api.setBackupPassword(current, password, passcode, t('lock.reason')));
  }

  backUpNow(): Promise<boolean> {
    return this.#change(() => api.backUpNow());
  }
}
