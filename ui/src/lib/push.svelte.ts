// Login requests: a queue fed by the poller's events (and by what was open at start-up), the
// answer to the first one, and what became of it.
import { api, asIpcError, type IpcError, type Outcome, type PushAnswer, type PushRequest } from './api';
import { onPushRequest } from './api/events';
import { t } from './i18n';
import { Listeners } from './listeners';

const UNLOCK_STEP: readonly IpcError['code'][] = [
  'wrong_passcode',
  'unlock_throttled',
  'unlock_failed',
  'unlock_required',
];

export interface Answered {
  request: PushRequest;
  outcome: Outcome | null;
  error: IpcError | null;
  /** The code to type on the login page, where the server gave one (code-to-phone). */
  displayCode?: string | null;
}

export class PushState {
  queue = $state<PushRequest[]>([]);
  answered = $state<Answered | null>(null);
  busy = $state(false);
  /** Why the unlock step before an Accept did not pass; the request stays on screen. */
  error = $state<IpcError | null>(null);
  #listeners = new Listeners();

  get current(): PushRequest | undefined {
    return this.queue[0];
  }

  async start(): Promise<void> {
    await this.#listeners.add(onPushRequest((request) => this.receive(request)));
    for (const request of await api.openPushRequests()) this.receive(request);
  }

  stop(): void {
    this.#listeners.stop();
  }

  /** Forgets every request: the lock shut (they come back from the Rust side after it opens). */
  clear(): void {
    this.queue = [];
    this.answered = null;
    this.error = null;
  }

  receive(request: PushRequest): void {
    const known = this.queue.some((r) => r.tokenId === request.tokenId && r.nonce === request.nonce);
    if (!known) this.queue = [...this.queue, request];
  }

  /** Drops requests past their time; the one on screen turns into "expired". */
  expire(nowMs: number): void {
    const current = this.current;
    if (current && current.expiresAtMs <= nowMs && !this.busy) {
      this.answered = { request: current, outcome: 'expired', error: null };
    }
    const kept = this.queue.filter((r) => r.expiresAtMs > nowMs || (r === current && this.busy));
    // Only a change is written: the clock's effect calls this every tick, and a new list each
    // time would wake that effect again without end (Svelte stops such a loop with an error,
    // which a flushSync elsewhere then throws).
    if (kept.length !== this.queue.length) this.queue = kept;
  }

  /** Sends the answer; `passcode` is the unlock step an Accept may need first. */
  async answer(answer: PushAnswer, passcode: string | null = null): Promise<void> {
    const request = this.current;
    if (!request || this.busy) return;
    this.busy = true;
    this.error = null;
    let answered = true;
    try {
      const { outcome, displayCode } = await api.answerPush(
        request.tokenId,
        request.nonce,
        answer,
        passcode,
        t('push.confirmReason'),
      );
      this.answered = { request, outcome, error: null, displayCode };
    } catch (error) {
      const failure = asIpcError(error);
      // The unlock step did not pass: nothing was sent, and the user may try again.
      if (UNLOCK_STEP.includes(failure.code)) {
        this.error = failure;
        answered = false;
      } else {
        this.answered = { request, outcome: 'failed', error: failure };
      }
    } finally {
      if (answered) this.queue = this.queue.filter((r) => r !== request);
      this.busy = false;
    }
  }

  dismiss(): void {
    this.answered = null;
  }
}
