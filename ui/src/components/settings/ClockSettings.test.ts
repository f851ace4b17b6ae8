import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import ClockSettings from './ClockSettings.svelte';
import { SettingsState } from '../../lib/settings.svelte';
import { describedText, isInvalid, settingsReply } from '../../lib/testing';

afterEach(() => {
  cleanup();
  clearMocks();
});

describe('ClockSettings', () => {
  it('keeps what is typed as the time server when a reply to another change comes in', async () => {
    const settings = new SettingsState();
    settings.settings = { ...settingsReply(), ntpCheck: true, ntpServer: 'pool.ntp.org' };
    render(ClockSettings, { settings });
    const field = screen.getByTestId('clock-ntp-server') as HTMLInputElement;
    await fireEvent.input(field, { target: { value: '127.0.0.1:123' } });
    // The reply to the switch: the same server, another object.
    settings.settings = { ...settings.settings, useMeasuredTime: true };
    await Promise.resolve();
    expect(field.value).toBe('127.0.0.1:123');
    // A reply that brings another server does replace it.
    settings.settings = { ...settings.settings, ntpServer: 'time.example' };
    await Promise.resolve();
    expect(field.value).toBe('time.example');
  });

  it('ties a time server refused to its field, with the error beside it', async () => {
    mockIPC((command) => {
      if (command === 'update_settings')
        throw { code: 'invalid_parameter', message: 'x', field: 'ntp_server' };
    });
    const settings = new SettingsState();
    settings.settings = { ...settingsReply(), ntpCheck: true };
    render(ClockSettings, { settings });
    const field = screen.getByTestId('clock-ntp-server');
    expect(isInvalid(field)).toBe(false);
    expect(field.hasAttribute('aria-describedby')).toBe(false);
    await fireEvent.input(field, { target: { value: 'a b' } });
    await fireEvent.change(field);
    const shown = await screen.findByTestId('form-error');
    expect(screen.getByTestId('clock-settings').contains(shown)).toBe(true);
    expect(isInvalid(field)).toBe(true);
    expect(field.getAttribute('aria-describedby')).toBe('clock-server-error');
    expect(describedText(field)).toBe(shown.textContent?.trim());
  });

  it('shows and ties no error of another setting', () => {
    const settings = new SettingsState();
    settings.settings = { ...settingsReply(), ntpCheck: true };
    settings.error = { code: 'wrong_passcode', message: 'x', field: 'passcode' };
    render(ClockSettings, { settings });
    expect(screen.queryByTestId('form-error')).toBeNull();
    expect(isInvalid(screen.getByTestId('clock-ntp-server'))).toBe(false);
  });
});
