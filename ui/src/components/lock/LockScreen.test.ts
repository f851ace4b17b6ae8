import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import LockScreen from './LockScreen.svelte';
import { LockState } from '../../lib/lock.svelte';

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
});
