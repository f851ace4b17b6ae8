import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import AddByKey from './AddByKey.svelte';
import { AccountsState } from '../../lib/accounts.svelte';
import type { IpcError } from '../../lib/api';
import { describedText, isInvalid } from '../../lib/testing';

afterEach(() => {
  cleanup();
  clearMocks();
});

/** Types a setup key and adds it; the Rust side refuses with `error`. */
async function addRefused(error: IpcError) {
  mockIPC((command) => {
    if (command === 'add_account_manual') throw error;
  });
  render(AddByKey, { accounts: new AccountsState(), onadded: () => {} });
  await fireEvent.input(screen.getByTestId('secret-input'), { target: { value: 'JBSWY3DP!' } });
  for (const id of ['issuer-input', 'name-input', 'secret-input']) {
    const field = screen.getByTestId(id);
    expect(isInvalid(field)).toBe(false);
    expect(describedText(field)).not.toContain('not valid');
  }
  await fireEvent.click(screen.getByTestId('submit-key'));
  await screen.findByTestId('form-error');
}

describe('AddByKey', () => {
  it('ties an error on the setup key to that field, after its hint, and to no other', async () => {
    await addRefused({ code: 'invalid_parameter', message: 'x', field: 'secret' });
    const secret = screen.getByTestId('secret-input');
    expect(isInvalid(secret)).toBe(true);
    expect(secret.getAttribute('aria-describedby')).toBe('secret-hint add-key-error');
    expect(describedText(secret)).toContain('The setup key is not valid');
    for (const id of ['issuer-input', 'name-input']) {
      expect(isInvalid(screen.getByTestId(id))).toBe(false);
      expect(screen.getByTestId(id).hasAttribute('aria-describedby')).toBe(false);
    }
  });

  it('ties an error on the service name to that field', async () => {
    await addRefused({ code: 'too_long', message: 'x', field: 'issuer' });
    const issuer = screen.getByTestId('issuer-input');
    expect(isInvalid(issuer)).toBe(true);
    expect(describedText(issuer)).toContain('The service name is too long');
    expect(isInvalid(screen.getByTestId('secret-input'))).toBe(false);
    expect(screen.getByTestId('secret-input').getAttribute('aria-describedby')).toBe('secret-hint');
  });

  it('ties an error on the time per code to that field in the advanced settings', async () => {
    await addRefused({ code: 'invalid_parameter', message: 'x', field: 'period' });
    const period = screen.getByLabelText(/Seconds per code/);
    expect(isInvalid(period)).toBe(true);
    expect(describedText(period)).toContain('between 1 second and 1 day');
  });

  it('ties a missing label to both name fields', async () => {
    await addRefused({ code: 'missing_label', message: 'x' });
    for (const id of ['issuer-input', 'name-input']) {
      const field = screen.getByTestId(id);
      expect(isInvalid(field)).toBe(true);
      expect(describedText(field)).toContain('Give the account a service or an account name');
    }
    expect(isInvalid(screen.getByTestId('secret-input'))).toBe(false);
  });
});
