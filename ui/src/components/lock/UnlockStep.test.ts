import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import UnlockStep from './UnlockStep.svelte';
import type { AppSettings } from '../../lib/api';
import { unlockStep } from '../../lib/unlockStep.svelte';

afterEach(() => {
  cleanup();
  unlockStep.answer(undefined);
});

function settingsWith(lock: AppSettings['lock'], lockKind: AppSettings['lockKind']): AppSettings {
  return { lock, lockKind } as AppSettings;
}

describe('the unlock step', () => {
  it('asks nothing here without a passcode lock: none set, or the phone asks its own', async () => {
    render(UnlockStep);
    for (const [lock, kind] of [
      ['off', 'passcode'],
      ['device', 'device'],
    ] as const) {
      unlockStep.follow(settingsWith(lock, kind));
      expect(await unlockStep.ask()).toBeNull();
    }
    expect(screen.queryByTestId('unlock-step')).toBeNull();
  });

  it('takes the passcode typed in its dialog, and nothing when cancelled', async () => {
    render(UnlockStep);
    unlockStep.follow(settingsWith('passcode', 'passcode'));
    const typed = unlockStep.ask();
    const field = await screen.findByTestId('unlock-step-passcode');
    expect(document.activeElement).toBe(field);
    expect(screen.getByTestId('unlock-step-continue')).toHaveProperty('disabled', true);
    await fireEvent.input(field, { target: { value: '24681357' } });
    await fireEvent.click(screen.getByTestId('unlock-step-continue'));
    expect(await typed).toBe('24681357');
    expect(screen.queryByTestId('unlock-step')).toBeNull();

    const cancelled = unlockStep.ask();
    await fireEvent.click(await screen.findByTestId('unlock-step-cancel'));
    expect(await cancelled).toBeUndefined();
    const escaped = unlockStep.ask();
    await screen.findByTestId('unlock-step');
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(await escaped).toBeUndefined();
  });
});
