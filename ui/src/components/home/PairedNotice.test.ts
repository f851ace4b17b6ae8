import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import PairedNotice from './PairedNotice.svelte';
import { AccountsState } from '../../lib/accounts.svelte';
import type { Account } from '../../lib/api';
import { corpToken } from '../../lib/testing';

afterEach(() => {
  cleanup();
  clearMocks();
});

const token = corpToken;
const codeAccount: Account = { id: 'a1', issuer: 'Corp', name: 'alice', kind: 'totp', digits: 6, period: 30 };

const offered = { pendingId: 'o1', issuer: 'Corp', name: 'alice' };

function serveCodes(adds: unknown[] = []) {
  mockIPC((command, args) => {
    if (command === 'add_scanned') {
      adds.push(args);
      return { kind: 'account', value: codeAccount };
    }
    if (command === 'account_codes') {
      const now = Date.now();
      const from = now - (now % 30_000);
      return {
        nowMs: now,
        codes: [
          {
            id: 'a1',
            code: '492039',
            nextCode: null,
            validFromMs: from,
            validUntilMs: from + 30_000,
            error: null,
          },
        ],
      };
    }
  });
}

describe('PairedNotice', () => {
  it('offers the code account a pairing brought, adds it only on a yes, then shows its code', async () => {
    const adds: unknown[] = [];
    serveCodes(adds);
    const accounts = new AccountsState();
    render(PairedNotice, { accounts });
    await accounts.added({ kind: 'pushToken', value: { token, offered } });
    const notice = await screen.findByTestId('paired');
    expect(notice.querySelector('h2')?.textContent).toBe('Paired with Corp');
    expect(screen.getByTestId('paired-offer').textContent).toContain('Corp (alice)');
    expect(accounts.accounts).toEqual([]);
    expect(adds).toEqual([]);
    await fireEvent.click(screen.getByTestId('paired-add'));
    expect(adds).toEqual([{ pendingId: 'o1', allowInsecure: false, passphrase: null, offer: [] }]);
    expect((await screen.findByTestId('code')).dataset.code).toBe('492039');
    expect(screen.getByTestId('paired-keep').textContent).toBe(
      'Keep this account: you need its code when no login request arrives.',
    );
    await fireEvent.click(screen.getByTestId('paired-done'));
    expect(screen.queryByTestId('paired')).toBeNull();
    expect(accounts.accounts).toEqual([codeAccount]);
  });

  it('adds nothing when the user says not now', async () => {
    const adds: unknown[] = [];
    serveCodes(adds);
    const accounts = new AccountsState();
    render(PairedNotice, { accounts });
    await accounts.added({ kind: 'pushToken', value: { token, offered } });
    await fireEvent.click(await screen.findByTestId('paired-skip'));
    expect(screen.queryByTestId('paired')).toBeNull();
    expect(accounts.accounts).toEqual([]);
    expect(adds).toEqual([]);
  });

  it('stays away after a pairing without a code account', async () => {
    serveCodes();
    const accounts = new AccountsState();
    render(PairedNotice, { accounts });
    await accounts.added({ kind: 'pushToken', value: { token, offered: null } });
    expect(screen.queryByTestId('paired')).toBeNull();
    expect(accounts.pushTokens).toEqual([token]);
  });
});
