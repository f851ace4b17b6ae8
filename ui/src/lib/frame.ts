// One camera frame as the Rust side reads it: reduced to the size the scan capabilities give,
// and grey (8-bit luminance), so a frame crosses the IPC at a quarter of its RGBA size.

/** The size a `width` × `height` video frame is drawn at: its longer side at most `maxSide`,
 *  the aspect kept, never enlarged. Rounds down as the Rust side's `reduced_size` does. */
export function frameSize(width: number, height: number, maxSide: number): [number, number] {
  const longer = Math.max(width, height);
  if (longer <= maxSide || longer === 0) return [width, height];
  const scale = (side: number) => Math.max(1, Math.floor((side * maxSide) / longer));
  return [scale(width), scale(height)];
}

/** RGBA pixels to luminance, one byte a pixel: BT.601's weights in integers (alpha ignored). */
export function toLuma(rgba: Uint8ClampedArray): Uint8Array {
  const luma = new Uint8Array(rgba.length >> 2);
  for (let pixel = 0, at = 0; pixel < luma.length; pixel++, at += 4) {
    luma[pixel] = ((299 * rgba[at]! + 587 * rgba[at + 1]! + 114 * rgba[at + 2]!) / 1000) | 0;
  }
  return luma;
}

/** Reads the video's current picture at `width` × `height`, as RGBA. */
export type Grab = (video: HTMLVideoElement, width: number, height: number) => Uint8ClampedArray;

/** The webview's way to grab: one canvas, made on the first frame and reused for the rest. */
export function canvasGrab(): Grab {
  let context: CanvasRenderingContext2D | null = null;
  return (video, width, height) => {
    // Read back every frame: kept in memory rather than on the GPU.
    context ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('this webview has no 2D canvas');
    const { canvas } = context;
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    context.drawImage(video, 0, 0, width, height);
    return context.getImageData(0, 0, width, height).data;
  };
}
