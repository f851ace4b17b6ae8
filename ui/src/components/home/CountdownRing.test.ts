import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import CountdownRing from './CountdownRing.svelte';
import { motion } from '../../lib/motion.svelte';

afterEach(() => {
  cleanup();
  motion.reduced = false;
});

function offsetAt(nowMs: number): number {
  render(CountdownRing, { fromMs: 0, untilMs: 30_000, nowMs });
  const left = screen.getByTestId('countdown').querySelector('circle.left');
  const offset = Number(left?.getAttribute('stroke-dashoffset'));
  cleanup();
  return offset;
}

describe('CountdownRing', () => {
  it('sweeps smoothly, and turns red in the last five seconds', () => {
    expect(offsetAt(14_200)).toBeGreaterThan(offsetAt(14_001));
    render(CountdownRing, { fromMs: 0, untilMs: 30_000, nowMs: 25_500 });
    expect(screen.getByTestId('countdown').classList.contains('ending')).toBe(true);
    // Drawn only: the row says the time left when asked; no timer ticks in the tree.
    expect(screen.getByTestId('countdown').getAttribute('aria-hidden')).toBe('true');
    expect(screen.getByTestId('countdown').dataset.left).toBe('5');
    expect(screen.queryByRole('timer')).toBeNull();
  });

  it('stands still within each second and does not glide when motion is reduced', () => {
    motion.reduced = true;
    expect(offsetAt(14_200)).toBe(offsetAt(14_001));
    expect(offsetAt(14_200)).toBeLessThan(offsetAt(15_200));
    render(CountdownRing, { fromMs: 0, untilMs: 30_000, nowMs: 1_000 });
    expect(screen.getByTestId('countdown').querySelector('svg')?.classList.contains('still')).toBe(true);
  });
});
