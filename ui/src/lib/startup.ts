// When the first code reached the screen: a performance mark, told to the Rust side with the
// moment the page began to load. It writes both down when `make bench` asks
// (tests/bench/startup.rs times start-up from the process's start to them).
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
      const pageStarted = performance.timeOrigin;
      api.firstCodeShown(pageStarted + mark.startTime, pageStarted).catch(() => {});
    }),
  );
}
