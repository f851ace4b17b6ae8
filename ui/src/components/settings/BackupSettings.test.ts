import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import BackupBanner from '../home/BackupBanner.svelte';
import BackupSettings from './BackupSettings.svelte';
import type { BackupStatus } from '../../lib/api';
import { BackupsState } from '../../lib/backups.svelte';

afterEach(cleanup);

const status: BackupStatus = {
  enabled: true,
  folder: '/home/alice/Backups',
  keep: 10,
  hasPassword: true,
  lastOkAtMs: Date.UTC(2026, 11, 1, 9, 30),
  lastFile: '/home/alice/Backups/pocket-backup-2026-12-01_09-30-00.json',
  lastError: null,
  lastErrorAtMs: null,
  staysOnDevice: false,
};

function backupsWith(shown: Partial<BackupStatus> | null): BackupsState {
  const backups = new BackupsState();
  backups.status = shown === null ? null : { ...status, ...shown };
  return backups;
}

describe('BackupBanner', () => {
  it('shows on the home screen while backups are on and the last one failed', () => {
    render(BackupBanner, { backups: backupsWith({ lastError: 'backup_write_failed' }), onopen: () => {} });
    const banner = screen.getByTestId('backup-banner');
    expect(banner.dataset.errorCode).toBe('backup_write_failed');
    expect(banner.textContent).toContain('the disk may be full');
  });

  it('stays away when the last backup worked or backups are off', () => {
    render(BackupBanner, { backups: backupsWith({}), onopen: () => {} });
    expect(screen.queryByTestId('backup-banner')).toBeNull();
    cleanup();
    render(BackupBanner, {
      backups: backupsWith({ enabled: false, lastError: 'backup_folder_missing' }),
      onopen: () => {},
    });
    expect(screen.queryByTestId('backup-banner')).toBeNull();
  });
});

describe('BackupSettings', () => {
  it('cannot be turned on before a folder and a password are set', () => {
    render(BackupSettings, { backups: backupsWith({ enabled: false, folder: null, hasPassword: false }) });
    expect((screen.getByTestId('backup-enabled') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByTestId('backup-needs')).toBeTruthy();
    expect(screen.queryByTestId('backup-now')).toBeNull();
  });

  it('says plainly on a phone that its backups stay on the phone', () => {
    render(BackupSettings, { backups: backupsWith({ staysOnDevice: true }) });
    expect(screen.getByTestId('backup-stays-on-phone').textContent).toContain('stay on this phone');
    cleanup();
    render(BackupSettings, { backups: backupsWith({}) });
    expect(screen.queryByTestId('backup-stays-on-phone')).toBeNull();
  });

  it('says when the last backup was made, and why the last try failed', () => {
    render(BackupSettings, { backups: backupsWith({ lastError: 'backup_check_failed' }) });
    expect(screen.getByTestId('backup-last').dataset.okAt).toBe(String(status.lastOkAtMs));
    expect(screen.getByTestId('backup-failed').dataset.errorCode).toBe('backup_check_failed');
    expect(screen.getByTestId('backup-push-note').textContent).toContain('privacyIDEA container');
  });
});
