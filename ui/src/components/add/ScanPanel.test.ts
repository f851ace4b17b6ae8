import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import ScanPanel from './ScanPanel.svelte';
import { AccountsState } from '../../lib/accounts.svelte';
import { scanCapabilitiesReply } from '../../lib/testing';

afterEach(() => {
  cleanup();
  clearMocks();
});

/** An iPhone: no screen capture, and Apple's own camera scanner, whose permission and result
 *  the test sets. */
function phone(camera: { permission: string; afterRequest?: string; scan?: () => unknown }) {
  const calls: string[] = [];
  mockIPC((command, args) => {
    calls.push(command);
    switch (command) {
      case 'scan_capabilities':
        return scanCapabilitiesReply({ nativeCamera: true, appSettings: false, binaryFrames: true });
      case 'plugin:barcode-scanner|check_permissions':
        return { camera: camera.permission };
      case 'plugin:barcode-scanner|request_permissions':
        return { camera: camera.afterRequest ?? camera.permission };
      case 'plugin:barcode-scanner|scan':
        return camera.scan?.();
      case 'scan_text':
        expect(args).toEqual({ text: 'otpauth://totp/A:b?secret=JBSWY3DP' });
        return { items: [{ kind: 'account', pendingId: 'p1', issuer: 'A', name: 'b' }], batch: null };
      case 'add_scanned':
        return { id: '1', issuer: 'A', name: 'b', kind: 'totp', digits: 6, period: 30 };
      case 'account_codes':
        return { nowMs: 0, codes: [] };
    }
  });
  return calls;
}

describe('ScanPanel on an iPhone', () => {
  it('scans with the camera and adds the account', async () => {
    const calls = phone({
      permission: 'granted',
      scan: () => ({ content: 'otpauth://totp/A:b?secret=JBSWY3DP', format: 'QR_CODE' }),
    });
    const onadded = vi.fn();
    render(ScanPanel, { accounts: new AccountsState(), onadded });
    await fireEvent.click(await screen.findByTestId('scan-camera'));
    await vi.waitFor(() => expect(onadded).toHaveBeenCalledWith('A'));
    expect(calls).toContain('add_scanned');
    expect(screen.queryByTestId('scan-screen')).toBeNull();
  });

  it('explains a refused camera and opens the settings', async () => {
    const calls = phone({ permission: 'prompt', afterRequest: 'denied' });
    render(ScanPanel, { accounts: new AccountsState(), onadded: () => {} });
    await fireEvent.click(await screen.findByTestId('scan-camera'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Pocket needs the camera');
    await fireEvent.click(screen.getByRole('button', { name: 'Open settings' }));
    // The plugin loads on first use: the call follows a moment later.
    await vi.waitFor(() => expect(calls).toContain('plugin:barcode-scanner|open_app_settings'));
    expect(calls).not.toContain('plugin:barcode-scanner|scan');
  });

  it('returns quietly when the user closes the camera', async () => {
    const calls = phone({
      permission: 'granted',
      scan: () => {
        throw 'cancelled';
      },
    });
    render(ScanPanel, { accounts: new AccountsState(), onadded: () => {} });
    await fireEvent.click(await screen.findByTestId('scan-camera'));
    await vi.waitFor(() => expect(calls).toContain('plugin:barcode-scanner|scan'));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(calls).not.toContain('scan_text');
  });

  it('opens the camera at once when asked to (Tap to scan), and only then', async () => {
    const scanned = () => ({ content: 'otpauth://totp/A:b?secret=JBSWY3DP', format: 'QR_CODE' });
    const calls = phone({ permission: 'granted', scan: scanned });
    const onadded = vi.fn();
    render(ScanPanel, { accounts: new AccountsState(), onadded, cameraAtOnce: true });
    await vi.waitFor(() => expect(onadded).toHaveBeenCalledWith('A'));
    cleanup();
    calls.length = 0;
    render(ScanPanel, { accounts: new AccountsState(), onadded: () => {} });
    await screen.findByTestId('scan-camera');
    expect(calls).toEqual(['scan_capabilities']);
  });
});
