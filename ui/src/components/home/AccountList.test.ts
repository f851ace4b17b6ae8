import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import AccountList from './AccountList.svelte';
import type { Account } from '../../lib/api';
import { AccountsState } from '../../lib/accounts.svelte';
import { firstCodes } from '../../lib/startup.svelte';
import { toast } from '../../lib/toast.svelte';
import { firePointer } from '../../lib/testing';

const account = (id: string, issuer: string): Account => ({
  id,
  issuer,
  name: 'alice',
  kind: 'totp',
  digits: 6,
  period: 30,
});
const SAVED = [account('a', 'GitHub'), account('b', 'GitLab'), account('c', 'Steam')];
const ROW_TOP = 100;
const ROW_PITCH = 100;
const ROW_HEIGHT = 90;

let saves: string[][] = [];

/** Resolves after `count` frames have been drawn. */
async function frames(count: number): Promise<void> {
  for (let n = 0; n < count; n += 1) await new Promise((resolve) => requestAnimationFrame(resolve));
}
let failSaves = false;

// jsdom lays nothing out: each account row sits ROW_PITCH below the one before it.
const layout = {
  offsetTop: {
    configurable: true,
    get(this: HTMLElement) {
      if (this.dataset.accountId === undefined || !this.parentElement) return 0;
      const rows = [...this.parentElement.children].filter(
        (el) => (el as HTMLElement).dataset.accountId !== undefined,
      );
      return ROW_TOP + rows.indexOf(this) * ROW_PITCH;
    },
  },
  offsetHeight: { configurable: true, get: () => ROW_HEIGHT },
};
const originals = {
  offsetTop: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetTop'),
  offsetHeight: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetHeight'),
};

beforeEach(() => {
  Object.defineProperties(HTMLElement.prototype, layout);
  saves = [];
  failSaves = false;
  mockIPC((command, args) => {
    if (command === 'list_accounts') return SAVED;
    if (command === 'home_screen')
      return {
        ...{ accounts: [], pushTokens: [], containers: [], codes: { nowMs: 0, codes: [] }, hideCodes: false },
        accounts: SAVED,
      };
    if (command === 'account_codes') return { nowMs: Date.now(), codes: [] };
    if (command === 'reorder_accounts') {
      if (failSaves) throw { code: 'storage', message: 'disk full' };
      saves.push((args as { ids: string[] }).ids);
      return null;
    }
  });
});
afterEach(() => {
  cleanup();
  clearMocks();
  Object.defineProperties(HTMLElement.prototype, originals as PropertyDescriptorMap);
});

async function shownList(): Promise<AccountsState> {
  const accounts = new AccountsState();
  await accounts.load();
  render(AccountList, { accounts, onadd: () => {} });
  return accounts;
}

const rowOf = (issuer: string) =>
  screen.getAllByTestId('account').find((row) => row.textContent?.includes(issuer))!;

/** Move, in the row menu of `issuer`: the list goes into reordering. */
async function reorderFrom(issuer: string): Promise<void> {
  await fireEvent.click(rowOf(issuer).querySelector('[data-testid=row-menu]')!);
  await fireEvent.click(screen.getByRole('menuitem', { name: 'Move' }));
  await vi.waitFor(() => expect(screen.getByTestId('reorder-bar')).toBeTruthy());
}

const shownOrder = () => screen.getAllByTestId('issuer').map((el) => el.textContent);
const handleOf = (issuer: string) =>
  screen
    .getAllByTestId('account')
    .find((row) => row.textContent?.includes(issuer))
    ?.querySelector<HTMLElement>('[data-drag-handle]');

const pointer = (target: EventTarget, type: string, clientY: number, pointerType = 'touch') =>
  firePointer(target, type, { y: clientY }, pointerType);

