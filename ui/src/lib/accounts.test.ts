import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AccountsState } from './accounts.svelte';
import type { Account, Home } from './api';
import { firstCodes } from './startup.svelte';
import { homeReply } from './testing';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  firstCodes.reset();
});
afterEach(() => {
  vi.useRealTimers();
  clearMocks();
});

function codesAt(nowMs: number, code: string, ids: string[] = ['a']) {
  const from = nowMs - (nowMs % 30_000);
  return {
    nowMs,
    codes: ids.map((id) => ({
      id,
      code,
      nextCode: null,
      validFromMs: from,
      validUntilMs: from + 30_000,
      error: null,
    })),
  };
}

const asked = (args: unknown) => (args as { ids: string[] }).ids;

const accountA: Account = { id: 'a', issuer: 'X', name: 'y', kind: 'totp', digits: 6, period: 30 };

function home(codes: ReturnType<typeof codesAt>, hideCodes = false) {
  return homeReply({ accounts: [accountA], codes, hideCodes });
}

describe('AccountsState', () => {
  it("reads the list with the first rows' codes at once, and new codes once they expire", async () => {
    let fetches = 0;
    const asks: unknown[] = [];
    mockIPC((command, args) => {
      asks.push(command === 'home_screen' ? args : command);
      if (command === 'home_screen') return home(codesAt(Date.now(), '111111'));
      if (command === 'account_codes') {
        fetches += 1;
        return codesAt(Date.now(), '222222', asked(args));
      }
    });
    const state = new AccountsState();
    expect(firstCodes.drawn).toBe(false);
    await state.load();
    // One round trip, which brings the first rows' codes and says how many rows those are.
    expect(asks).toEqual([{}]);
    expect(state.firstRows).toBe(12);
    expect(state.accounts.map((account) => account.id)).toEqual(['a']);
    expect(state.codes.byId.a?.code).toBe('111111');
    // Two frames on, the one with the codes is painted: the rest of a long list, and the
    // home screen's other panels (App.svelte waits on firstCodes.painted), may come.
    let painted = false;
    void firstCodes.painted.then(() => (painted = true));
    expect(firstCodes.drawn).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(painted).toBe(false);
    await vi.advanceTimersByTimeAsync(40);
    expect(firstCodes.drawn).toBe(true);
    expect(painted).toBe(true);
    // Its row comes on screen with the code there already: nothing more is read.
    state.codes.show('a');
    state.start();
    await vi.advanceTimersByTimeAsync(19_000); // the window is 990_000..1_020_000
    expect(fetches).toBe(0);
    await vi.advanceTimersByTimeAsync(1_250); // just past its end
    expect(fetches).toBe(1);
    expect(state.codes.byId.a?.code).toBe('222222');
    state.stop();
  });

  it('takes the read made at start-up instead of reading again, and its failure too', async () => {
    const asks: string[] = [];
    mockIPC((command) => {
      asks.push(command);
    });
    const state = new AccountsState();
    await state.load(Promise.resolve(home(codesAt(Date.now(), '333333')) as unknown as Home));
    expect(asks).toEqual([]);
    expect(state.codes.byId.a?.code).toBe('333333');
    const failing = new AccountsState();
    await failing.load(Promise.reject({ code: 'locked', message: 'locked' }));
    expect(asks).toEqual([]);
    expect(failing.loadError?.code).toBe('locked');
    expect(failing.loaded).toBe(true);
  });

  it('hides the codes from the first one on when the user chose so', async () => {
    mockIPC((command) => (command === 'home_screen' ? home(codesAt(Date.now(), '111111'), true) : null));
    const state = new AccountsState();
    await state.load();
    expect(state.codes.hideCodes).toBe(true);
  });

  it('says why the list could not be read, and lets the rest of it come', async () => {
    mockIPC(() => {
      throw { code: 'keychain_locked', message: 'locked' };
    });
    const state = new AccountsState();
    await state.load();
    expect(state.loadError?.code).toBe('keychain_locked');
    expect(state.loaded).toBe(true);
    await vi.advanceTimersByTimeAsync(40);
    expect(firstCodes.drawn).toBe(true);
  });

  it('fetches the codes on screen only, and again when more come on screen', async () => {
    const requests: string[][] = [];
    let answer: () => void = () => {};
    mockIPC(async (command, args) => {
      if (command !== 'account_codes') return [];
      requests.push(asked(args));
      await new Promise<void>((resolve) => (answer = resolve));
      return codesAt(Date.now(), '123456', asked(args));
    });
    const state = new AccountsState();
    // Rows that come on screen together go in one fetch.
    const releaseA = state.codes.show('a');
    const releaseC = state.codes.show('c');
    await vi.waitFor(() => expect(requests).toEqual([['a', 'c']]));
    state.codes.show('b'); // while that fetch is under way
    state.codes.show('b'); // shown twice: the row and the pairing notice
    answer();
    await vi.waitFor(() =>
      expect(requests).toEqual([
        ['a', 'c'],
        ['a', 'c', 'b'],
      ]),
    );
    answer();
    await vi.waitFor(() => expect(Object.keys(state.codes.byId)).toEqual(['a', 'c', 'b']));

    releaseA();
    releaseA(); // a second release changes nothing
    releaseC();
    const fetching = state.codes.refresh();
    answer();
    await fetching;
    expect(requests.at(-1)).toEqual(['b']);
    expect(Object.keys(state.codes.byId)).toEqual(['b']);
  });

  it('does not hammer a failing keychain for a code on screen', async () => {
    let fetches = 0;
    mockIPC((command) => {
      if (command !== 'account_codes') return [];
      fetches += 1;
      throw { code: 'keychain_locked', message: 'locked' };
    });
    const state = new AccountsState();
    state.codes.show('a');
    await vi.waitFor(() => expect(state.error?.code).toBe('keychain_locked'));
    state.start();
    await vi.advanceTimersByTimeAsync(4_000);
    expect(fetches).toBe(1);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(fetches).toBe(2);
    state.stop();
  });

  it('keeps the load error, retries, and clears it once a retry works', async () => {
    let attempts = 0;
    mockIPC((command, args) => {
      if (command === 'home_screen') return { ...home({ nowMs: Date.now(), codes: [] }), accounts: [] };
      if (command === 'account_codes') {
        attempts += 1;
        if (attempts === 1) throw { code: 'keychain_locked', message: 'locked' };
        return codesAt(Date.now(), '123456', asked(args));
      }
    });
    const state = new AccountsState();
    await state.load();
    state.codes.show('a');
    await vi.waitFor(() => expect(state.error?.code).toBe('keychain_locked'));
    state.start();
    await vi.advanceTimersByTimeAsync(5_500);
    expect(attempts).toBe(2);
    // The banner goes, and codes are no longer fetched every few seconds.
    expect(state.error).toBeNull();
    await vi.advanceTimersByTimeAsync(11_000);
    expect(attempts).toBe(2);
    state.stop();
  });
});

