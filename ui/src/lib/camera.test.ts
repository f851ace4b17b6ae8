import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScanReport } from './api';
import { CameraState, type CameraDeps } from './camera.svelte';
import { scanCapabilitiesReply } from './testing';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const report: ScanReport = {
  items: [{ kind: 'account', pendingId: 'p1', issuer: 'ACME', name: 'alice' }],
  batch: null,
};

function fakeTrack(capabilities: Record<string, unknown> = {}) {
  const ended: (() => void)[] = [];
  return {
    stop: vi.fn(),
    getCapabilities: () => capabilities,
    applyConstraints: vi.fn(async (_constraints: MediaTrackConstraints) => {}),
    addEventListener: (type: string, listener: () => void) => {
      if (type === 'ended') ended.push(listener);
    },
    /** The system ends the track (the camera unplugged or taken). */
    end: () => ended.forEach((listener) => listener()),
  };
}

type FakeTrack = ReturnType<typeof fakeTrack>;

function fakeStream(video: FakeTrack, ...others: FakeTrack[]) {
  return {
    getTracks: () => [video, ...others],
    getVideoTracks: () => [video],
  } as unknown as MediaStream;
}

function fakeVideo(width = 1280, height = 720) {
  return { srcObject: null, videoWidth: width, videoHeight: height, play: vi.fn(async () => {}) };
}

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

interface Sent {
  luma: Uint8Array;
  width: number;
  height: number;
  binary: boolean;
  answer: (report: ScanReport | null) => void;
  fail: (error: unknown) => void;
}

/** A camera on fakes: every frame sent waits in `sent` until the test answers it. */
function setup(
  options: {
    capabilities?: Parameters<typeof scanCapabilitiesReply>[0];
    video?: ReturnType<typeof fakeVideo>;
    tracks?: FakeTrack[];
    deps?: Partial<CameraDeps>;
    storage?: ReturnType<typeof memoryStorage>;
  } = {},
) {
  const tracks = options.tracks ?? [fakeTrack()];
  const [first, ...others] = tracks as [FakeTrack, ...FakeTrack[]];
  const video = options.video ?? fakeVideo();
  const sent: Sent[] = [];
  const found = vi.fn();
  const getUserMedia = vi.fn(async (_constraints: MediaStreamConstraints) => fakeStream(first, ...others));
  const openAppSettings = vi.fn(async () => {});
  const grab = vi.fn((_video: HTMLVideoElement, width: number, height: number) => {
    return new Uint8ClampedArray(width * height * 4);
  });
  const scanFrame = vi.fn(
    (luma: Uint8Array, width: number, height: number, binary: boolean) =>
      new Promise<ScanReport | null>((answer, fail) =>
        sent.push({ luma, width, height, binary, answer, fail }),
      ),
  );
  const storage = options.storage ?? memoryStorage();
  const camera = new CameraState(
    scanCapabilitiesReply({ binaryFrames: true, ...options.capabilities }),
    found,
    {
      getUserMedia,
      api: { scanFrame, openAppSettings },
      storage,
      grab,
      ...options.deps,
    },
  );
  camera.attach(video as unknown as HTMLVideoElement);
  return { camera, video, tracks, sent, found, getUserMedia, openAppSettings, grab, storage };
}

/** Lets the timers run for `ms`, with the promises they settle. */
const wait = (ms: number) => vi.advanceTimersByTimeAsync(ms);

function refusal(name: string, afterMs: number) {
  return () =>
    new Promise<MediaStream>((_, reject) => setTimeout(() => reject(new DOMException('no', name)), afterMs));
}

