import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import PairedNotice from './PairedNotice.svelte';
import { AccountsState } from '../lib/accounts.svelte';
import type { Account, PushToken } from '../lib/api';

afterEach(() => {
  cleanup();
  clearMocks();
});

const token: PushToken = { id: 't1', serial: 'PIPU1', label: 'alice', issuer: 'Corp', host: 'mfa.corp.example', risk: null };
const codeAccount: Account = { id: 'a1', issuer: 'Corp', name: 'alice', kind: 'totp', digits: 6, period: 30 };

function serveCodes() {
  mockIPC((command) => {
    if (command === 'account_codes') {
      const now = Date.now();
      const from = now - (now % 30_000);
      return {
        nowMs: now,
        codes: [{ id: 'a1', code: '492039', nextCode: null, validFromMs: from, validUntilMs: from + 30_000, error: null }],
      };
    }
  });
}

describe('PairedNotice', () => {
  it('shows the code a pairing brought, says to keep it, and goes when dismissed', async () => {
    serveCodes();
    const accounts = new AccountsState();
    render(PairedNotice, { accounts });
    await accounts.added({ kind: 'pushToken', value: { token, alsoAdded: codeAccount } });
    const notice = await screen.findByTestId('paired');
    expect(notice.querySelector('h2')?.textContent).toBe('Paired with Corp');
    expect((await screen.findByTestId('code')).dataset.code).toBe('492039');
    expect(screen.getByTestId('paired-keep').textContent).toBe(
      'Keep this account: you need its code when no login request arrives.',
    );
    await fireEvent.click(screen.getByTestId('paired-done'));
    expect(screen.queryByTestId('paired')).toBeNull();
    expect(accounts.accounts).toEqual([codeAccount]);
  });

  it('stays away after a pairing without a code account', async () => {
    serveCodes();
    const accounts = new AccountsState();
    render(PairedNotice, { accounts });
    await accounts.added({ kind: 'pushToken', value: { token, alsoAdded: null } });
    expect(screen.queryByTestId('paired')).toBeNull();
    expect(accounts.pushTokens).toEqual([token]);
  });
});
