// A long press on a row, as phone apps have it: held still for half a second, it opens the
// row's menu instead of doing what a tap does. The click that ends the press is swallowed.
// A right click and the system's own context-menu gesture (Android's webview sends one for a
// long press) open it too.

/** How long a press is held before it is a long press. */
export const LONG_PRESS_MS = 500;
/** A finger that moves this far is scrolling, not pressing. */
const SLOP_PX = 10;

export function longPress(node: HTMLElement, onlong: () => void) {
  let handler = onlong;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let start: { x: number; y: number } | null = null;
  let swallowClick = false;

  const cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    start = null;
  };
  /** `held`: a press that ends in a click, which is then not a tap. */
  const fire = (held: boolean) => {
    cancel();
    swallowClick = held;
    handler();
  };

  function onpointerdown(event: PointerEvent): void {
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    swallowClick = false;
    start = { x: event.clientX, y: event.clientY };
    timer = setTimeout(() => fire(true), LONG_PRESS_MS);
  }
  function onpointermove(event: PointerEvent): void {
    if (start && Math.hypot(event.clientX - start.x, event.clientY - start.y) > SLOP_PX) cancel();
  }
  function onclick(event: MouseEvent): void {
    if (!swallowClick) return;
    swallowClick = false;
    event.preventDefault();
    event.stopImmediatePropagation();
  }
  function oncontextmenu(event: MouseEvent): void {
    event.preventDefault();
    // Not again when the held press already opened it.
    if (timer !== null) fire(true);
    else if (!swallowClick) fire(false);
  }

  const listeners: [string, (event: never) => void, AddEventListenerOptions?][] = [
    ['pointerdown', onpointerdown],
    ['pointermove', onpointermove],
    ['pointerup', cancel],
    ['pointercancel', cancel],
    ['pointerleave', cancel],
    // Before the element's own click handler.
    ['click', onclick, { capture: true }],
    ['contextmenu', oncontextmenu],
  ];
  for (const [type, listener, options] of listeners)
    node.addEventListener(type, listener as EventListener, options);
  return {
    update(next: () => void) {
      handler = next;
    },
    destroy() {
      cancel();
      for (const [type, listener, options] of listeners)
        node.removeEventListener(type, listener as EventListener, options);
    },
  };
}
