import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import LoginRequestsSettings from './LoginRequestsSettings.svelte';
import type { LoginRequests } from '../../lib/api';
import { SettingsState } from '../../lib/settings.svelte';

afterEach(() => {
  cleanup();
  clearMocks();
});

const instant: LoginRequests = {
  delivery: 'instant',
  channel: 'webpush',
  pushService: 'ntfy.example.net',
  distributorsSupported: true,
  distributors: ['kde', 'ntfy'],
  distributor: 'ntfy',
  registration: 'registered',
  reason: null,
};

function settingsShowing(shown: Partial<LoginRequests>): SettingsState {
  const settings = new SettingsState();
  settings.loginRequests = { ...instant, ...shown };
  return settings;
}

describe('LoginRequestsSettings', () => {
  it('says a distributor wakes Pocket, and through which push service', () => {
    render(LoginRequestsSettings, { settings: settingsShowing({}) });
    const delivery = screen.getByTestId('login-requests-delivery');
    expect(delivery.dataset.delivery).toBe('instant');
    expect(delivery.textContent).toContain('ntfy wakes Pocket');
    expect(screen.getByTestId('login-requests-service').textContent).toContain('ntfy.example.net');
    expect((screen.getByTestId('login-requests-distributor') as HTMLSelectElement).value).toBe('ntfy');
  });

  it('says requests come only while open, and how to change that, when no distributor runs', () => {
    render(LoginRequestsSettings, {
      settings: settingsShowing({
        delivery: 'while_open',
        channel: 'poll',
        pushService: null,
        distributors: [],
        distributor: null,
        registration: 'none',
      }),
    });
    expect(screen.getByTestId('login-requests-delivery').textContent).toContain('Only while Pocket is open');
    expect(screen.getByTestId('login-requests-no-distributor').textContent).toContain(
      'UnifiedPush distributor',
    );
    expect(screen.queryByTestId('login-requests-distributor')).toBeNull();
    expect(screen.queryByTestId('login-requests-service')).toBeNull();
  });

  it('says a distributor wakes Pocket where the phone does not name it (Android)', () => {
    render(LoginRequestsSettings, {
      settings: settingsShowing({ distributors: [], distributor: null }),
    });
    expect(screen.getByTestId('login-requests-delivery').textContent).toContain(
      'your UnifiedPush distributor wakes Pocket',
    );
    expect(screen.queryByTestId('login-requests-no-distributor')).toBeNull();
  });

  it("shows a distributor's refusal as an alert with its reason", () => {
    render(LoginRequestsSettings, {
      settings: settingsShowing({ delivery: 'while_open', registration: 'failed', reason: 'VAPID_REQUIRED' }),
    });
    const failed = screen.getByRole('alert');
    expect(failed.textContent).toContain('ntfy did not take Pocket: VAPID_REQUIRED');
  });

  it('registers with the distributor the user picks', async () => {
    const chosen: unknown[] = [];
    mockIPC((command, args) => {
      if (command === 'choose_distributor') {
        chosen.push(args);
        return { ...instant, distributor: 'kde', registration: 'registering', delivery: 'while_open' };
      }
    });
    const settings = settingsShowing({});
    render(LoginRequestsSettings, { settings });
    await fireEvent.change(screen.getByTestId('login-requests-distributor'), { target: { value: 'kde' } });
    await waitFor(() => expect(settings.loginRequests?.distributor).toBe('kde'));
    expect(chosen).toEqual([{ distributor: 'kde' }]);
    expect(screen.getByRole('status').textContent).toContain('Asking kde to wake Pocket');
  });
});
