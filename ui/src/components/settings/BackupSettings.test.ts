import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import BackupBanner from '../home/BackupBanner.svelte';
import BackupSettings from './BackupSettings.svelte';
import type { BackupStatus, IpcError } from '../../lib/api';
import { BackupsState } from '../../lib/backups.svelte';
import { describedText, isInvalid } from '../../lib/testing';

afterEach(() => {
  cleanup();
  clearMocks();
});

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

describe('BackupSettings → password', () => {
  /** Opens the password form, with a password set; the Rust side refuses with `refusal`. */
  async function passwordForm(refusal: IpcError | null = null) {
    mockIPC((command) => {
      if (command === 'set_backup_password') {
        if (refusal) throw refusal;
        return status;
      }
    });
    render(BackupSettings, { backups: backupsWith({}) });
    await fireEvent.click(screen.getByTestId('backup-password-open'));
    const fields = {
      current: screen.getByTestId('backup-current'),
      password: screen.getByTestId('backup-password'),
      repeat: screen.getByTestId('backup-repeat'),
    };
    for (const field of Object.values(fields)) {
      expect(isInvalid(field)).toBe(false);
      expect(field.hasAttribute('aria-describedby')).toBe(false);
    }
    return fields;
  }

  async function save(fields: Awaited<ReturnType<typeof passwordForm>>, password: string, repeat = password) {
    await fireEvent.input(fields.current, { target: { value: 'the old one' } });
    await fireEvent.input(fields.password, { target: { value: password } });
    await fireEvent.input(fields.repeat, { target: { value: repeat } });
    await fireEvent.click(screen.getByTestId('backup-password-save'));
  }

  it('ties two passwords that differ to the repeated one', async () => {
    const fields = await passwordForm();
    await save(fields, 'correct horse', 'correct hose');
    await screen.findByTestId('backup-password-mismatch');
    expect(isInvalid(fields.repeat)).toBe(true);
    expect(describedText(fields.repeat)).toBe('The two passwords differ.');
    expect(isInvalid(fields.password)).toBe(false);
  });

  it('ties a new password too short to the new password', async () => {
    const fields = await passwordForm({ code: 'invalid_parameter', message: 'x', field: 'password' });
    await save(fields, 'short');
    await screen.findByTestId('form-error');
    expect(isInvalid(fields.password)).toBe(true);
    expect(fields.password.getAttribute('aria-describedby')).toBe('backup-error');
    expect(describedText(fields.password)).toBe('Use a password of 8 characters or more.');
    expect(isInvalid(fields.current)).toBe(false);
    expect(isInvalid(fields.repeat)).toBe(false);
  });

  it('ties a wrong current password to the current password', async () => {
    const fields = await passwordForm({ code: 'wrong_backup_password', message: 'x' });
    await save(fields, 'correct horse');
    await screen.findByTestId('form-error');
    expect(isInvalid(fields.current)).toBe(true);
    expect(describedText(fields.current)).toContain('That password does not open this file');
    expect(isInvalid(fields.password)).toBe(false);
  });
});
