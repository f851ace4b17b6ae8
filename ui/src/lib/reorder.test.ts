import { describe, expect, it } from 'vitest';
import { arrangeShown, moveByOne, placeAt, slotFor } from './reorder';

const items = (...ids: string[]) => ids.map((id) => ({ id }));
const idsOf = (list: { id: string }[]) => list.map((item) => item.id);

describe('reorder', () => {
  it('lands a dragged row before the first row whose middle it has not passed', () => {
    const middles = [50, 150, 250];
    expect(slotFor(10, middles)).toBe(0);
    expect(slotFor(149, middles)).toBe(1);
    expect(slotFor(151, middles)).toBe(2);
    expect(slotFor(900, middles)).toBe(3);
  });

  it('places an id among the others, clamped to the ends', () => {
    expect(placeAt(['a', 'b', 'c'], 'c', 0)).toEqual(['c', 'a', 'b']);
    expect(placeAt(['a', 'b', 'c'], 'a', 1)).toEqual(['b', 'a', 'c']);
    expect(placeAt(['a', 'b', 'c'], 'a', 9)).toEqual(['b', 'c', 'a']);
    expect(placeAt(['a', 'b', 'c'], 'b', -3)).toEqual(['b', 'a', 'c']);
  });

  it('moves one place, and not past either end', () => {
    expect(moveByOne(['a', 'b', 'c'], 'b', -1)).toEqual(['b', 'a', 'c']);
    expect(moveByOne(['a', 'b', 'c'], 'b', 1)).toEqual(['a', 'c', 'b']);
    expect(moveByOne(['a', 'b', 'c'], 'a', -1)).toEqual(['a', 'b', 'c']);
    expect(moveByOne(['a', 'b', 'c'], 'c', 1)).toEqual(['a', 'b', 'c']);
    expect(moveByOne(['a', 'b'], 'x', 1)).toEqual(['a', 'b']);
  });

  it('rearranges the accounts a list shows among their own places, the others staying put', () => {
    // A search shows b, d and e; e is dragged to the top of what is shown.
    const all = items('a', 'b', 'c', 'd', 'e', 'f');
    expect(idsOf(arrangeShown(all, ['e', 'b', 'd']))).toEqual(['a', 'e', 'c', 'b', 'd', 'f']);
    // The whole list.
    expect(idsOf(arrangeShown(all, ['f', 'e', 'd', 'c', 'b', 'a']))).toEqual(['f', 'e', 'd', 'c', 'b', 'a']);
  });

  it('never loses or repeats an account, whatever the list says', () => {
    const all = items('a', 'b', 'c');
    expect(idsOf(arrangeShown(all, ['c', 'ghost', 'c', 'a']))).toEqual(['c', 'b', 'a']);
    expect(idsOf(arrangeShown(all, []))).toEqual(['a', 'b', 'c']);
  });
});
