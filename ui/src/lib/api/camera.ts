// The phone camera, through tauri-plugin-barcode-scanner (registered in phone builds only).
import {
  Format,
  checkPermissions,
  openAppSettings,
  requestPermissions,
  scan,
} from '@tauri-apps/plugin-barcode-scanner';

export type CameraResult = { kind: 'text'; text: string } | { kind: 'denied' } | { kind: 'cancelled' };

export async function scanWithCamera(): Promise<CameraResult> {
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

export { openAppSettings };
