import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import ClockBanner from './ClockBanner.svelte';
import type { ClockStatus } from '../../lib/api';
import { SettingsState } from '../../lib/settings.svelte';

afterEach(cleanup);

function bannerWith(shown: Partial<ClockStatus>) {
  const settings = new SettingsState();
  settings.clock = {
    offsetMs: 120_000,
    uncertaintyMs: 40,
    source: 'https://pi.corp.example',
    measuredAtMs: Date.UTC(2026, 11, 7, 9),
    off: true,
    corrected: false,
    needsSecondSource: false,
    ...shown,
  };
  render(ClockBanner, { settings, onopen: () => {} });
  return screen.getByTestId('clock-banner-state');
}

describe('ClockBanner', () => {
  it('says how to fix the clock, that codes follow the measured time, or what that needs', () => {
    expect(bannerWith({}).textContent).toContain('automatic date and time');
    cleanup();
    expect(bannerWith({ corrected: true }).textContent).toContain('uses the measured time');
    cleanup();
    const waiting = bannerWith({ needsSecondSource: true });
    expect(waiting.dataset.state).toBe('NeedsSecondSource');
    expect(waiting.textContent).toContain('time server (NTP)');
  });

  it('is not there while the clock is right', () => {
    const settings = new SettingsState();
    render(ClockBanner, { settings, onopen: () => {} });
    expect(screen.queryByTestId('clock-banner')).toBeNull();
  });
});
