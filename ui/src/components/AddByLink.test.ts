import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import AddByLink from './AddByLink.svelte';
import { AccountsState } from '../lib/accounts.svelte';
import { toast } from '../lib/toast.svelte';

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

  it.each([
    ['insecure_server', 'plain HTTP', 'Continue over plain HTTP'],
    ['certificate_unchecked', 'not to check the server', 'Continue without checking the certificate'],
  ])('asks before enrolling a push token with %s, then does so', async (code, warning, button) => {
    const attempts: unknown[] = [];
    const token = { id: 't', serial: 'PIPU1', label: 'PIPU1', issuer: 'Corp', host: 'mfa.example.com', risk: code };
    const also = { id: 'c', issuer: 'Corp', name: 'alice', kind: 'totp', digits: 6, period: 30 };
    mockIPC((command, args) => {
      if (command === 'account_codes') return { nowMs: 0, codes: [] };
      if (command !== 'add_account_uri') return;
      attempts.push(args);
      if ((args as { allowInsecure: boolean }).allowInsecure) {
        return { kind: 'pushToken', value: { token, alsoAdded: also } };
      }
      throw { code, message: 'mfa.example.com is reached …' };
    });
    const accounts = new AccountsState();
    const onadded = vi.fn();
    render(AddByLink, { accounts, onadded });
    await fireEvent.input(screen.getByTestId('uri-input'), { target: { value: 'otpauth://pipush/PIPU1?v=1' } });
    await fireEvent.click(screen.getByTestId('submit-uri'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(warning);
    expect(alert.textContent).toContain('answer logins in your name');
    expect(onadded).not.toHaveBeenCalled();
    expect(screen.getByTestId('allow-insecure').textContent?.trim()).toBe(button);
    await fireEvent.click(screen.getByTestId('allow-insecure'));
    await vi.waitFor(() => expect(onadded).toHaveBeenCalledOnce());
    expect(attempts.map((a) => (a as { allowInsecure: boolean }).allowInsecure)).toEqual([false, true]);
    expect(accounts.pushTokens.map((t) => t.serial)).toEqual(['PIPU1']);
    // The code account the server sent along is in the list, and the user was told.
    expect(accounts.accounts.map((a) => a.id)).toEqual(['c']);
    expect(toast.message).toBe('Also added: Corp (alice)');
  });

  it('adds the account and reports back', async () => {
    const calls: string[] = [];
    mockIPC((command, args) => {
      calls.push(command);
      if (command === 'add_account_uri') {
        expect(args).toEqual({ uri: 'otpauth://totp/A:b?secret=JBSWY3DP', allowInsecure: false });
        return { kind: 'account', value: { id: '1', issuer: 'A', name: 'b', kind: 'totp', digits: 6, period: 30 } };
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
