// Login requests: a queue fed by the poller's events (and by what was open at start-up), the
// answer to the first one, and what became of it.
import type { UnlistenFn } from './api/events';
import { api, asIpcError, type IpcError, type Outcome, type PushAnswer, type PushRequest } from './api';
import { onPushRequest } from './api/events';

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
  #unlisten: UnlistenFn | null = null;

  get current(): PushRequest | undefined {
    return this.queue[0];
  }

  async start(): Promise<void> {
    this.#unlisten = await onPushRequest((request) => this.receive(request));
    for (const request of await api.openPushRequests()) this.receive(request);
  }

  stop(): void {
    this.#unlisten?.();
    this.#unlisten = null;
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
    this.queue = this.queue.filter((r) => r.expiresAtMs > nowMs || (r === current && this.busy));
  }

  async answer(answer: PushAnswer): Promise<void> {
    const request = this.current;
    if (!request || this.busy) return;
    this.busy = true;
    try {
      const { outcome, displayCode } = await api.answerPush(request.tokenId, request.nonce, answer);
      this.answered = { request, outcome, error: null, displayCode };
    } catch (error) {
      this.answered = { request, outcome: 'failed', error: asIpcError(error) };
    } finally {
      this.queue = this.queue.filter((r) => r !== request);
      this.busy = false;
    }
  }

  dismiss(): void {
    this.answered = null;
  }
}
