// The webview's own camera (getUserMedia), which the scanner reads on Android and desktop:
// asking for it, holding it, and sending its frames to the Rust side one at a time until one
// holds a code. What it reaches outside (the camera, the IPC, storage, the canvas, the clock)
// comes in as dependencies, so the tests run it without a camera.
import { api, type FramePlan, type ScanCapabilities, type ScanReport } from './api';
import { canvasGrab, frameSize, toLuma, type Grab } from './frame';

/** `asking`: the permission request is open; `refused`: the user said no; `blocked`: the
 *  system says no without asking; `none`: no camera to use; `found`: a frame held a code. */
export type CameraStatus = 'idle' | 'asking' | 'live' | 'refused' | 'blocked' | 'none' | 'found';

export interface CameraDeps {
  /** The webview's getUserMedia; undefined where it has none. */
  getUserMedia: ((constraints: MediaStreamConstraints) => Promise<MediaStream>) | undefined;
  api: Pick<typeof api, 'scanFrame' | 'openAppSettings'>;
  /** Where refusals are counted, across app starts; null where there is no storage. */
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  grab: Grab;
  now: () => number;
}

// What phone cameras add to the standard track settings (Image Capture), not in the DOM types.
type CameraCapabilities = MediaTrackCapabilities & { focusMode?: string[]; torch?: boolean };
type CameraConstraintSet = MediaTrackConstraintSet & { focusMode?: string; torch?: boolean };

// The back camera where there is one; 720p is plenty for a reduced frame, and no more work.
const CONSTRAINTS: MediaStreamConstraints = {
  video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
  audio: false,
};

/** A refusal sooner than this after asking came without a dialog: nobody reads and answers
 *  one that fast, so the system refused on its own (Android, once refused for good). */
const NO_DIALOG_MS = 300;

/** Refusals since the camera was last granted: the second means the system stops asking. */
const REFUSALS_KEY = 'pocket.camera.refusals';

function browserDeps(): CameraDeps {
  const devices = globalThis.navigator?.mediaDevices;
  let storage: Storage | null = null;
  try {
    storage = globalThis.localStorage ?? null;
  } catch {
    // Storage turned off: refusals go uncounted.
  }
  return {
    getUserMedia: devices?.getUserMedia ? (constraints) => devices.getUserMedia(constraints) : undefined,
    api,
    storage,
    grab: canvasGrab(),
    now: () => Date.now(),
  };
}

function isRefusal(error: unknown): boolean {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  return name === 'NotAllowedError' || name === 'SecurityError';
}

export class CameraState {
  state = $state<CameraStatus>('idle');
  /** The camera has a light the app can turn on. */
  torchAvailable = $state(false);
  torchOn = $state(false);

  readonly #plan: FramePlan;
  readonly #binary: boolean;
  readonly #onfound: (report: ScanReport) => void;
  readonly #deps: CameraDeps;
  #video: HTMLVideoElement | null = null;
  #stream: MediaStream | null = null;
  #track: MediaStreamTrack | null = null;
  /** Bumped whenever the camera is let go: what was started before then is dropped. */
  #run = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #lastFrameAt = -Infinity;
  #hidden = false;
  /** Take the camera again when the page shows again. */
  #resume = false;

  /** `onfound` gets the report of the first frame that holds a code; the camera is let go. */
  constructor(
    capabilities: ScanCapabilities,
    onfound: (report: ScanReport) => void,
    deps: Partial<CameraDeps> = {},
  ) {
    this.#plan = capabilities.frames;
    this.#binary = capabilities.binaryFrames;
    this.#onfound = onfound;
    this.#deps = { ...browserDeps(), ...deps };
  }

  /** The video element the camera plays in, and frames are taken from. */
  attach(video: HTMLVideoElement): void {
    this.#video = video;
  }

