import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import LockScreen from './LockScreen.svelte';
import { LockState } from '../../lib/lock.svelte';
import { describedText, isInvalid } from '../../lib/testing';

afterEach(() => {
  cleanup();
  clearMocks();
});

const locked = {
  locked: true,
  method: 'passcode',
  waitSeconds: 0,
  requestWaiting: false,
  language: 'en',
  theme: 'light',
};

describe('LockScreen', () => {
  it('says a request waits without saying anything of it', () => {
    const lock = new LockState();
    lock.status = { ...locked, requestWaiting: true } as LockState['status'];
    render(LockScreen, { lock, nowMs: Date.now(), onunlocked: () => {} });
    expect(screen.getByTestId('lock-request-waiting').textContent).toBe(
      'A login request is waiting: unlock to answer.',
    );
  });

  it('shows the wait after wrong passcodes and keeps Unlock off until it is over', async () => {
    let status = { ...locked };
    mockIPC((command) => {
      if (command === 'unlock') {
        status = { ...locked, waitSeconds: 5 };
        throw { code: 'wrong_passcode', message: 'no', field: 'passcode' };
      }
      if (command === 'lock_status') return status;
    });
    const lock = new LockState();
    lock.status = { ...locked } as LockState['status'];
    const now = Date.now();
    const { rerender } = render(LockScreen, { lock, nowMs: now, onunlocked: () => {} });
    await fireEvent.input(screen.getByTestId('lock-passcode'), { target: { value: '11111111' } });
    await fireEvent.click(screen.getByTestId('lock-unlock'));
    await screen.findByTestId('lock-wait');
    await rerender({ lock, nowMs: Date.now(), onunlocked: () => {} });
    expect(screen.getByTestId('lock-wait').dataset.seconds).toBe('5');
    expect((screen.getByTestId('lock-unlock') as HTMLButtonElement).disabled).toBe(true);
    await rerender({ lock, nowMs: Date.now() + 6_000, onunlocked: () => {} });
    expect(screen.queryByTestId('lock-wait')).toBeNull();
  });

  /** Types a wrong passcode and unlocks; the Rust side then asks to wait `waitSeconds`. */
  async function wrongPasscode(waitSeconds: number) {
    let status = { ...locked };
    mockIPC((command) => {
      if (command === 'unlock') {
        status = { ...locked, waitSeconds };
        throw { code: 'wrong_passcode', message: 'no', field: 'passcode' };
      }
      if (command === 'lock_status') return status;
    });
    const lock = new LockState();
    lock.status = { ...locked } as LockState['status'];
    const { rerender } = render(LockScreen, { lock, nowMs: Date.now(), onunlocked: () => {} });
    const field = screen.getByTestId('lock-passcode');
    expect(isInvalid(field)).toBe(false);
    expect(field.hasAttribute('aria-describedby')).toBe(false);
    await fireEvent.input(field, { target: { value: '11111111' } });
    await fireEvent.click(screen.getByTestId('lock-unlock'));
    await vi.waitFor(() => expect(lock.busy).toBe(false));
    await rerender({ lock, nowMs: Date.now(), onunlocked: () => {} });
    return field;
  }

  it('ties a wrong passcode to the passcode field', async () => {
    const field = await wrongPasscode(0);
    expect(screen.getByTestId('form-error')).toBeTruthy();
    expect(isInvalid(field)).toBe(true);
    expect(field.getAttribute('aria-describedby')).toBe('lock-error');
    expect(describedText(field)).toBe('That is not your passcode.');
  });

  it('ties the wait after wrong passcodes to the passcode field', async () => {
    const field = await wrongPasscode(5);
    expect(screen.getByTestId('lock-wait')).toBeTruthy();
    expect(isInvalid(field)).toBe(true);
    expect(field.getAttribute('aria-describedby')).toBe('lock-wait');
    expect(describedText(field)).toBe('Too many wrong tries. Try again in 5 s.');
  });
});
