import { describe, expect, it } from 'vitest';
import { fractionLeft, groupCode, secondsLeft, spokenStep, steppedFractionLeft } from './format';

describe('groupCode', () => {
  it.each([
    ['123456', '123 456'],
    ['1234567', '123 4567'],
    ['12345678', '1234 5678'],
    ['2BC4F', '2BC4F'],
  ])('%s → %s', (code, grouped) => {
    expect(groupCode(code)).toBe(grouped);
  });
});

describe('countdown arithmetic', () => {
  it('rounds seconds up and stops at zero', () => {
    expect(secondsLeft(30_000, 0)).toBe(30);
    expect(secondsLeft(30_000, 29_001)).toBe(1);
    expect(secondsLeft(30_000, 31_000)).toBe(0);
  });

  it('empties the ring over the period', () => {
    expect(fractionLeft(0, 30_000, 0)).toBe(1);
    expect(fractionLeft(0, 30_000, 15_000)).toBe(0.5);
    expect(fractionLeft(0, 30_000, 45_000)).toBe(0);
  });

  it('steps the ring with the number when motion is reduced', () => {
    expect(steppedFractionLeft(0, 30_000, 0)).toBe(1);
    // Anywhere within a second the ring stands still, where the number says 15.
    expect(steppedFractionLeft(0, 30_000, 15_000)).toBe(0.5);
    expect(steppedFractionLeft(0, 30_000, 15_500)).toBe(0.5);
    expect(steppedFractionLeft(0, 30_000, 15_999)).toBe(0.5);
    expect(steppedFractionLeft(0, 30_000, 45_000)).toBe(0);
    expect(steppedFractionLeft(5, 5, 0)).toBe(0);
  });
});

describe('spokenStep', () => {
  it('changes only as the time left passes a few steps', () => {
    const heard = new Set(Array.from({ length: 121 }, (_, left) => spokenStep(left)));
    expect([...heard]).toEqual([10, 30, 60, 120]);
    expect(spokenStep(90)).toBe(120);
    expect(spokenStep(30)).toBe(30);
    expect(spokenStep(29)).toBe(30);
    expect(spokenStep(5000)).toBe(5100);
  });
});
