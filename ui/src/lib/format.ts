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

/** Where a countdown is read aloud: the first of these at or above the seconds left. */
const SPOKEN_STEPS = [10, 30, 60, 120, 300] as const;
/** Past the last step, whole five minutes. */
const LONG_STEP = 300;

/** The seconds left as a reader hears them, "less than" a step: the text (and a live region
 *  holding it) changes a few times in a countdown, not every second. */
export function spokenStep(left: number): number {
  return SPOKEN_STEPS.find((step) => left <= step) ?? Math.ceil(left / LONG_STEP) * LONG_STEP;
}