  /** Asks for the camera and, once it plays, scans its frames. */
  async start(): Promise<void> {
    if (this.state === 'asking' || this.state === 'live') return;
    this.#release();
    const run = this.#run;
    const { getUserMedia, now } = this.#deps;
    if (!getUserMedia) {
      this.state = 'none';
      return;
    }
    this.state = 'asking';
    const askedAt = now();
    let stream: MediaStream;
    try {
      stream = await getUserMedia(CONSTRAINTS);
    } catch (error) {
      // Counted even when the scanner was closed meanwhile: the system remembers it too.
      const refused = isRefusal(error);
      const blocked = refused && (this.#countRefusal() >= 2 || now() - askedAt < NO_DIALOG_MS);
      if (run === this.#run) this.state = refused ? (blocked ? 'blocked' : 'refused') : 'none';
      return;
    }
    this.#setRefusals(0);
    if (run !== this.#run || this.#hidden) {
      // Closed, or the app went to the background, while the camera was being granted.
      for (const track of stream.getTracks()) track.stop();
      if (run === this.#run) {
        this.state = 'idle';
        this.#resume = true;
      }
      return;
    }
    this.#stream = stream;
    this.#track = stream.getVideoTracks()[0] ?? null;
    // The camera unplugged, or taken by another app: no frozen picture, say so.
    this.#track?.addEventListener?.('ended', () => {
      if (run !== this.#run) return;
      this.#release();
      this.state = 'none';
    });
    this.#prepare(this.#track);
    this.state = 'live';
    const video = this.#video;
    if (video) {
      video.srcObject = stream;
      try {
        await video.play();
      } catch {
        // Autoplay starts it anyway, or the camera was let go meanwhile.
      }
    }
    if (run === this.#run) this.#next(run);
  }

  /** Lets the camera go (Cancel, the scanner closed); a frame's late answer is dropped. */
  stop(): void {
    this.#release();
    this.#resume = false;
    if (this.state !== 'found') this.state = 'idle';
  }

  /** The page was hidden (the app went to the background) or shows again: the camera is let
   *  go while hidden, and taken again when the page shows. */
  setHidden(hidden: boolean): void {
    this.#hidden = hidden;
    if (hidden && this.state === 'live') {
      this.stop();
      this.#resume = true;
    } else if (!hidden && this.#resume) {
      this.#resume = false;
      void this.start();
    }
  }

  /** Opens Pocket's page in the phone's settings; back from there, the camera is asked for
   *  again, and opens if it was allowed. */
  async openSettings(): Promise<void> {
    this.#resume = true;
    try {
      await this.#deps.api.openAppSettings();
    } catch {
      this.#resume = false;
    }
  }

  async toggleTorch(): Promise<void> {
    const track = this.#track;
    if (!track || !this.torchAvailable) return;
    const on = !this.torchOn;
    this.torchOn = on;
    const advanced: CameraConstraintSet[] = [{ torch: on }];
    try {
      await track.applyConstraints({ advanced });
    } catch {
      if (this.#track === track) this.torchOn = !on;
    }
  }

  /** Continuous focus where the camera offers it (a code held close stays sharp), and
   *  whether it has a light. */
  #prepare(track: MediaStreamTrack | null): void {
    let capabilities: CameraCapabilities = {};
    try {
      capabilities = (track?.getCapabilities?.() ?? {}) as CameraCapabilities;
    } catch {
      // Webviews without getCapabilities: no focus mode, no light.
    }
    if (track && capabilities.focusMode?.includes('continuous')) {
      const advanced: CameraConstraintSet[] = [{ focusMode: 'continuous' }];
      // The camera's own focus is still there when this fails.
      void Promise.resolve()
        .then(() => track.applyConstraints({ advanced }))
        .catch(() => {});
    }
    this.torchAvailable = capabilities.torch === true;
  }

  /** The next frame: after the previous one's answer (only one is ever on its way), and no
   *  sooner than the plan's interval after the previous one was taken. */
  #next(run: number): void {
    const wait = Math.max(0, this.#lastFrameAt + this.#plan.minIntervalMs - this.#deps.now());
    this.#timer = setTimeout(() => void this.#sample(run), wait);
  }

  async #sample(run: number): Promise<void> {
    this.#timer = null;
    const video = this.#video;
    if (run !== this.#run || !video) return;
    this.#lastFrameAt = this.#deps.now();
    const [width, height] = frameSize(video.videoWidth, video.videoHeight, this.#plan.maxSide);
    // No picture yet: the video is still starting.
    if (!width || !height) return this.#next(run);
    let report: ScanReport | null = null;
    try {
      const luma = toLuma(this.#deps.grab(video, width, height));
      report = await this.#deps.api.scanFrame(luma, width, height, this.#binary);
    } catch {
      // A frame that could not be read (image_unreadable): the next one may be.
    }
    if (run !== this.#run) return;
    if (report) this.#found(report);
    else this.#next(run);
  }

  #found(report: ScanReport): void {
    this.#release();
    this.state = 'found';
    this.#onfound(report);
  }

  /** Stops every track, the frame loop and the video; drops whatever is still on its way. */
  #release(): void {
    this.#run++;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    for (const track of this.#stream?.getTracks() ?? []) track.stop();
    this.#stream = null;
    this.#track = null;
    if (this.#video) this.#video.srcObject = null;
    this.#lastFrameAt = -Infinity;
    this.torchAvailable = false;
    this.torchOn = false;
  }

  #countRefusal(): number {
    let count = 0;
    try {
      count = Number(this.#deps.storage?.getItem(REFUSALS_KEY)) || 0;
    } catch {
      // Storage turned off: each refusal reads as the first, and dialogs tell the rest.
    }
    this.#setRefusals(count + 1);
    return count + 1;
  }

  #setRefusals(count: number): void {
    try {
      if (count === 0) this.#deps.storage?.removeItem(REFUSALS_KEY);
      else this.#deps.storage?.setItem(REFUSALS_KEY, String(count));
    } catch {
      // Storage turned off: nothing to keep the count in.
    }
  }
}
