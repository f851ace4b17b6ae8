import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import CameraScanner from './CameraScanner.svelte';
import { fakeCamera, refuse, type FakeCamera } from '../../lib/fakeCamera';
import { scanCapabilitiesReply } from '../../lib/testing';

let camera: FakeCamera | null = null;

afterEach(() => {
  cleanup();
  clearMocks();
  camera?.restore();
  camera = null;
});

/** The scanner on its own; frames find nothing, so it stays live. */
function open(options: Parameters<typeof fakeCamera>[0] = {}, capabilities = scanCapabilitiesReply()) {
  camera = fakeCamera(options);
  mockIPC((command) => (command === 'scan_frame' ? null : undefined));
  const props = { capabilities, onfound: vi.fn(), onpicture: vi.fn(), onclose: vi.fn() };
  render(CameraScanner, props);
  return { ...props, scanner: screen.getByTestId('camera-scanner') };
}

const state = (scanner: HTMLElement, expected: string) =>
  vi.waitFor(() => expect(scanner.dataset.state).toBe(expected));

function press(key: string, shiftKey = false) {
  const event = new KeyboardEvent('keydown', { key, shiftKey, bubbles: true, cancelable: true });
  (document.activeElement ?? document.body).dispatchEvent(event);
}

/** axe's rules on the scanner; contrast needs a layout, which jsdom has not. */
async function axeViolations(node: HTMLElement): Promise<string[]> {
  const results = await axe.run(node, { rules: { 'color-contrast': { enabled: false } } });
  return results.violations.map((violation) => violation.id);
}

describe('CameraScanner', () => {
  it('is a modal dialog that holds the keyboard, and Escape cancels', async () => {
    const { scanner, onclose } = open({ grant: refuse('NotAllowedError', 400) });
    expect(scanner.getAttribute('role')).toBe('dialog');
    expect(scanner.getAttribute('aria-modal')).toBe('true');
    expect(scanner.getAttribute('aria-label')).toBe('Scan with the camera');
    const cancel = screen.getByTestId('camera-cancel');
    expect(document.activeElement).toBe(cancel);
    await state(scanner, 'refused');
    // Cancel is the last control: Tab goes round to the first.
    press('Tab');
    expect(document.activeElement).toBe(screen.getByTestId('camera-retry'));
    press('Tab', true);
    expect(document.activeElement).toBe(cancel);
    press('Escape');
    expect(onclose).toHaveBeenCalled();
  });

  it('shows the video, the guide from the plan and its hint while live, without pictures to pick', async () => {
    const { scanner } = open(
      {},
      scanCapabilitiesReply({ frames: { maxSide: 800, minIntervalMs: 100, guidePercent: 64 } }),
    );
    await state(scanner, 'live');
    const video = screen.getByTestId('camera-video') as HTMLVideoElement;
    expect(video.muted).toBe(true);
    expect(video.hasAttribute('playsinline')).toBe(true);
    expect(video.autoplay).toBe(true);
    expect(scanner.textContent).toContain('Hold the QR code inside the square');
    expect((scanner.querySelector('.frame') as HTMLElement).style.getPropertyValue('--guide-percent')).toBe(
      '64',
    );
    expect(screen.getByTestId('camera-status').textContent).toBe('');
    expect(screen.queryByTestId('camera-take-photo')).toBeNull();
    expect(screen.queryByTestId('camera-open-image')).toBeNull();
    expect(screen.queryByTestId('camera-torch')).toBeNull();
  });

  it('turns the light on and off where the camera has one', async () => {
    const { scanner } = open({ capabilities: { torch: true } });
    await state(scanner, 'live');
    const torch = await screen.findByTestId('camera-torch');
    expect(torch.getAttribute('aria-pressed')).toBe('false');
    await fireEvent.click(torch);
    await vi.waitFor(() => expect(torch.getAttribute('aria-pressed')).toBe('true'));
    expect(camera?.track.applyConstraints).toHaveBeenCalledWith({ advanced: [{ torch: true }] });
  });

  it('says when there is no camera, offers the pictures, and lets the user try again', async () => {
    const { scanner } = open({ grant: refuse('NotFoundError', 0) });
    await state(scanner, 'none');
    expect(screen.getByTestId('camera-status').textContent).toContain('No camera is available');
    expect(screen.getByTestId('camera-take-photo')).toBeTruthy();
    expect(screen.getByTestId('camera-open-image')).toBeTruthy();
    // Another app may have had the camera: trying again asks for it again.
    await fireEvent.click(screen.getByTestId('camera-retry'));
    await vi.waitFor(() => expect(camera?.getUserMedia).toHaveBeenCalledTimes(2));
  });

  it('hands over an opened image, letting the camera go first', async () => {
    const { scanner, onpicture } = open({ grant: refuse('NotAllowedError', 400) });
    await state(scanner, 'refused');
    const file = new File(['x'], 'code.png', { type: 'image/png' });
    await fireEvent.change(screen.getByTestId('camera-open-image'), { target: { files: [file] } });
    expect(onpicture).toHaveBeenCalledWith(file);
    await state(scanner, 'idle');
  });

  it('lets the camera go while the app is in the background', async () => {
    const { scanner } = open();
    await state(scanner, 'live');
    const hidden = vi.spyOn(document, 'hidden', 'get').mockReturnValue(true);
    document.dispatchEvent(new Event('visibilitychange'));
    expect(camera?.track.stop).toHaveBeenCalled();
    await state(scanner, 'idle');
    hidden.mockReturnValue(false);
    document.dispatchEvent(new Event('visibilitychange'));
    await state(scanner, 'live');
    expect(camera?.getUserMedia).toHaveBeenCalledTimes(2);
    hidden.mockRestore();
  });

  it('passes axe while asking, live, refused and blocked', async () => {
    const asking = open({ grant: () => new Promise(() => {}) });
    await state(asking.scanner, 'asking');
    expect(await axeViolations(asking.scanner)).toEqual([]);
    cleanup();
    camera?.restore();

    const live = open({ capabilities: { torch: true } });
    await state(live.scanner, 'live');
    expect(await axeViolations(live.scanner)).toEqual([]);
    cleanup();
    camera?.restore();

    const refused = open({ grant: refuse('NotAllowedError', 400) });
    await state(refused.scanner, 'refused');
    expect(await axeViolations(refused.scanner)).toEqual([]);
    await fireEvent.click(screen.getByTestId('camera-retry'));
    await state(refused.scanner, 'blocked');
    expect(screen.getByTestId('camera-settings')).toBeTruthy();
    expect(await axeViolations(refused.scanner)).toEqual([]);
  });
});
