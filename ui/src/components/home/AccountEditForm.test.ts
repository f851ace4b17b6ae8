import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import AccountEditForm from './AccountEditForm.svelte';
import { AccountsState } from '../../lib/accounts.svelte';
import type { IpcError } from '../../lib/api';
import { describedText, githubAccount, isInvalid } from '../../lib/testing';

afterEach(() => {
  cleanup();
  clearMocks();
});

/** Saves the names as they are; the Rust side refuses the rename with `error`. */
async function renameRefused(error: IpcError) {
  mockIPC((command) => {
    if (command === 'rename_account') throw error;
  });
  const accounts = new AccountsState();
  accounts.accounts = [githubAccount];
  render(AccountEditForm, { account: githubAccount, accounts, onclose: () => {} });
  const issuer = screen.getByTestId('edit-issuer');
  const name = screen.getByTestId('edit-name');
  for (const field of [issuer, name]) {
    expect(isInvalid(field)).toBe(false);
    expect(field.hasAttribute('aria-describedby')).toBe(false);
  }
  await fireEvent.click(screen.getByTestId('edit-save'));
  await screen.findByRole('alert');
  return { issuer, name };
}

describe('AccountEditForm', () => {
  it('ties an error on the service name to that field only', async () => {
    const { issuer, name } = await renameRefused({ code: 'too_long', message: 'x', field: 'issuer' });
    expect(isInvalid(issuer)).toBe(true);
    expect(issuer.getAttribute('aria-describedby')).toBe('edit-error-a1');
    expect(describedText(issuer)).toContain('The service name is too long');
    expect(isInvalid(name)).toBe(false);
    expect(name.hasAttribute('aria-describedby')).toBe(false);
  });

  it('ties an error that names no field to the account name', async () => {
    const { issuer, name } = await renameRefused({ code: 'database', message: 'x' });
    expect(isInvalid(name)).toBe(true);
    expect(describedText(name)).toContain('could not read or write its account list');
    expect(isInvalid(issuer)).toBe(false);
  });

  it('ties a missing label to both fields', async () => {
    const { issuer, name } = await renameRefused({ code: 'missing_label', message: 'x' });
    for (const field of [issuer, name]) {
      expect(isInvalid(field)).toBe(true);
      expect(describedText(field)).toContain('Give the account a service or an account name');
    }
  });
});
