import { cleanup, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import Settings from './Settings.svelte';
import { AccountsState } from '../../lib/accounts.svelte';
import { BackupsState } from '../../lib/backups.svelte';
import { SettingsState } from '../../lib/settings.svelte';
import { settingsReply } from '../../lib/testing';

afterEach(() => {
  cleanup();
  clearMocks();
});

describe('Settings', () => {
  it('shows its sections only once their statuses are read, so nothing moves under a finger', () => {
    mockIPC(() => null);
    const settings = new SettingsState();
    const backups = new BackupsState();
    render(Settings, { accounts: new AccountsState(), backups, settings, onclose: () => {} });
    expect(screen.getByRole('status').textContent).toBe('Reading the settings…');
    expect(screen.queryByTestId('login-requests-settings')).toBeNull();

    settings.settings = settingsReply();
    settings.loaded = true;
    flushSync();
    // The backups' status is still out: still nothing but the notice.
    expect(screen.queryByTestId('login-requests-settings')).toBeNull();

    backups.loaded = true;
    flushSync();
    expect(screen.queryByTestId('settings-loading')).toBeNull();
    expect(screen.getByTestId('login-requests-settings')).toBeTruthy();
  });

  it('starts on its title, where a screen reader says where the user is', () => {
    mockIPC(() => null);
    render(Settings, {
      accounts: new AccountsState(),
      backups: new BackupsState(),
      settings: new SettingsState(),
      onclose: () => {},
    });
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'Settings' }));
  });
});
