import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import ClockSettings from './ClockSettings.svelte';
import { SettingsState } from '../../lib/settings.svelte';
import { settingsReply } from '../../lib/testing';

afterEach(cleanup);

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
});