describe('unmanaged', () => {
  it('leaves out what a container manages, and passes the list itself when none manages any', async () => {
    const accountB = { ...accountA, id: 'b' };
    const token = { id: 't', issuer: 'P', label: 'p', serial: 'PIPU1', host: 'pi.example' };
    const container = {
      id: 'c',
      issuer: 'P',
      host: 'pi.example',
      serial: 'SMPH1',
      accountIds: ['b'],
      pushTokenIds: ['t'],
    };
    let containers: unknown[] = [];
    mockIPC((command) => {
      if (command === 'home_screen')
        return {
          accounts: [accountA, accountB],
          pushTokens: [token],
          containers,
          codes: codesAt(Date.now(), '111111'),
          hideCodes: false,
        };
    });
    const state = new AccountsState();
    await state.load();
    const list = state.accounts;
    expect(state.unmanaged(list)).toBe(list);
    containers = [container];
    await state.load();
    expect(state.unmanaged(state.accounts).map((account) => account.id)).toEqual(['a']);
    expect(state.unmanaged(state.pushTokens)).toEqual([]);
  });
});

describe('search', () => {
  it('matches every word in the issuer or the name, ignoring case and accents', () => {
    const state = new AccountsState();
    const make = (id: string, issuer: string, name: string) => ({
      id,
      issuer,
      name,
      kind: 'totp' as const,
      digits: 6,
      period: 30,
    });
    state.accounts = [
      make('1', 'Bank Zürich', 'alice'),
      make('2', 'GitHub', 'alice'),
      make('3', 'GitLab', 'bob'),
    ];
    state.query = 'zurich';
    expect(state.visible.map((a) => a.id)).toEqual(['1']);
    state.query = 'ALICE git';
    expect(state.visible.map((a) => a.id)).toEqual(['2']);
    state.query = '  ';
    expect(state.visible).toHaveLength(3);
  });
});
