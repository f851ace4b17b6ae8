import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import ScanPanel from './ScanPanel.svelte';
import { AccountsState } from '../../lib/accounts.svelte';
import { describedText, isInvalid, scanCapabilitiesReply, scannedContainer } from '../../lib/testing';

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

afterEach(() => {
  cleanup();
  clearMocks();
});

/** A desktop build; records what reached the Rust side. */
function desktop() {
  const received: { command: string; payload: unknown }[] = [];
  mockIPC((command, payload) => {
    if (command === 'scan_capabilities')
      return scanCapabilitiesReply({ screen: true, appSettings: false, binaryFrames: true });
    received.push({ command, payload });
    if (command.startsWith('scan_')) return { items: [{ kind: 'other', preview: 'hello' }], batch: null };
  });
  return received;
}

const PNG_MAGIC = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('ScanPanel on a desktop', () => {
  it('sends a dropped picture as raw bytes', async () => {
    const received = desktop();
    render(ScanPanel, { accounts: new AccountsState(), onadded: () => {} });
    const panel = await screen.findByTestId('scan-panel');
    await screen.findByTestId('scan-screen');
    const file = new File([PNG_MAGIC], 'code.png', { type: 'image/png' });
    await fireEvent.drop(panel, { dataTransfer: { files: [file] } });
    await vi.waitFor(() => expect(received.map((r) => r.command)).toContain('scan_image'));
    const sent = received.find((r) => r.command === 'scan_image')?.payload;
    expect(sent).toBeInstanceOf(Uint8Array);
    expect([...(sent as Uint8Array)]).toEqual([...PNG_MAGIC]);
    expect((await screen.findByTestId('scan-results')).textContent).toContain('“hello”');
  });

  it('routes pasted text, but not text pasted into a field', async () => {
    const received = desktop();
    render(ScanPanel, { accounts: new AccountsState(), onadded: () => {} });
    await screen.findByTestId('scan-screen');
    const paste = (target: EventTarget) => {
      const event = new Event('paste', { bubbles: true }) as ClipboardEvent;
      Object.defineProperty(event, 'clipboardData', {
        value: { files: [], getData: () => 'otpauth://totp/A:b?secret=JBSWY3DP' },
      });
      target.dispatchEvent(event);
    };
    const field = document.body.appendChild(document.createElement('input'));
    paste(field);
    expect(received).toEqual([]);
    paste(document.body);
    await vi.waitFor(() =>
      expect(received).toEqual([
        { command: 'scan_text', payload: { text: 'otpauth://totp/A:b?secret=JBSWY3DP' } },
      ]),
    );
    field.remove();
  });

  it('ties a refused container registration to its passphrase, where the scan shows the error', async () => {
    mockIPC((command) => {
      if (command === 'scan_capabilities')
        return scanCapabilitiesReply({ screen: true, appSettings: false, binaryFrames: true });
      if (command === 'scan_screen') {
        return {
          items: [scannedContainer()],
          batch: null,
        };
      }
      if (command === 'add_scanned') throw { code: 'container_registration_refused', message: 'no' };
    });
    render(ScanPanel, { accounts: new AccountsState(), onadded: () => {} });
    await fireEvent.click(await screen.findByTestId('scan-screen'));
    const passphrase = await screen.findByTestId('scan-passphrase');
    expect(isInvalid(passphrase)).toBe(false);
    await fireEvent.input(passphrase, { target: { value: '1234' } });
    await fireEvent.click(screen.getByTestId('scan-add'));
    await vi.waitFor(() => expect(isInvalid(passphrase)).toBe(true));
    expect(passphrase.getAttribute('aria-describedby')).toBe('scan-error');
    expect(describedText(passphrase)).toContain('The server did not accept the registration');
  });
});
