import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import RestoreForm from './RestoreForm.svelte';
import { AccountsState } from '../../lib/accounts.svelte';
import type { PickedFile } from '../../lib/api';
import { describedText, isInvalid } from '../../lib/testing';

afterEach(() => {
  cleanup();
  clearMocks();
});

const backup: PickedFile = {
  handle: 'h1',
  name: 'pocket-backup-2026-12-01_09-30-00.json',
  format: 'aegis',
  needsPassword: true,
};

describe('RestoreForm', () => {
  it('ties a wrong password to the password field', async () => {
    mockIPC((cmd) => {
      if (cmd === 'pick_import_file') return backup;
      if (cmd === 'preview_picked') throw { code: 'wrong_backup_password', message: 'no' };
      return null;
    });
    render(RestoreForm, { accounts: new AccountsState() });
    await fireEvent.click(screen.getByTestId('restore-choose'));
    const password = await screen.findByTestId('restore-password');
    expect(isInvalid(password)).toBe(false);
    expect(password.hasAttribute('aria-describedby')).toBe(false);
    await fireEvent.input(password, { target: { value: 'guess' } });
    await fireEvent.click(screen.getByTestId('restore-preview'));
    await screen.findByTestId('form-error');
    expect(isInvalid(password)).toBe(true);
    expect(password.getAttribute('aria-describedby')).toBe('restore-error');
    expect(describedText(password)).toContain('That password does not open this file');
  });
});
