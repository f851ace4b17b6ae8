import { describe, expect, it } from 'vitest';
import { toBase64 } from './base64';

describe('toBase64', () => {
  it('writes bytes as standard base64, padded', () => {
    expect(toBase64(new Uint8Array([]))).toBe('');
    expect(toBase64(new Uint8Array([0, 127, 128, 255]))).toBe('AH+A/w==');
    expect(toBase64(new TextEncoder().encode('Pocket'))).toBe('UG9ja2V0');
  });

  it('takes more bytes than one call can spread, in slices that join up', () => {
    // 3 × 40 000 bytes: slices of 32 768 (a multiple of 3) encode on their own.
    const frame = new Uint8Array(120_000).map((_, i) => i % 251);
    const text = toBase64(frame);
    expect(text).toHaveLength(160_000);
    expect(text.slice(43_688, 43_700)).toBe(toBase64(frame.subarray(32_766, 32_775)));
  });
});
