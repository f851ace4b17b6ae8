import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import AddByLink from './AddByLink.svelte';
import { AccountsState } from '../lib/accounts.svelte';

afterEach(() => {
  cleanup();
  clearMocks();
});

describe('AddByLink', () => {
  it('shows the translated error for a malformed link and stays open', async () => {
    mockIPC((command) => {
      if (command === 'add_account_uri') {
        throw { code: 'invalid_parameter', field: 'secret', message: 'bad secret' };
      }
    });
    const onadded = vi.fn();
    render(AddByLink, { accounts: new AccountsState(), onadded });

    await fireEvent.input(screen.getByTestId('uri-input'), {
      target: { value: 'otpauth://totp/x?secret=1111' },
    });
    await fireEvent.click(screen.getByTestId('submit-uri'));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The setup key is not valid');
    expect(onadded).not.toHaveBeenCalled();
  });

  it('adds the account and reports back', async () => {
    const calls: string[] = [];
    mockIPC((command, args) => {
      calls.push(command);
      if (command === 'add_account_uri') {
        expect(args).toEqual({ uri: 'otpauth://totp/A:b?secret=JBSWY3DP' });
        return { id: '1', issuer: 'A', name: 'b', kind: 'totp', digits: 6, period: 30 };
      }
      if (command === 'account_codes') return { nowMs: 0, codes: [] };
    });
    const accounts = new AccountsState();
    const onadded = vi.fn();
    render(AddByLink, { accounts, onadded });

    await fireEvent.input(screen.getByTestId('uri-input'), {
      target: { value: 'otpauth://totp/A:b?secret=JBSWY3DP' },
    });
    await fireEvent.click(screen.getByTestId('submit-uri'));

    await vi.waitFor(() => expect(onadded).toHaveBeenCalledOnce());
    expect(accounts.accounts.map((a) => a.issuer)).toEqual(['A']);
    expect(calls).toEqual(['add_account_uri', 'account_codes']);
  });
});
