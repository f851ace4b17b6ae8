import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AccountsState } from './accounts.svelte';

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => {
  vi.useRealTimers();
  clearMocks();
});

function codesAt(nowMs: number, code: string) {
  const from = nowMs - (nowMs % 30_000);
  return {
    nowMs,
    codes: [{ id: 'a', code, nextCode: null, validFromMs: from, validUntilMs: from + 30_000, error: null }],
  };
}

describe('AccountsState', () => {
  it('fetches new codes as soon as the current ones expire', async () => {
    let fetches = 0;
    mockIPC((command) => {
      if (command === 'list_accounts') return [{ id: 'a', issuer: 'X', name: 'y', kind: 'totp', digits: 6, period: 30 }];
      if (command === 'list_push_tokens') return [];
      if (command === 'account_codes') {
        fetches += 1;
        return codesAt(Date.now(), fetches === 1 ? '111111' : '222222');
      }
    });
    const state = new AccountsState();
    await state.load();
    expect(state.codes.a?.code).toBe('111111');

    state.start();
    await vi.advanceTimersByTimeAsync(19_000); // the window is 990_000..1_020_000
    expect(fetches).toBe(1);
    await vi.advanceTimersByTimeAsync(1_250); // just past its end
    expect(fetches).toBe(2);
    expect(state.codes.a?.code).toBe('222222');
    state.stop();
  });

  it('keeps the load error, retries, and clears it once a retry works', async () => {
    let attempts = 0;
    mockIPC((command) => {
      if (command === 'list_accounts' || command === 'list_push_tokens') return [];
      if (command === 'account_codes') {
        attempts += 1;
        if (attempts === 1) throw { code: 'keychain_locked', message: 'locked' };
        return { nowMs: Date.now(), codes: [] };
      }
    });
    const state = new AccountsState();
    await state.load();
    expect(state.loadError?.code).toBe('keychain_locked');
    state.start();
    await vi.advanceTimersByTimeAsync(5_500);
    expect(attempts).toBe(2);
    // The banner goes, and codes are no longer fetched every few seconds.
    expect(state.loadError).toBeNull();
    await vi.advanceTimersByTimeAsync(11_000);
    expect(attempts).toBe(2);
    state.stop();
  });
});

describe('search', () => {
  it('matches every word in the issuer or the name, ignoring case and accents', () => {
    const state = new AccountsState();
    const make = (id: string, issuer: string, name: string) => ({ id, issuer, name, kind: 'totp' as const, digits: 6, period: 30 });
    state.accounts = [make('1', 'Bank Zürich', 'alice'), make('2', 'GitHub', 'alice'), make('3', 'GitLab', 'bob')];
    state.query = 'zurich';
    expect(state.visible.map((a) => a.id)).toEqual(['1']);
    state.query = 'ALICE git';
    expect(state.visible.map((a) => a.id)).toEqual(['2']);
    state.query = '  ';
    expect(state.visible).toHaveLength(3);
  });
});
