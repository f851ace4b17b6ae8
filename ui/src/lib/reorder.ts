// The arithmetic of reordering, apart from the DOM: where a dragged row lands, a move by one
// place, and how the order of the rows one list shows becomes the order of every account.

/** The place a dragged row takes among the others: before the first whose middle is below
 *  the dragged row's middle. `middles` are the other rows' middles, top to bottom. */
export function slotFor(draggedMiddle: number, middles: readonly number[]): number {
  return middles.filter((middle) => middle < draggedMiddle).length;
}

/** `ids` with `id` put at `slot` among the others. */
export function placeAt(ids: readonly string[], id: string, slot: number): string[] {
  const others = ids.filter((other) => other !== id);
  const at = Math.max(0, Math.min(slot, others.length));
  return [...others.slice(0, at), id, ...others.slice(at)];
}

/** `ids` with `id` one place up (-1) or down (+1); unchanged at either end. */
export function moveByOne(ids: readonly string[], id: string, step: -1 | 1): string[] {
  const from = ids.indexOf(id);
  if (from < 0) return [...ids];
  return placeAt(ids, id, from + step);
}

/** Every account in order, after a list that shows some of them (one container's, or those a
 *  search matches) was rearranged to `shown`: the shown accounts swap among the places they
 *  held, and every other account keeps its place. Ids in `shown` that are not in `all`, and
 *  repeats, are ignored. */
export function arrangeShown<T extends { id: string }>(all: readonly T[], shown: readonly string[]): T[] {
  const byId = new Map(all.map((item) => [item.id, item]));
  const members = [...new Set(shown)].filter((id) => byId.has(id));
  const isMember = new Set(members);
  let next = 0;
  return all.map((item) => {
    if (!isMember.has(item.id)) return item;
    const placed = byId.get(members[next] ?? item.id) ?? item;
    next += 1;
    return placed;
  });
}

export function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
