// Start-up's sequence, owned here: when the first rows' codes are painted (what else the home
// screen shows waits for that), and when the first code reached the screen: a performance
// mark, told to the Rust side with the moment the page began to load and the steps on the way
// there. It writes them down when `make bench` asks (tests/bench/startup.rs times start-up
// from the process's start to them and shows where the time goes).
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

/** Settles once the frame being prepared now is painted: the first frame callback runs
 *  before that frame (`onFrame` runs then), the second after it. */
export function afterPaint(onFrame?: () => void): Promise<void> {
  return new Promise((painted) =>
    requestAnimationFrame(() => {
      onFrame?.();
      requestAnimationFrame(() => painted());
    }),
  );
}

/** The first rows' codes on screen: until they are painted, nothing else takes the page's
 *  time (App.svelte makes the home screen's other panels, and the list its other rows, after). */
class FirstCodes {
  /** The first rows' codes are drawn (or could not be read). */
  drawn = $state(false);
  /** Settles when `drawn` turns true after a load. */
  painted: Promise<void> = Promise.resolve();

  /** The list and its first codes are in the document; `stillLoaded` says, once the frame
   *  is painted, whether they still are (the lock may have shut meanwhile). */
  settle(stillLoaded: () => boolean): void {
    this.painted = afterPaint().then(() => {
      this.drawn = stillLoaded();
    });
  }

  /** The lists were emptied: the next load paints its first codes again. */
  reset(): void {
    this.drawn = false;
  }
}

export const firstCodes = new FirstCodes();

/** Call once a code is in the document; marks the first time, after that frame is painted. */
export function markFirstCodeShown(): void {
  if (shown) return;
  shown = true;
  markStartupStep('code-in-document');
  // When the script that put it there has finished: what follows is the frame's own work.
  setTimeout(() => markStartupStep('script-done'));
  void afterPaint(() => markStartupStep('frame-began')).then(() => {
    stepsTold = true;
    const mark = performance.mark(FIRST_CODE_MARK);
    const pageStarted = performance.timeOrigin;
    api.firstCodeShown(pageStarted + mark.startTime, pageStarted, stepsSoFar(pageStarted)).catch(() => {});
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
