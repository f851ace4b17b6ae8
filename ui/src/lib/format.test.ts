import { describe, expect, it } from 'vitest';
import { fractionLeft, groupCode, secondsLeft } from './format';

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
});
