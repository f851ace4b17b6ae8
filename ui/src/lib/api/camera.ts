// iOS's camera: Apple's own scanner through tauri-plugin-barcode-scanner (registered in iOS
// builds only). Loaded on first use, so Android and desktop, which read the webview's camera
// (lib/camera.svelte.ts), never load it.
const plugin = () => import('@tauri-apps/plugin-barcode-scanner');

export type CameraResult = { kind: 'text'; text: string } | { kind: 'denied' } | { kind: 'cancelled' };

export async function scanWithCamera(): Promise<CameraResult> {
  const { Format, checkPermissions, requestPermissions, scan } = await plugin();
  let permission = await checkPermissions();
  if (permission !== 'granted') permission = await requestPermissions();
  if (permission !== 'granted') return { kind: 'denied' };
  try {
    const { content } = await scan({ formats: [Format.QRCode], windowed: false });
    return { kind: 'text', text: content };
  } catch {
    // The plugin rejects when the user closes the camera view.
    return { kind: 'cancelled' };
  }
}

/** Pocket's page in the phone's settings, where a refused camera is allowed again. */
export async function openAppSettings(): Promise<void> {
  const { openAppSettings } = await plugin();
  await openAppSettings();
}
