// Whether an element is on screen or near it (up to a screen's height above or below), for
// work only what the user can see needs: a long list fetches the codes of its rows in view.
// One observer watches every element.

const NEAR = '100% 0px';

const watchers = new WeakMap<Element, (near: boolean) => void>();
let observer: IntersectionObserver | null = null;

function shared(): IntersectionObserver | null {
  if (typeof IntersectionObserver === 'undefined') return null;
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) watchers.get(entry.target)?.(entry.isIntersecting);
    },
    { rootMargin: NEAR },
  );
  return observer;
}

/** Calls `near(true)` when the element comes on screen or near it, `near(false)` when it
 *  leaves or is removed. Without an IntersectionObserver, everything counts as near. */
export function onScreen(node: Element, near: (near: boolean) => void) {
  const io = shared();
  let told = false;
  const tell = (now: boolean) => {
    if (now !== told) near((told = now));
  };
  if (io) {
    watchers.set(node, tell);
    io.observe(node);
  } else {
    tell(true);
  }
  return {
    destroy() {
      io?.unobserve(node);
      watchers.delete(node);
      tell(false);
    },
  };
}
