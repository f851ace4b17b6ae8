import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import ScanPanel from './ScanPanel.svelte';
import { AccountsState } from '../../lib/accounts.svelte';
import type { ScanCapabilities, ScanReport } from '../../lib/api';
import { fakeCamera, refuse, type FakeCamera } from '../../lib/fakeCamera';
import { noCodes, scanCapabilitiesReply } from '../../lib/testing';

// jsdom's Blob lacks arrayBuffer(), which every browser engine Tauri uses has.
if (!Blob.prototype.arrayBuffer) {
  Blob.prototype.arrayBuffer = function (this: Blob) {
    return new Promise<ArrayBuffer>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as ArrayBuffer);
      reader.onerror = () => reject(reader.error);
      reader.readAsArrayBuffer(this);
    });
  };
}

let camera: FakeCamera | null = null;

afterEach(() => {
  cleanup();
  clearMocks();
  camera?.restore();
  camera = null;
});

const oneAccount: ScanReport = {
  items: [{ kind: 'account', pendingId: 'p1', issuer: 'A', name: 'b' }],
  batch: null,
};

/** The Rust side of a build with `capabilities`: each frame gets `frame()`'s answer. */
function rust(capabilities: ScanCapabilities, frame: () => ScanReport | null = () => oneAccount) {
  const received: { command: string; payload: unknown }[] = [];
  mockIPC((command, payload) => {
    received.push({ command, payload });
    switch (command) {
      case 'scan_capabilities':
        return capabilities;
      case 'scan_frame':
        return frame();
      case 'scan_image':
        return { items: [{ kind: 'other', preview: 'hello' }], batch: null };
      case 'add_scanned':
        return { id: '1', issuer: 'A', name: 'b', kind: 'totp', digits: 6, period: 30 };
      case 'account_codes':
        return noCodes;
    }
  });
  return received;
}

const commands = (received: { command: string }[]) => received.map((r) => r.command);

