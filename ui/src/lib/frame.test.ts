import { afterEach, describe, expect, it, vi } from 'vitest';
import { canvasGrab, frameSize, toLuma } from './frame';

afterEach(() => vi.restoreAllMocks());

describe('frameSize', () => {
  it('brings the longer side down to the plan, keeping the aspect', () => {
    expect(frameSize(1280, 720, 800)).toEqual([800, 450]);
    expect(frameSize(720, 1280, 800)).toEqual([450, 800]);
    // Rounded down, as the Rust side's reduced_size is.
    expect(frameSize(1920, 1081, 800)).toEqual([800, 450]);
  });

  it('never enlarges, and never gives a side of nothing', () => {
    expect(frameSize(640, 480, 800)).toEqual([640, 480]);
    expect(frameSize(800, 600, 800)).toEqual([800, 600]);
    expect(frameSize(4000, 2, 800)).toEqual([800, 1]);
    expect(frameSize(0, 0, 800)).toEqual([0, 0]);
  });
});

describe('toLuma', () => {
  it('weighs red, green and blue as BT.601 does, in whole numbers, and ignores alpha', () => {
    const rgba = new Uint8ClampedArray([
      ...[255, 0, 0, 255],
      ...[0, 255, 0, 255],
      ...[0, 0, 255, 255],
      ...[255, 255, 255, 0],
      ...[0, 0, 0, 255],
      ...[100, 100, 100, 255],
      ...[10, 200, 30, 128],
    ]);
    // (299 R + 587 G + 114 B) / 1000, rounded down.
    expect([...toLuma(rgba)]).toEqual([76, 149, 29, 255, 0, 100, 123]);
  });
});

describe('canvasGrab', () => {
  it('draws the video at the frame size on one reused canvas that is read often', () => {
    const drawn: number[][] = [];
    const context = {
      canvas: { width: 0, height: 0 },
      drawImage: (_video: unknown, ...at: number[]) => drawn.push(at),
      getImageData: (_x: number, _y: number, w: number, h: number) => ({
        data: new Uint8ClampedArray(w * h * 4),
      }),
    };
    const getContext = vi
      .spyOn(HTMLCanvasElement.prototype, 'getContext')
      .mockReturnValue(context as unknown as CanvasRenderingContext2D);
    const grab = canvasGrab();
    const video = document.createElement('video');
    expect(grab(video, 800, 450)).toHaveLength(800 * 450 * 4);
    expect(grab(video, 640, 480)).toHaveLength(640 * 480 * 4);
    expect(getContext).toHaveBeenCalledTimes(1);
    expect(getContext).toHaveBeenCalledWith('2d', { willReadFrequently: true });
    expect(drawn).toEqual([
      [0, 0, 800, 450],
      [0, 0, 640, 480],
    ]);
    expect(context.canvas).toEqual({ width: 640, height: 480 });
  });
});
