// The webview's camera for component tests: jsdom has no camera, no video playback and no
// 2D canvas, so the scanner's real code runs on these instead. Tests only.
import { vi } from 'vitest';

export interface FakeCamera {
  /** The stream's one track: stopped when the scanner lets the camera go. */
  track: {
    stop: () => void;
    getCapabilities: () => Record<string, unknown>;
    applyConstraints: () => Promise<void>;
  };
  getUserMedia: ReturnType<typeof vi.fn>;
  /** Undoes everything; call it after each test. */
  restore: () => void;
}

/** A camera that `grant`s its stream (by default at once), with a 1280×720 black picture;
 *  `devices` is what enumerateDevices lists. */
export function fakeCamera(
  options: {
    grant?: () => Promise<unknown>;
    devices?: Pick<MediaDeviceInfo, 'kind'>[];
    capabilities?: Record<string, unknown>;
  } = {},
): FakeCamera {
  const track = {
    stop: vi.fn(),
    getCapabilities: () => options.capabilities ?? {},
    applyConstraints: vi.fn(async () => {}),
  };
  const stream = { getTracks: () => [track], getVideoTracks: () => [track] };
  const getUserMedia = vi.fn(options.grant ?? (async () => stream));
  Object.defineProperty(navigator, 'mediaDevices', {
    value: { getUserMedia, enumerateDevices: async () => options.devices ?? [{ kind: 'videoinput' }] },
    configurable: true,
  });
  const spies = [
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined),
    vi.spyOn(HTMLVideoElement.prototype, 'videoWidth', 'get').mockReturnValue(1280),
    vi.spyOn(HTMLVideoElement.prototype, 'videoHeight', 'get').mockReturnValue(720),
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(
      () =>
        ({
          canvas: { width: 0, height: 0 },
          drawImage: () => {},
          getImageData: (_x: number, _y: number, w: number, h: number) => ({
            data: new Uint8ClampedArray(w * h * 4),
          }),
        }) as unknown as CanvasRenderingContext2D,
    ),
  ];
  return {
    track,
    getUserMedia,
    restore() {
      for (const spy of spies) spy.mockRestore();
      delete (navigator as { mediaDevices?: unknown }).mediaDevices;
      localStorage.clear();
    },
  };
}

/** A refusal of the camera after `afterMs`: long enough to have been a person's answer to a
 *  dialog, or short enough to have come without one. */
export function refuse(name: string, afterMs: number): () => Promise<never> {
  return () =>
    new Promise<never>((_, reject) => setTimeout(() => reject(new DOMException('refused', name)), afterMs));
}