describe('ScanPanel with the webview camera (Android)', () => {
  it('scans frames until one holds a code, then adds the account as any scan does', async () => {
    camera = fakeCamera();
    let frames = 0;
    const received = rust(scanCapabilitiesReply(), () => (++frames < 2 ? null : oneAccount));
    const onadded = vi.fn();
    render(ScanPanel, { accounts: new AccountsState(), onadded });
    await fireEvent.click(await screen.findByTestId('scan-camera'));
    const scanner = screen.getByRole('dialog', { name: 'Scan with the camera' });
    expect(scanner.dataset.testid).toBe('camera-scanner');
    await vi.waitFor(() => expect(onadded).toHaveBeenCalledWith('A'));
    expect(screen.queryByTestId('camera-scanner')).toBeNull();
    expect(camera.track.stop).toHaveBeenCalled();
    // Android's IPC carries no raw bodies: 800 × 450 grey bytes as base64 text.
    const sent = received.filter((r) => r.command === 'scan_frame');
    expect(sent).toHaveLength(2);
    expect((sent[0]?.payload as { frame: string }).frame).toBe('A'.repeat(480_000));
    expect(commands(received)).toContain('add_scanned');
    expect(commands(received)).not.toContain('plugin:barcode-scanner|scan');
  });

  it('shows what a frame held on the result screen when it is more than one account', async () => {
    camera = fakeCamera();
    rust(scanCapabilitiesReply(), () => ({
      items: [...oneAccount.items, { kind: 'other', preview: 'hello' }],
      batch: null,
    }));
    const onadded = vi.fn();
    render(ScanPanel, { accounts: new AccountsState(), onadded });
    await fireEvent.click(await screen.findByTestId('scan-camera'));
    const results = await screen.findByTestId('scan-results');
    expect(screen.getAllByTestId('scan-item')).toHaveLength(2);
    expect(results.textContent).toContain('“hello”');
    expect(screen.queryByTestId('camera-scanner')).toBeNull();
    expect(onadded).not.toHaveBeenCalled();
  });

  it('explains a refusal and offers a photo or an image, read as pictures are', async () => {
    camera = fakeCamera({ grant: refuse('NotAllowedError', 400) });
    const received = rust(scanCapabilitiesReply());
    render(ScanPanel, { accounts: new AccountsState(), onadded: () => {} });
    await fireEvent.click(await screen.findByTestId('scan-camera'));
    const scanner = screen.getByTestId('camera-scanner');
    await vi.waitFor(() => expect(scanner.dataset.state).toBe('refused'));
    expect(screen.getByTestId('camera-status').textContent).toContain('Pocket needs the camera');
    expect(screen.getByTestId('camera-status').textContent).toContain('nothing is recorded or sent');
    expect(screen.getByTestId('camera-retry')).toBeTruthy();
    expect(screen.getByTestId('camera-open-image').getAttribute('capture')).toBeNull();
    const photo = screen.getByTestId('camera-take-photo') as HTMLInputElement;
    expect(photo.getAttribute('capture')).toBe('environment');
    expect(photo.accept).toBe('image/*');

    const file = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'photo.png', { type: 'image/png' });
    await fireEvent.change(photo, { target: { files: [file] } });
    expect(screen.queryByTestId('camera-scanner')).toBeNull();
    expect((await screen.findByTestId('scan-results')).textContent).toContain('“hello”');
    const sent = received.find((r) => r.command === 'scan_image')?.payload;
    expect([...(sent as Uint8Array)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(commands(received)).not.toContain('scan_frame');
  });

  it('opens the phone’s settings for a camera refused for good', async () => {
    camera = fakeCamera({ grant: refuse('NotAllowedError', 0) });
    const received = rust(scanCapabilitiesReply());
    render(ScanPanel, { accounts: new AccountsState(), onadded: () => {} });
    await fireEvent.click(await screen.findByTestId('scan-camera'));
    await vi.waitFor(() => expect(screen.getByTestId('camera-scanner').dataset.state).toBe('blocked'));
    expect(screen.getByTestId('camera-take-photo')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('camera-settings'));
    expect(commands(received)).toContain('open_app_settings');
  });

  it('keeps the pictures and Cancel at hand while the permission is asked', async () => {
    camera = fakeCamera({ grant: () => new Promise(() => {}) });
    rust(scanCapabilitiesReply());
    render(ScanPanel, { accounts: new AccountsState(), onadded: () => {} });
    const opener = await screen.findByTestId('scan-camera');
    opener.focus();
    await fireEvent.click(opener);
    const scanner = screen.getByTestId('camera-scanner');
    await vi.waitFor(() => expect(scanner.dataset.state).toBe('asking'));
    expect(screen.getByTestId('camera-status').textContent).toBe('Waiting for camera permission…');
    expect(screen.getByTestId('camera-take-photo')).toBeTruthy();
    expect(screen.getByTestId('camera-open-image')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByTestId('camera-cancel'));
    await fireEvent.click(screen.getByTestId('camera-cancel'));
    expect(screen.queryByTestId('camera-scanner')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('opens the camera at once when asked to (Tap to scan)', async () => {
    camera = fakeCamera({ grant: () => new Promise(() => {}) });
    rust(scanCapabilitiesReply());
    render(ScanPanel, { accounts: new AccountsState(), onadded: () => {}, cameraAtOnce: true });
    expect(await screen.findByTestId('camera-scanner')).toBeTruthy();
    expect(camera.getUserMedia).toHaveBeenCalled();
  });
});

describe('ScanPanel with a desktop’s camera', () => {
  const desktop = scanCapabilitiesReply({ screen: true, appSettings: false, binaryFrames: true });

  it('offers the camera only when the webview lists one', async () => {
    camera = fakeCamera({ devices: [{ kind: 'audioinput' }] });
    rust(desktop);
    render(ScanPanel, { accounts: new AccountsState(), onadded: () => {} });
    await screen.findByTestId('scan-screen');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.queryByTestId('scan-camera')).toBeNull();
    cleanup();
    camera.restore();

    camera = fakeCamera({ devices: [{ kind: 'audioinput' }, { kind: 'videoinput' }] });
    rust(desktop);
    render(ScanPanel, { accounts: new AccountsState(), onadded: () => {} });
    expect(await screen.findByTestId('scan-camera')).toBeTruthy();
    expect(screen.getByTestId('scan-screen')).toBeTruthy();
  });

  it('scans with raw frames, and offers an image but no photo when refused', async () => {
    camera = fakeCamera();
    const received = rust(desktop);
    const onadded = vi.fn();
    render(ScanPanel, { accounts: new AccountsState(), onadded });
    await fireEvent.click(await screen.findByTestId('scan-camera'));
    await vi.waitFor(() => expect(onadded).toHaveBeenCalledWith('A'));
    const frame = received.find((r) => r.command === 'scan_frame')?.payload;
    expect(frame).toBeInstanceOf(Uint8Array);
    expect((frame as Uint8Array).length).toBe(800 * 450);
    cleanup();
    camera.restore();

    camera = fakeCamera({ grant: refuse('NotAllowedError', 0) });
    rust(desktop);
    render(ScanPanel, { accounts: new AccountsState(), onadded: () => {} });
    await fireEvent.click(await screen.findByTestId('scan-camera'));
    await vi.waitFor(() => expect(screen.getByTestId('camera-scanner').dataset.state).toBe('blocked'));
    expect(screen.getByTestId('camera-status').textContent).toContain('system settings');
    expect(screen.queryByTestId('camera-settings')).toBeNull();
    expect(screen.getByTestId('camera-open-image')).toBeTruthy();
    expect(screen.queryByTestId('camera-take-photo')).toBeNull();
  });
});
