import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import AccountRow from './AccountRow.svelte';
import type { Account } from '../../lib/api';
import { githubAccount, githubCode } from '../../lib/testing';
import { AccountsState } from '../../lib/accounts.svelte';

const accounts = new AccountsState();

afterEach(() => {
  cleanup();
  clearMocks();
});

const [account, code] = [githubAccount, githubCode];

describe('AccountRow', () => {
  it('shows the grouped code and the seconds left, without the next code early on', () => {
    render(AccountRow, { account, code, nowMs: 35_000, ondelete: () => {}, reorderable: false, accounts });
    expect(screen.getByTestId('code').textContent?.trim()).toBe('081 804');
    expect(screen.getByRole('timer').getAttribute('aria-label')).toBe('25 seconds left');
    expect(screen.queryByTestId('next-code')).toBeNull();
  });

  it('shows the next code near the end of the period and warns in the last seconds', () => {
    render(AccountRow, { account, code, nowMs: 56_500, ondelete: () => {}, reorderable: false, accounts });
    expect(screen.getByTestId('next-code').textContent).toContain('050 471');
    expect(screen.getByRole('timer').classList.contains('ending')).toBe(true);
  });

  it('never shows a code past its window', () => {
    render(AccountRow, { account, code, nowMs: 60_000, ondelete: () => {}, reorderable: false, accounts });
    expect(screen.queryByTestId('code')).toBeNull();
  });

  it('shows why there is no code', () => {
    const locked = { ...code, code: null, error: { code: 'keychain_locked' as const, message: '' } };
    render(AccountRow, {
      account,
      code: locked,
      nowMs: 35_000,
      ondelete: () => {},
      reorderable: false,
      accounts,
    });
    expect(screen.getByRole('alert').textContent).toContain('keychain is locked');
  });

  it('copies through the Rust side and confirms', async () => {
    const copied = vi.fn();
    mockIPC((command, args) => {
      if (command === 'copy_code') copied(args);
    });
    render(AccountRow, { account, code, nowMs: 35_000, ondelete: () => {}, reorderable: false, accounts });
    // The code people see is the button's name; what it does is its description.
    const button = screen.getByRole('button', { name: '081 804' });
    expect(button.getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByRole('button', { description: 'Copy code for GitHub (alice)' })).toBe(button);
    await fireEvent.click(button);
    expect(copied).toHaveBeenCalledWith({ id: 'a1' });
  });

  it('asks for a counter-based code only when the user wants the next one', async () => {
    const calls: string[] = [];
    mockIPC((command) => {
      calls.push(command);
      return command === 'next_code' ? '755224' : null;
    });
    const hotp: Account = { ...account, kind: 'hotp', period: null };
    const none = {
      ...code,
      code: null,
      nextCode: null,
      validFromMs: null,
      validUntilMs: null,
      error: { code: 'counter_based' as const, message: '' },
    };
    render(AccountRow, {
      account: hotp,
      code: none,
      nowMs: 35_000,
      ondelete: () => {},
      reorderable: false,
      accounts,
    });
    expect(screen.queryByTestId('code')).toBeNull();
    expect(calls).toEqual([]);
    await fireEvent.click(screen.getByTestId('next-hotp'));
    expect((await screen.findByTestId('code')).textContent?.trim()).toBe('755 224');
    expect(calls).toEqual(['next_code']);
  });

  it('renames an account in place', async () => {
    const state = new AccountsState();
    state.accounts = [account];
    mockIPC((command, args) => {
      if (command !== 'rename_account') return null;
      const { issuer, name } = args as { issuer: string; name: string };
      return { ...account, issuer, name };
    });
    render(AccountRow, {
      account,
      code,
      nowMs: 35_000,
      ondelete: () => {},
      reorderable: false,
      accounts: state,
    });
    await fireEvent.click(screen.getByTestId('edit'));
    await fireEvent.input(screen.getByTestId('edit-issuer'), { target: { value: 'GitHub Enterprise' } });
    await fireEvent.click(screen.getByTestId('edit-save'));
    await vi.waitFor(() => expect(state.accounts[0]?.issuer).toBe('GitHub Enterprise'));
  });
});
