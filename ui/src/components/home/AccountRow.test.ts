import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import AccountRow from './AccountRow.svelte';
import type { Account, AccountCode } from '../../lib/api';
import { firePointer, githubAccount, githubCode } from '../../lib/testing';
import { AccountsState } from '../../lib/accounts.svelte';
import { LONG_PRESS_MS } from '../../lib/longpress';
import { toast } from '../../lib/toast.svelte';

afterEach(() => {
  cleanup();
  clearMocks();
  vi.useRealTimers();
});

const [account, code] = [githubAccount, githubCode];

function row(
  options: Partial<{ account: Account; code: AccountCode; nowMs: number; accounts: AccountsState }> = {},
  handlers: Partial<{
    ondelete: () => void;
    onreorder: () => void;
    reordering: boolean;
    reorderable: boolean;
  }> = {},
) {
  return render(AccountRow, {
    account,
    code,
    nowMs: 35_000,
    accounts: new AccountsState(),
    ondelete: () => {},
    onreorder: () => {},
    reorderable: true,
    reordering: false,
    ...options,
    ...handlers,
  });
}

describe('AccountRow', () => {
  it('is one button read as service, account, then the code digit by digit; the time left is its description', () => {
    row();
    const button = screen.getByRole('button', { name: 'GitHub, alice, 0 8 1, 8 0 4' });
    expect(screen.getByRole('button', { description: 'Tap to copy. 25 seconds left' })).toBe(button);
    expect(screen.getByTestId('code').textContent?.trim()).toBe('081 804');
    // No timer ticks in the tree: the ring is drawn only.
    expect(screen.queryByRole('timer')).toBeNull();
    // Besides it, one control: the menu.
    const buttons = screen.getAllByRole('button');
    expect(buttons).toHaveLength(2);
    expect(screen.getByRole('button', { name: 'More for GitHub (alice)' })).toBe(buttons[1]);
  });

  it('shows the next code near the end of the period and warns in the last seconds', () => {
    row({ nowMs: 56_500 });
    expect(screen.getByTestId('next-code').textContent).toContain('050 471');
    expect(screen.getByTestId('countdown').classList.contains('ending')).toBe(true);
    expect(
      screen.getByRole('button', { description: 'Tap to copy. 4 seconds left. Next: 0 5 0, 4 7 1' }),
    ).toBe(screen.getByTestId('copy'));
  });

  it('never shows a code past its window', () => {
    row({ nowMs: 60_000 });
    expect(screen.queryByTestId('code')).toBeNull();
    expect(screen.getByRole('button', { name: 'GitHub, alice, No code' })).toBe(screen.getByTestId('copy'));
  });

  it('says why there is no code, in its name', () => {
    const locked = { ...code, code: null, error: { code: 'keychain_locked' as const, message: '' } };
    row({ code: locked });
    expect(screen.getByTestId('code-error').textContent).toContain('keychain is locked');
    expect(screen.getByRole('button', { name: /^GitHub, alice, .*keychain is locked/ })).toBe(
      screen.getByTestId('copy'),
    );
  });

  it('copies with a tap through the Rust side and says so', async () => {
    const copied = vi.fn();
    mockIPC((command, args) => {
      if (command === 'copy_code') copied(args);
    });
    row();
    await fireEvent.click(screen.getByTestId('copy'));
    expect(copied).toHaveBeenCalledWith({ id: 'a1' });
    await vi.waitFor(() => expect(toast.message).toBe('Code for GitHub copied'));
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
    row({ account: hotp, code: none });
    expect(screen.queryByTestId('code')).toBeNull();
    expect(calls).toEqual([]);
    await fireEvent.click(screen.getByTestId('next-hotp'));
    expect((await screen.findByTestId('code')).textContent?.trim()).toBe('755 224');
    expect(screen.getByRole('button', { name: 'GitHub, alice, 7 5 5, 2 2 4' })).toBe(
      screen.getByTestId('next-hotp'),
    );
    expect(calls).toEqual(['next_code']);
  });

  it('keeps edit, move and delete in its menu, walked with the arrow keys', async () => {
    const ondelete = vi.fn();
    const onreorder = vi.fn();
    row({}, { ondelete, onreorder });
    const menuButton = screen.getByRole('button', { name: 'More for GitHub (alice)' });
    expect(menuButton.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(menuButton);
    expect(menuButton.getAttribute('aria-expanded')).toBe('true');
    const items = screen.getAllByRole('menuitem');
    expect(items.map((i) => i.textContent?.trim())).toEqual(['Edit', 'Move', 'Delete']);
    expect(document.activeElement).toBe(items[0]);
    await fireEvent.keyDown(items[0]!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(items[1]);
    await fireEvent.keyDown(items[1]!, { key: 'ArrowUp' });
    await fireEvent.keyDown(items[0]!, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(items[2]);
    await fireEvent.keyDown(items[2]!, { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(menuButton);

    await fireEvent.click(menuButton);
    await fireEvent.click(screen.getByRole('menuitem', { name: 'Delete' }));
    expect(ondelete).toHaveBeenCalledOnce();
    await fireEvent.click(menuButton);
    await fireEvent.click(screen.getByRole('menuitem', { name: 'Move' }));
    expect(onreorder).toHaveBeenCalledOnce();
  });

  it('opens the menu on a long press, and copies nothing then', async () => {
    vi.useFakeTimers();
    const copied = vi.fn();
    mockIPC((command) => {
      if (command === 'copy_code') copied();
    });
    row();
    const button = screen.getByTestId('copy');
    firePointer(button, 'pointerdown', { y: 10 });
    vi.advanceTimersByTime(LONG_PRESS_MS);
    firePointer(button, 'pointerup', { y: 10 });
    button.click();
    vi.useRealTimers();
    expect(await screen.findByRole('menu')).toBeTruthy();
    expect(copied).not.toHaveBeenCalled();
  });

  it('renames an account in place from its menu', async () => {
    const state = new AccountsState();
    state.accounts = [account];
    mockIPC((command, args) => {
      if (command !== 'rename_account') return null;
      const { issuer, name } = args as { issuer: string; name: string };
      return { ...account, issuer, name };
    });
    row({ accounts: state });
    await fireEvent.click(screen.getByTestId('row-menu'));
    await fireEvent.click(screen.getByTestId('menu-edit'));
    await fireEvent.input(screen.getByTestId('edit-issuer'), { target: { value: 'GitHub Enterprise' } });
    await fireEvent.click(screen.getByTestId('edit-save'));
    await vi.waitFor(() => expect(state.accounts[0]?.issuer).toBe('GitHub Enterprise'));
  });

  it('offers no move when it is alone in its list', async () => {
    row({}, { reorderable: false });
    await fireEvent.click(screen.getByTestId('row-menu'));
    expect(screen.getAllByRole('menuitem').map((i) => i.textContent?.trim())).toEqual(['Edit', 'Delete']);
  });

  it('while reordering shows a handle instead of the menu, and a tap copies nothing', () => {
    row({}, { reordering: true });
    expect(screen.queryByTestId('copy')).toBeNull();
    expect(screen.queryByTestId('row-menu')).toBeNull();
    expect(screen.getByRole('button', { name: 'Move GitHub (alice)' })).toBeTruthy();
  });

  it('with codes hidden shows dots until tapped, then the code for the rest of its period', async () => {
    const state = new AccountsState();
    state.codes.hideCodes = true;
    const { rerender } = row({ accounts: state });
    expect(screen.getByTestId('code-hidden').textContent).toBe('••• •••');
    expect(document.body.textContent).not.toContain('081');
    expect(screen.getByRole('button', { name: 'GitHub, alice, code hidden' })).toBe(
      screen.getByTestId('copy'),
    );
    expect(screen.getByRole('button', { description: 'Tap to show' })).toBe(screen.getByTestId('copy'));
    await fireEvent.click(screen.getByTestId('copy'));
    expect(screen.getByTestId('code').textContent).toBe('081 804');
    const next: AccountCode = { ...code, code: '050471', validFromMs: 60_000, validUntilMs: 90_000 };
    await rerender({ code: next, nowMs: 61_000 });
    expect(screen.queryByTestId('code')).toBeNull();
    expect(screen.getByTestId('code-hidden')).toBeTruthy();
  });
});
