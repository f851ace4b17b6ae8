// When the first code reached the screen: a performance mark, and told to the Rust side,
// which writes it down when `make bench` asks (tests/bench/startup.rs times start-up from the
// process's start to this).
import { api } from './api';

const FIRST_CODE_MARK = 'pocket:first-code';

let marked = false;

/** Call once a code is in the document; marks the first time, after that frame is painted. */
export function markFirstCodeShown(): void {
  if (marked) return;
  marked = true;
  // The first frame callback runs before the frame with the code is painted, the second one
  // after it.
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      const mark = performance.mark(FIRST_CODE_MARK);
      api.firstCodeShown(performance.timeOrigin + mark.startTime).catch(() => {});
    }),
  );
}
