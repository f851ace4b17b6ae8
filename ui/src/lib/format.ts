/** Groups a code for reading aloud and typing: `123 456`, `1234 5678`, `123 4567`. */
export function groupCode(code: string): string {
  if (!/^\d+$/.test(code) || code.length < 6) return code;
  const half = Math.floor(code.length / 2);
  return `${code.slice(0, half)} ${code.slice(half)}`;
}

/** Seconds left until `untilMs`, rounded up, never negative. */
export function secondsLeft(untilMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((untilMs - nowMs) / 1000));
}

/** The share of the period still left, from 1 (fresh) to 0 (expired). */
export function fractionLeft(fromMs: number, untilMs: number, nowMs: number): number {
  const span = untilMs - fromMs;
  if (span <= 0) return 0;
  return Math.min(1, Math.max(0, (untilMs - nowMs) / span));
}

/** The share left in whole seconds, in step with the number shown (for reduced motion). */
export function steppedFractionLeft(fromMs: number, untilMs: number, nowMs: number): number {
  const span = untilMs - fromMs;
  if (span <= 0) return 0;
  return Math.min(1, (secondsLeft(untilMs, nowMs) * 1000) / span);
}