describe('drag to reorder', () => {
  it('follows a finger, makes room as the row passes, and saves once when let go', async () => {
    await shownList();
    await reorderFrom('Steam');
    const steam = handleOf('Steam')!;
    pointer(steam, 'pointerdown', 340);
    pointer(window, 'pointermove', 230); // Steam's middle passes GitLab's
    expect(shownOrder()).toEqual(['GitHub', 'Steam', 'GitLab']);
    pointer(window, 'pointermove', 120); // and GitHub's
    expect(shownOrder()).toEqual(['Steam', 'GitHub', 'GitLab']);
    // The row stays under the finger: 220 px up from where it started, now in the first place.
    const row = steam.closest<HTMLElement>('[data-account-id]')!;
    expect(row.classList.contains('dragging')).toBe(true);
    expect(row.style.transform).toBe('translateY(-20px)');
    expect(saves).toEqual([]);

    pointer(window, 'pointerup', 120);
    await vi.waitFor(() => expect(saves).toEqual([['c', 'a', 'b']]));
    expect(toast.message).toBe('Steam moved to position 1 of 3');
    expect(row.classList.contains('dragging')).toBe(false);
    expect(row.style.transform).toBe('');
  });

  it('works with the mouse too, and a press without a move changes nothing', async () => {
    await shownList();
    await reorderFrom('GitHub');
    const github = handleOf('GitHub')!;
    pointer(github, 'pointerdown', 140, 'mouse');
    pointer(window, 'pointermove', 142, 'mouse');
    pointer(window, 'pointerup', 142, 'mouse');
    pointer(github, 'pointerdown', 140, 'mouse');
    pointer(window, 'pointermove', 370, 'mouse');
    pointer(window, 'pointerup', 370, 'mouse');
    await vi.waitFor(() => expect(saves).toEqual([['b', 'c', 'a']]));
    expect(shownOrder()).toEqual(['GitLab', 'Steam', 'GitHub']);
  });

  it('puts the row back when Escape is pressed or the system takes the pointer', async () => {
    await shownList();
    await reorderFrom('Steam');
    const steam = handleOf('Steam')!;
    pointer(steam, 'pointerdown', 340);
    pointer(window, 'pointermove', 120);
    expect(shownOrder()).toEqual(['Steam', 'GitHub', 'GitLab']);
    await fireEvent.keyDown(document.body, { key: 'Escape' }); // the focus need not be on the row
    expect(shownOrder()).toEqual(['GitHub', 'GitLab', 'Steam']);

    pointer(steam, 'pointerdown', 340);
    pointer(window, 'pointermove', 120);
    pointer(window, 'pointercancel', 120);
    expect(shownOrder()).toEqual(['GitHub', 'GitLab', 'Steam']);
    pointer(window, 'pointerup', 120);
    expect(saves).toEqual([]);
  });

  it('moves one place with the arrow keys on the handle, keeping the focus there', async () => {
    await shownList();
    await reorderFrom('GitHub');
    const github = handleOf('GitHub')!;
    github.focus();
    await fireEvent.keyDown(github, { key: 'ArrowDown' });
    expect(shownOrder()).toEqual(['GitLab', 'GitHub', 'Steam']);
    expect(document.activeElement).toBe(github);
    expect(toast.message).toBe('GitHub moved to position 2 of 3');
    await fireEvent.keyDown(github, { key: 'ArrowDown' });
    await fireEvent.keyDown(github, { key: 'ArrowDown' }); // already last: nothing to save
    await vi.waitFor(() =>
      expect(saves).toEqual([
        ['b', 'a', 'c'],
        ['b', 'c', 'a'],
      ]),
    );
  });

  it('shows the saved order again, and says why, when saving fails', async () => {
    const accounts = await shownList();
    await reorderFrom('Steam');
    failSaves = true;
    const steam = handleOf('Steam')!;
    pointer(steam, 'pointerdown', 340);
    pointer(window, 'pointermove', 120);
    pointer(window, 'pointerup', 120);
    await vi.waitFor(() => expect(shownOrder()).toEqual(['GitHub', 'GitLab', 'Steam']));
    expect(accounts.accounts.map((a) => a.id)).toEqual(['a', 'b', 'c']);
    await vi.waitFor(() => expect(toast.message).toMatch(/^Pocket could not use its data folder/));
  });

  it('is a mode: Move in a row menu starts it on that row, Done or Escape ends it there', async () => {
    await shownList();
    expect(screen.queryByTestId('drag')).toBeNull();
    await reorderFrom('GitLab');
    expect(screen.getAllByTestId('drag')).toHaveLength(3);
    expect(document.activeElement).toBe(handleOf('GitLab'));
    expect(toast.message).toContain('Reordering. Move GitLab with');
    // No copying and no menus while reordering.
    expect(screen.queryByTestId('copy')).toBeNull();
    expect(screen.queryByTestId('row-menu')).toBeNull();
    await fireEvent.click(screen.getByTestId('reorder-done'));
    await vi.waitFor(() => expect(document.activeElement).toBe(rowOf('GitLab').querySelector('button.main')));
    expect(screen.queryByTestId('drag')).toBeNull();

    await reorderFrom('Steam');
    await fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await vi.waitFor(() => expect(screen.queryByTestId('reorder-bar')).toBeNull());
    await vi.waitFor(() => expect(document.activeElement).toBe(rowOf('Steam').querySelector('button.main')));
  });

  it('offers no handle to a lone account', async () => {
    const accounts = new AccountsState();
    accounts.accounts = [SAVED[0]!];
    accounts.loaded = true;
    render(AccountList, { accounts, onadd: () => {} });
    expect(screen.queryByTestId('drag')).toBeNull();
  });
});

describe('a long list', () => {
  it('makes the first rows at once and the rest over the next frames', async () => {
    const many = Array.from({ length: 400 }, (_, n) => account(`id${n}`, `Service ${n}`));
    const accounts = new AccountsState();
    accounts.accounts = many;
    accounts.firstRows = 12;
    accounts.loaded = true;
    firstCodes.reset();
    render(AccountList, { accounts, onadd: () => {} });
    const made = () => screen.getAllByTestId('account').length;
    expect(made()).toBe(12);
    // Nothing more is made until the first codes are drawn: they go first.
    await frames(3);
    expect(made()).toBe(12);
    firstCodes.drawn = true;
    await vi.waitFor(() => expect(made()).toBe(400), { timeout: 20_000 });
    expect(screen.getAllByTestId('issuer').map((el) => el.textContent)).toEqual(many.map((a) => a.issuer));
  }, 30_000);
});
