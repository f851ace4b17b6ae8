import { afterAll, describe, expect, it, vi } from 'vitest';

// The browser's observer, played by hand: the test says what is in view.
let report: (entries: { target: Element; isIntersecting: boolean }[]) => void = () => {};
const observed = new Set<Element>();
class FakeObserver {
  constructor(
    callback: typeof report,
    public options: { rootMargin: string },
  ) {
    report = callback;
    expect(options.rootMargin).toBe('100% 0px');
  }
  observe(el: Element) {
    observed.add(el);
  }
  unobserve(el: Element) {
    observed.delete(el);
  }
}
vi.stubGlobal('IntersectionObserver', FakeObserver);
afterAll(() => vi.unstubAllGlobals());

const { onScreen } = await import('./onscreen');

describe('onScreen', () => {
  it('tells when an element comes near the screen and leaves it, once each', () => {
    const row = document.createElement('li');
    const other = document.createElement('li');
    const told: boolean[] = [];
    const watch = onScreen(row, (near) => told.push(near));
    onScreen(other, () => {});
    expect(told).toEqual([]);
    report([{ target: row, isIntersecting: true }]);
    report([
      { target: row, isIntersecting: true },
      { target: other, isIntersecting: true },
    ]);
    expect(told).toEqual([true]);
    report([{ target: row, isIntersecting: false }]);
    expect(told).toEqual([true, false]);
    report([{ target: row, isIntersecting: true }]);
    watch.destroy();
    expect(told).toEqual([true, false, true, false]);
    expect(observed.has(row)).toBe(false);
    report([{ target: row, isIntersecting: true }]); // gone: not told any more
    expect(told).toEqual([true, false, true, false]);
  });
});
