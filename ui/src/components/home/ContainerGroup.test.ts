import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import AccountList from './AccountList.svelte';
import { AccountsState } from '../../lib/accounts.svelte';
import type { Container } from '../../lib/api';
import { homeReply, noCodes } from '../../lib/testing';

afterEach(() => {
  cleanup();
  clearMocks();
});

const container: Container = {
  id: 'c1',
  serial: 'SMPH1',
  issuer: 'Corp',
  host: 'pi.corp.example',
  state: 'registered',
  lastSyncAt: null,
  lastError: null,
  accountIds: ['a2'],
  pushTokenIds: ['t1'],
  canMove: true,
  canUnregister: false,
  canDeleteTokens: true,
  risk: null,
};

function listWith(containers: Container[]) {
  const accounts = new AccountsState();
  accounts.loaded = true;
  accounts.accounts = [
    { id: 'a1', issuer: 'GitHub', name: 'me', kind: 'totp', digits: 6, period: 30 },
    { id: 'a2', issuer: 'Corp', name: 'TOTP0001', kind: 'totp', digits: 6, period: 30 },
  ];
  accounts.pushTokens = [
    { id: 't1', serial: 'PIPU1', label: 'PIPU1', issuer: 'Corp', host: 'pi.corp.example', risk: null },
  ];
  accounts.containers = containers;
  return accounts;
}

/** Delete, in the menu of the first account row in `scope`. */
async function deleteFirstAccount(scope: HTMLElement): Promise<void> {
  await fireEvent.click(scope.querySelector('[data-testid=account] [data-testid=row-menu]') as HTMLElement);
  await fireEvent.click(scope.querySelector('[data-testid=menu-delete]') as HTMLElement);
}

describe('a container in the list', () => {
  it('groups the tokens it manages under "Managed by", apart from the phone\'s own', () => {
    mockIPC(() => null);
    render(AccountList, { accounts: listWith([container]), onadd: () => {} });
    const group = screen.getByTestId('container');
    expect(group.querySelector('h2')?.textContent).toBe('Managed by Corp');
    expect(group.querySelectorAll('[data-testid=account]')).toHaveLength(1);
    expect(group.querySelectorAll('[data-testid=push-token]')).toHaveLength(1);
    const own = screen.getByTestId('account-list');
    expect(own.querySelectorAll('[data-testid=account]')).toHaveLength(1);
    expect(own.querySelectorAll('[data-testid=push-token]')).toHaveLength(0);
    expect(screen.getByTestId('container-last-sync').textContent).toContain('Not synced yet');
    // What the server's policy allows, and nothing else.
    expect(screen.queryByTestId('container-move')).not.toBeNull();
    expect(screen.queryByTestId('container-unregister')).toBeNull();
  });

  it('says when the container moved to another phone and offers to remove it', () => {
    mockIPC(() => null);
    render(AccountList, {
      accounts: listWith([{ ...container, state: 'moved', lastError: 'container_moved' }]),
      onadd: () => {},
    });
    expect(screen.getByTestId('container-moved').textContent).toContain('moved to another phone');
    expect(screen.queryByTestId('container-forget')).not.toBeNull();
    expect(screen.queryByTestId('container-sync')).toBeNull();
  });

  it('removes even a registered container from this phone, after saying the server is not told', async () => {
    const calls: string[] = [];
    mockIPC((command) => {
      calls.push(command);
      if (command === 'home_screen') return homeReply();
      if (command === 'account_codes') return noCodes;
      return null;
    });
    render(AccountList, { accounts: listWith([container]), onadd: () => {} });
    await fireEvent.click(screen.getByTestId('container-forget'));
    expect(calls).not.toContain('forget_container');
    const confirm = screen.getByTestId('container-forget-confirm');
    expect(confirm.textContent).toContain('pi.corp.example is not told');
    await fireEvent.click(screen.getByTestId('container-forget-yes'));
    await vi.waitFor(() => expect(calls).toContain('forget_container'));

    // Over an unchecked connection its accounts stay, and it says so.
    cleanup();
    render(AccountList, {
      accounts: listWith([{ ...container, risk: 'certificate_unchecked' }]),
      onadd: () => {},
    });
    await fireEvent.click(screen.getByTestId('container-forget'));
    expect(screen.getByTestId('container-forget-confirm').textContent).toContain(
      'stay on this phone as your own',
    );
  });

  it('says what deleting a managed token does, or that the server does not allow it', async () => {
    mockIPC(() => null);
    render(AccountList, { accounts: listWith([container]), onadd: () => {} });
    await deleteFirstAccount(screen.getByTestId('container'));
    expect(screen.getByTestId('confirm-delete').textContent).toContain('does not remove it at the server');
    cleanup();
    render(AccountList, { accounts: listWith([{ ...container, canDeleteTokens: false }]), onadd: () => {} });
    await deleteFirstAccount(screen.getByTestId('container'));
    expect(screen.getByTestId('confirm-delete').textContent).toContain('does not allow deleting it');
    // The phone's own accounts keep the plain question.
    cleanup();
    render(AccountList, { accounts: listWith([container]), onadd: () => {} });
    await deleteFirstAccount(screen.getByTestId('account-list'));
    expect(screen.getByTestId('confirm-delete').textContent).not.toContain('server');
  });

  it('syncs on "Sync now" and reads the lists again', async () => {
    const calls: string[] = [];
    mockIPC((command) => {
      calls.push(command);
      if (command === 'sync_containers') {
        return [{ containerId: 'c1', added: 2, removed: 1, keptByPolicy: 0, error: null }];
      }
      if (command === 'home_screen') return homeReply({ containers: [container] });
      if (command === 'account_codes') return noCodes;
      return [];
    });
    render(AccountList, { accounts: listWith([container]), onadd: () => {} });
    await fireEvent.click(screen.getByTestId('container-sync'));
    await vi.waitFor(() => expect(calls).toContain('home_screen'));
    // The rows fetched their codes as they came on screen; the sync came before the lists.
    expect(calls.filter((call) => call !== 'account_codes')[0]).toBe('sync_containers');
  });

  it('shows why a sync now failed', async () => {
    mockIPC((command) => {
      if (command === 'sync_containers') {
        return [
          {
            containerId: 'c1',
            added: 0,
            removed: 0,
            keptByPolicy: 0,
            error: { code: 'container_moved', message: '' },
          },
        ];
      }
      if (command === 'home_screen') return homeReply({ containers: [container] });
      if (command === 'account_codes') return noCodes;
      return [];
    });
    render(AccountList, { accounts: listWith([container]), onadd: () => {} });
    await fireEvent.click(screen.getByTestId('container-sync'));
    expect((await screen.findByTestId('container-error')).dataset.errorCode).toBe('container_moved');
  });

  it('shows why the last sync failed', () => {
    mockIPC(() => null);
    render(AccountList, { accounts: listWith([{ ...container, lastError: 'network' }]), onadd: () => {} });
    expect(screen.getByTestId('container-error').dataset.errorCode).toBe('network');
  });
});
