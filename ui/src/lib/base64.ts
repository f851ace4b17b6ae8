// Bytes as base64 text, for the IPC where it carries no raw bodies (Android).

// String.fromCharCode takes its bytes as arguments: a whole frame at once would overflow the
// call stack, so it goes in slices.
const SLICE = 0x8000;

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += SLICE) {
    binary += String.fromCharCode(...bytes.subarray(start, start + SLICE));
  }
  return btoa(binary);
}
