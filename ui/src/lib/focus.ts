// Where focus goes when something new takes the screen: onto it, so that a screen reader says
// it at once and the next Tab goes on from there.

/** Svelte action: focuses the element as it appears. Give it tabindex="-1" unless it is a
 *  control already. */
export function startHere(node: HTMLElement): void {
  node.focus({ preventScroll: true });
  node.scrollIntoView?.({ block: 'nearest' });
}
