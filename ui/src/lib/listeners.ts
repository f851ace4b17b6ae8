// The event listeners a state holds between its start and its stop. Registering one is a
// round trip to the Rust side; a stop that comes before it finishes must still remove it, or
// the listener outlives its state and acts on a screen that is gone.
import type { UnlistenFn } from './api/events';

export class Listeners {
  #held: UnlistenFn[] = [];
  /** Counts the stops: a registration started before the latest one is removed on arrival. */
  #stops = 0;

  /** Holds the listener `registering` makes, once it is made; returns when it is. */
  async add(registering: Promise<UnlistenFn>): Promise<void> {
    const startedAt = this.#stops;
    const unlisten = await registering;
    if (startedAt === this.#stops) this.#held.push(unlisten);
    else unlisten();
  }

  /** Removes every listener held, and every one still being made as soon as it is. */
  stop(): void {
    this.#stops += 1;
    for (const unlisten of this.#held.splice(0)) unlisten();
  }
}
