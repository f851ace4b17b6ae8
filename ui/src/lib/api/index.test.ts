import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from './index';

afterEach(() => clearMocks());

type Sent = { command: string; args: unknown; options: unknown };

/** What reaches the IPC, options included (mockIPC's handler does not see them). */
function record(reply: unknown = null): Sent[] {
  mockIPC(() => reply);
  const sent: Sent[] = [];
  const internals = (window as unknown as { __TAURI_INTERNALS__: { invoke: unknown } }).__TAURI_INTERNALS__;
  internals.invoke = async (command: string, args: unknown, options: unknown) => {
    sent.push({ command, args, options });
    return reply;
  };
  return sent;
}

describe('scanFrame', () => {
  it('sends the luminance as the raw body, its size in plain string headers', async () => {
    const sent = record();
    const luma = new Uint8Array([1, 2, 3, 4, 5, 6]);
    expect(await api.scanFrame(luma, 3, 2, true)).toBeNull();
    expect(sent).toEqual([
      {
        command: 'scan_frame',
        args: luma,
        options: { headers: { 'x-frame-width': '3', 'x-frame-height': '2' } },
      },
    ]);
    expect(sent[0]?.args).toBe(luma);
  });

  it('sends base64 text where the IPC has no raw bodies, with the same headers', async () => {
    const sent = record();
    await api.scanFrame(new Uint8Array([0, 127, 128, 255]), 2, 2, false);
    expect(sent).toEqual([
      {
        command: 'scan_frame',
        args: { frame: 'AH+A/w==' },
        options: { headers: { 'x-frame-width': '2', 'x-frame-height': '2' } },
      },
    ]);
  });

  it('hands back the report of a frame that held a code', async () => {
    const report = { items: [{ kind: 'other', preview: 'hello' }], batch: null };
    record(report);
    expect(await api.scanFrame(new Uint8Array(1), 1, 1, true)).toEqual(report);
  });
});

describe('the camera commands', () => {
  it('reads the capabilities and opens the app settings', async () => {
    const sent = record();
    await api.scanCapabilities();
    await api.openAppSettings();
    expect(sent.map((s) => s.command)).toEqual(['scan_capabilities', 'open_app_settings']);
  });
});
