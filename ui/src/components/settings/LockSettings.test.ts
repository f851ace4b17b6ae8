import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import LockSettings from './LockSettings.svelte';
import type { IpcError } from '../../lib/api';
import { SettingsState } from '../../lib/settings.svelte';
import { describedText, isInvalid, settingsReply } from '../../lib/testing';

afterEach(() => {
  cleanup();
  clearMocks();
});

/** A desktop with a passcode set; the Rust side refuses a new one with `refusal`. */
function passcodeSet(refusal: IpcError | null = null) {
  mockIPC((command) => {
    if (command === 'set_passcode') {
      if (refusal) throw refusal;
      return settingsReply();
    }
  });
  const settings = new SettingsState();
  settings.settings = settingsReply();
  render(LockSettings, { settings });
  const fields = {
    current: screen.getByTestId('lock-current'),
    fresh: screen.getByTestId('lock-new'),
    repeat: screen.getByTestId('lock-repeat'),
  };
  for (const field of Object.values(fields)) {
    expect(isInvalid(field)).toBe(false);
    expect(field.hasAttribute('aria-describedby')).toBe(false);
  }
  return fields;
}

async function change(fields: ReturnType<typeof passcodeSet>, fresh: string, repeat = fresh) {
  await fireEvent.input(fields.current, { target: { value: '12345678' } });
  await fireEvent.input(fields.fresh, { target: { value: fresh } });
  await fireEvent.input(fields.repeat, { target: { value: repeat } });
  await fireEvent.click(screen.getByTestId('lock-save'));
}

describe('LockSettings', () => {
  it('ties two passcodes that differ to the repeated one', async () => {
    const fields = passcodeSet();
    await change(fields, '87654321', '87654320');
    await screen.findByTestId('lock-mismatch');
    expect(isInvalid(fields.repeat)).toBe(true);
    expect(describedText(fields.repeat)).toBe('The two passcodes differ.');
    expect(isInvalid(fields.fresh)).toBe(false);
    expect(isInvalid(fields.current)).toBe(false);
  });

  it('ties a new passcode too short to the new passcode', async () => {
    const fields = passcodeSet({ code: 'passcode_too_short', message: 'x', field: 'passcode' });
    await change(fields, '1234');
    await screen.findByTestId('form-error');
    expect(isInvalid(fields.fresh)).toBe(true);
    expect(fields.fresh.getAttribute('aria-describedby')).toBe('settings-error');
    expect(describedText(fields.fresh)).toContain('Use at least 6 digits');
    expect(isInvalid(fields.current)).toBe(false);
    expect(isInvalid(fields.repeat)).toBe(false);
  });

  it('ties a wrong current passcode to the current passcode', async () => {
    const fields = passcodeSet({ code: 'wrong_passcode', message: 'x', field: 'passcode' });
    await change(fields, '87654321');
    await screen.findByTestId('form-error');
    expect(isInvalid(fields.current)).toBe(true);
    expect(describedText(fields.current)).toBe('That is not your passcode.');
    expect(isInvalid(fields.fresh)).toBe(false);
  });

  it('leaves a time server refused to the Clock section', () => {
    const settings = new SettingsState();
    settings.settings = settingsReply();
    settings.error = { code: 'invalid_parameter', message: 'x', field: 'ntp_server' };
    render(LockSettings, { settings });
    expect(screen.queryByTestId('form-error')).toBeNull();
    expect(isInvalid(screen.getByTestId('lock-current'))).toBe(false);
  });
});
