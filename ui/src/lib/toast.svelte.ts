// One short message at a time, at the bottom of the screen.
const SHOW_MS = 2000;

class Toast {
  message = $state<string | null>(null);
  #timer: ReturnType<typeof setTimeout> | null = null;

  show(message: string): void {
    this.message = message;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => (this.message = null), SHOW_MS);
  }
}

export const toast = new Toast();