describe('CameraState: asking for the camera', () => {
  it('asks for the back camera at 720p, without sound, and goes live', async () => {
    const { camera, video, getUserMedia } = setup();
    const started = camera.start();
    expect(camera.state).toBe('asking');
    await started;
    expect(getUserMedia).toHaveBeenCalledWith({
      video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
    expect(camera.state).toBe('live');
    expect(video.srcObject).not.toBeNull();
    expect(video.play).toHaveBeenCalled();
  });

  it('explains a first refusal, and counts it', async () => {
    const { camera, storage } = setup({ deps: { getUserMedia: refusal('NotAllowedError', 2000) } });
    void camera.start();
    await wait(2000);
    expect(camera.state).toBe('refused');
    expect(storage.items.get('pocket.camera.refusals')).toBe('1');
  });

  it('reads a second refusal as blocked, and remembers it for the next app start', async () => {
    const storage = memoryStorage();
    const { camera } = setup({ storage, deps: { getUserMedia: refusal('NotAllowedError', 2000) } });
    void camera.start();
    await wait(2000);
    void camera.start();
    await wait(2000);
    expect(camera.state).toBe('blocked');
    expect(storage.items.get('pocket.camera.refusals')).toBe('2');

    // The next start of the app: no second chance is assumed.
    const later = setup({ storage, deps: { getUserMedia: refusal('SecurityError', 2000) } });
    void later.camera.start();
    await wait(2000);
    expect(later.camera.state).toBe('blocked');
  });

  it('reads a refusal that came back at once, without a dialog, as blocked', async () => {
    const { camera } = setup({ deps: { getUserMedia: refusal('NotAllowedError', 20) } });
    void camera.start();
    await wait(20);
    expect(camera.state).toBe('blocked');
  });

  it('forgets the refusals once the camera is granted', async () => {
    const storage = memoryStorage();
    storage.setItem('pocket.camera.refusals', '1');
    const { camera } = setup({ storage });
    await camera.start();
    expect(camera.state).toBe('live');
    expect(storage.items.has('pocket.camera.refusals')).toBe(false);
  });

  it('says there is no camera when none is found, usable or there at all', async () => {
    for (const name of ['NotFoundError', 'OverconstrainedError', 'NotReadableError']) {
      const { camera, storage } = setup({ deps: { getUserMedia: refusal(name, 0) } });
      void camera.start();
      await wait(0);
      expect(camera.state, name).toBe('none');
      expect(storage.items.size).toBe(0);
    }
    const { camera } = setup({ deps: { getUserMedia: undefined } });
    await camera.start();
    expect(camera.state).toBe('none');
  });

  it('finds no getUserMedia in a webview without mediaDevices', async () => {
    const before = Object.getOwnPropertyDescriptor(navigator, 'mediaDevices');
    Object.defineProperty(navigator, 'mediaDevices', { value: undefined, configurable: true });
    try {
      const camera = new CameraState(scanCapabilitiesReply(), () => {});
      await camera.start();
      expect(camera.state).toBe('none');
    } finally {
      if (before) Object.defineProperty(navigator, 'mediaDevices', before);
      else delete (navigator as { mediaDevices?: unknown }).mediaDevices;
    }
  });

  it('drops a camera granted after the scanner was closed', async () => {
    let grant: (stream: MediaStream) => void = () => {};
    const track = fakeTrack();
    const { camera, sent } = setup({
      deps: { getUserMedia: () => new Promise<MediaStream>((resolve) => (grant = resolve)) },
    });
    void camera.start();
    camera.stop();
    grant(fakeStream(track));
    await wait(1000);
    expect(track.stop).toHaveBeenCalled();
    expect(camera.state).toBe('idle');
    expect(sent).toHaveLength(0);
  });
});

describe('CameraState: the frames', () => {
  it('has only one frame on its way: a slow answer holds the next one back', async () => {
    const { camera, sent } = setup();
    await camera.start();
    await wait(0);
    expect(sent).toHaveLength(1);
    await wait(5000);
    expect(sent).toHaveLength(1);
    sent[0]?.answer(null);
    await wait(0);
    expect(sent).toHaveLength(2);
  });

  it('takes a frame no sooner than the plan says after the previous one', async () => {
    const { camera, sent } = setup({
      capabilities: { frames: { maxSide: 800, minIntervalMs: 250, guidePercent: 70 } },
    });
    await camera.start();
    await wait(0);
    expect(sent).toHaveLength(1);
    await wait(40);
    sent[0]?.answer(null);
    await wait(209);
    expect(sent).toHaveLength(1);
    await wait(1);
    expect(sent).toHaveLength(2);
  });

  it('reduces a frame to the plan’s longer side, and leaves a smaller one as it is', async () => {
    const large = setup();
    await large.camera.start();
    await wait(0);
    expect(large.grab).toHaveBeenCalledWith(large.video, 800, 450);
    expect(large.sent[0]).toMatchObject({ width: 800, height: 450, binary: true });
    expect(large.sent[0]?.luma).toHaveLength(800 * 450);

    const small = setup({ video: fakeVideo(640, 480) });
    await small.camera.start();
    await wait(0);
    expect(small.sent[0]).toMatchObject({ width: 640, height: 480 });
    expect(small.sent[0]?.luma).toHaveLength(640 * 480);
  });

  it('sends the luminance of the pixels grabbed', async () => {
    const pixels = [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255];
    const { camera, sent } = setup({
      video: fakeVideo(2, 2),
      deps: { grab: () => new Uint8ClampedArray(pixels) },
    });
    await camera.start();
    await wait(0);
    expect([...(sent[0]?.luma ?? [])]).toEqual([76, 149, 29, 255]);
  });

  it('says how frames go: raw bytes, or text where the IPC has no raw bodies', async () => {
    const android = setup({ capabilities: { binaryFrames: false } });
    await android.camera.start();
    await wait(0);
    expect(android.sent[0]?.binary).toBe(false);
  });

  it('waits for the video to have a picture', async () => {
    const video = fakeVideo(0, 0);
    const { camera, sent } = setup({ video });
    await camera.start();
    await wait(500);
    expect(sent).toHaveLength(0);
    video.videoWidth = 1280;
    video.videoHeight = 720;
    await wait(100);
    expect(sent).toHaveLength(1);
  });

  it('keeps going after a frame that could not be read', async () => {
    const { camera, sent } = setup();
    await camera.start();
    await wait(0);
    sent[0]?.fail({ code: 'image_unreadable', message: 'x' });
    await wait(100);
    expect(sent).toHaveLength(2);
    expect(camera.state).toBe('live');
  });

  it('lets every track go at the first report, and hands it over', async () => {
    const tracks = [fakeTrack(), fakeTrack()];
    const { camera, sent, video, found } = setup({ tracks });
    await camera.start();
    await wait(0);
    sent[0]?.answer(null);
    await wait(100);
    sent[1]?.answer(report);
    await wait(0);
    expect(found).toHaveBeenCalledWith(report);
    expect(found).toHaveBeenCalledTimes(1);
    expect(camera.state).toBe('found');
    for (const track of tracks) expect(track.stop).toHaveBeenCalled();
    expect(video.srcObject).toBeNull();
    await wait(5000);
    expect(sent).toHaveLength(2);
  });

  it('says there is no camera when the system ends the track, and sends no more frames', async () => {
    const { camera, tracks, sent } = setup();
    await camera.start();
    await wait(0);
    sent[0]?.answer(null);
    await wait(100);
    tracks[0]?.end();
    expect(camera.state).toBe('none');
    expect(tracks[0]?.stop).toHaveBeenCalled();
    sent[1]?.answer(report);
    await wait(5000);
    expect(sent).toHaveLength(2);
    expect(camera.state).toBe('none');
  });

  it('lets every track go on Cancel, and ignores an answer that comes after', async () => {
    const tracks = [fakeTrack(), fakeTrack()];
    const { camera, sent, video, found } = setup({ tracks });
    await camera.start();
    await wait(0);
    camera.stop();
    expect(camera.state).toBe('idle');
    for (const track of tracks) expect(track.stop).toHaveBeenCalled();
    expect(video.srcObject).toBeNull();
    sent[0]?.answer(report);
    await wait(5000);
    expect(found).not.toHaveBeenCalled();
    expect(camera.state).toBe('idle');
    expect(sent).toHaveLength(1);
  });

  it('lets the camera go while the page is hidden, and takes it again when it shows', async () => {
    const { camera, tracks, sent, getUserMedia } = setup();
    await camera.start();
    await wait(0);
    camera.setHidden(true);
    expect(tracks[0]?.stop).toHaveBeenCalled();
    expect(camera.state).toBe('idle');
    await wait(1000);
    expect(sent).toHaveLength(1);
    camera.setHidden(false);
    await wait(0);
    expect(getUserMedia).toHaveBeenCalledTimes(2);
    expect(camera.state).toBe('live');
  });

  it('asks again when back from the app settings', async () => {
    const { camera, openAppSettings, getUserMedia } = setup();
    await camera.openSettings();
    expect(openAppSettings).toHaveBeenCalled();
    camera.setHidden(true);
    camera.setHidden(false);
    await wait(0);
    expect(getUserMedia).toHaveBeenCalledTimes(1);
    expect(camera.state).toBe('live');
  });
});

describe('CameraState: the camera’s controls', () => {
  it('offers the light only when the camera has one, and turns it on and off', async () => {
    const plain = setup();
    await plain.camera.start();
    expect(plain.camera.torchAvailable).toBe(false);
    await plain.camera.toggleTorch();
    expect(plain.tracks[0]?.applyConstraints).not.toHaveBeenCalled();

    const track = fakeTrack({ torch: true });
    const lit = setup({ tracks: [track] });
    await lit.camera.start();
    expect(lit.camera.torchAvailable).toBe(true);
    await lit.camera.toggleTorch();
    expect(lit.camera.torchOn).toBe(true);
    expect(track.applyConstraints).toHaveBeenLastCalledWith({ advanced: [{ torch: true }] });
    await lit.camera.toggleTorch();
    expect(lit.camera.torchOn).toBe(false);
    expect(track.applyConstraints).toHaveBeenLastCalledWith({ advanced: [{ torch: false }] });

    track.applyConstraints.mockRejectedValueOnce(new Error('busy'));
    await lit.camera.toggleTorch();
    expect(lit.camera.torchOn).toBe(false);
  });

  it('asks for continuous focus where the camera offers it, and goes on when refused', async () => {
    const track = fakeTrack({ focusMode: ['manual', 'continuous'] });
    track.applyConstraints.mockRejectedValueOnce(new Error('no'));
    const { camera } = setup({ tracks: [track] });
    await camera.start();
    await wait(0);
    expect(track.applyConstraints).toHaveBeenCalledWith({ advanced: [{ focusMode: 'continuous' }] });
    expect(camera.state).toBe('live');

    const fixed = fakeTrack({ focusMode: ['manual'] });
    await setup({ tracks: [fixed] }).camera.start();
    await wait(0);
    expect(fixed.applyConstraints).not.toHaveBeenCalled();
  });
});
