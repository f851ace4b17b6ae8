// What the account rows on screen show beside the names: their codes, kept fresh (fetched
// again as soon as one expires, only for the rows on screen), and imported images.
import { api, asIpcError, type AccountCode, type Codes, type IpcError } from './api';

const TICK_MS = 250;
const RETRY_FAILED_MS = 5000;

export class CodesState {
  // Replaced whole, never changed in place: plain (raw) state, so a thousand codes do not
  // each get a reactive proxy at start-up.
  /** The codes held, by account id. */
  byId = $state.raw<Record<string, AccountCode>>({});
  /** Why the last fetch failed; null after one that worked. */
  error = $state<IpcError | null>(null);
  /** Codes show as dots until tapped (Settings → Lock and privacy). */
  hideCodes = $state(false);
  /** Now, on the Rust side's clock, in Unix milliseconds. */
  now = $state(Date.now());
  /** Imported images by account id, read as their rows come on screen. */
  icons = $state<Record<string, string>>({});

  #clockOffset = 0;
  #lastFetch = 0;
  #fetching: Promise<void> | null = null;
  #again = false;
  #fetchQueued = false;
  // Bookkeeping that nothing renders: plain collections, not reactive ones.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #iconsAsked = new Set<string>();
  /** How many places show each account's code now. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #shown = new Map<string, number>();
  #timer: ReturnType<typeof setInterval> | null = null;

  /** Codes as the Rust side computed them: they replace the ones held, or join them. */
  took(result: Codes, join: boolean): void {
    this.#clockOffset = result.nowMs - Date.now();
    this.#lastFetch = result.nowMs;
    this.now = result.nowMs;
    const codes = Object.fromEntries(result.codes.map((code) => [code.id, code]));
    this.byId = join ? { ...this.byId, ...codes } : codes;
  }

  /** Fetches the codes of the accounts on screen; while a fetch is under way, a call waits
   *  for it and one more follows if rows came on screen meanwhile. */
  refresh(): Promise<void> {
    this.#again = this.#fetching !== null;
    this.#fetching ??= (async () => {
      try {
        do {
          this.#again = false;
          const result = await api.accountCodes([...this.#shown.keys()]);
          this.took(result, false);
          this.error = null;
        } while (this.#again);
      } catch (error) {
        this.error = asIpcError(error);
        this.#lastFetch = this.now;
      } finally {
        this.#fetching = null;
      }
    })();
    return this.#fetching;
  }

  /** The account's code is on screen (a row in view, the pairing notice) until the returned
   *  function is called. Only codes on screen are fetched: a keychain read each, the first
   *  time, which a list of a thousand accounts cannot afford all at once. */
  show(id: string): () => void {
    this.#shown.set(id, (this.#shown.get(id) ?? 0) + 1);
    if (!this.byId[id] && !this.#fetchQueued) {
      // After the rest of this batch: rows come on screen together, and go in one fetch.
      this.#fetchQueued = true;
      queueMicrotask(() => {
        this.#fetchQueued = false;
        void this.refresh();
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#shown.get(id) ?? 1) - 1;
      if (left > 0) this.#shown.set(id, left);
      else this.#shown.delete(id);
    };
  }

  /** Reads the account's imported image, once (again after a failure). */
  async loadIcon(id: string): Promise<void> {
    if (this.#iconsAsked.has(id)) return;
    this.#iconsAsked.add(id);
    await api
      .accountIcon(id)
      .then((url) => {
        if (url) this.icons[id] = url;
      })
      .catch(() => this.#iconsAsked.delete(id));
  }

  /** Advances the clock; fetches codes when one on screen expired or is missing, or a
   *  failed one is due a retry. */
  tick(): void {
    this.now = Date.now() + this.#clockOffset;
    const shown = [...this.#shown.keys()].map((id) => this.byId[id]);
    // A missing code is fetched at once, unless fetching fails: then it waits for the retry.
    const due = shown.some((c) =>
      c === undefined ? this.error === null : c.validUntilMs !== null && c.validUntilMs <= this.now,
    );
    const retry =
      (shown.some((c) => c?.error) || this.error !== null) && this.now - this.#lastFetch >= RETRY_FAILED_MS;
    if (due || retry) void this.refresh();
  }

  start(): void {
    this.#timer ??= setInterval(() => this.tick(), TICK_MS);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** The account is gone: its code with it. */
  forget(id: string): void {
    const { [id]: _gone, ...rest } = this.byId;
    this.byId = rest;
  }

  /** Forgets every code and image: the lock shut. */
  clear(): void {
    this.byId = {};
    this.icons = {};
    this.#iconsAsked.clear();
  }
}
