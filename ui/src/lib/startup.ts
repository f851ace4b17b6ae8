// When the first code reached the screen: a performance mark, told to the Rust side with the
// moment the page began to load and the steps on the way there. It writes them down when
// `make bench` asks (tests/bench/startup.rs times start-up from the process's start to them
// and shows where the time goes).
import { api } from './api';

const STEP_PREFIX = 'pocket:';
const FIRST_CODE_MARK = `${STEP_PREFIX}first-code`;

let shown = false;
let stepsTold = false;

/** Marks the first time start-up reaches `step` (a name without spaces); once the steps are
 *  told, none is kept. */
export function markStartupStep(step: string): void {
  const name = STEP_PREFIX + step;
  if (!stepsTold && performance.getEntriesByName(name, 'mark').length === 0) performance.mark(name);
}

/** Call once a code is in the document; marks the first time, after that frame is painted. */
export function markFirstCodeShown(): void {
  if (shown) return;
  shown = true;
  markStartupStep('code-in-document');
  // When the script that put it there has finished: what follows is the frame's own work.
  setTimeout(() => markStartupStep('script-done'));
  // The first frame callback runs before the frame with the code is painted, the second one
  // after it.
  requestAnimationFrame(() => {
    markStartupStep('frame-began');
    requestAnimationFrame(() => {
      stepsTold = true;
      const mark = performance.mark(FIRST_CODE_MARK);
      const pageStarted = performance.timeOrigin;
      api.firstCodeShown(pageStarted + mark.startTime, pageStarted, stepsSoFar(pageStarted)).catch(() => {});
    });
  });
}

/** The page's own steps and when its HTML had loaded, in Unix milliseconds. */
function stepsSoFar(pageStarted: number): [string, number][] {
  const steps: [string, number][] = performance
    .getEntriesByType('mark')
    .filter((mark) => mark.name.startsWith(STEP_PREFIX) && mark.name !== FIRST_CODE_MARK)
    .map((mark) => [`page:${mark.name.slice(STEP_PREFIX.length)}`, pageStarted + mark.startTime]);
  const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
  if (navigation) steps.push(['page:html-loaded', pageStarted + navigation.responseEnd]);
  return steps;
}
