import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountsState } from './accounts.svelte';
import { api } from './api';
import { ScanFlow } from './scan.svelte';

afterEach(() => clearMocks());

const account = (id: string) => ({ id, issuer: 'ACME', name: id, kind: 'totp', digits: 6, period: 30 });

function mockScan(items: unknown[], added: string[] = []) {
  mockIPC((command, args) => {
    if (command === 'scan_screen') return { items, batch: null };
    if (command === 'add_scanned') {
      const { pendingId } = args as { pendingId: string };
      added.push(pendingId);
      return account(pendingId);
    }
    if (command === 'account_codes') return { nowMs: 0, codes: [] };
  });
}

describe('ScanFlow', () => {
  it('adds a single account at once and says which', async () => {
    const added: string[] = [];
    mockScan([{ kind: 'account', pendingId: 'p1', issuer: 'ACME', name: 'alice' }], added);
    const accounts = new AccountsState();
    const flow = new ScanFlow(accounts);
    expect(await flow.run('screen', api.scanScreen)).toBe('ACME');
    expect(added).toEqual(['p1']);
    expect(accounts.accounts).toHaveLength(1);
    expect(flow.items).toBeNull();
  });

  it('registers a lone container at once only when there is nothing to ask', async () => {
    const container = {
      kind: 'container',
      name: 'Corp (SMPH1)',
      host: 'pi.corp.example',
      sendsPassphrase: false,
    };
    const added: string[] = [];
    mockScan([{ ...container, pendingId: 'c1', offerable: [] }], added);
    expect(await new ScanFlow(new AccountsState()).run('screen', api.scanScreen)).toBe('Corp (SMPH1)');
    expect(added).toEqual(['c1']);

    // Accounts it may recognise: the user is asked first.
    const asked: string[] = [];
    mockScan(
      [{ ...container, pendingId: 'c2', offerable: [{ id: 'a1', issuer: 'Corp', name: 'alice' }] }],
      asked,
    );
    const flow = new ScanFlow(new AccountsState());
    expect(await flow.run('screen', api.scanScreen)).toBeNull();
    expect(asked).toEqual([]);
    expect(flow.items).toHaveLength(1);
  });

  it('offers each item when a scan finds several, and adds all on request', async () => {
    const added: string[] = [];
    mockScan(
      [
        { kind: 'account', pendingId: 'p1', issuer: 'ACME', name: 'alice' },
        { kind: 'other', preview: 'https://example.com' },
        { kind: 'account', pendingId: 'p2', issuer: 'ACME', name: 'bob' },
      ],
      added,
    );
    const flow = new ScanFlow(new AccountsState());
    expect(await flow.run('screen', api.scanScreen)).toBeNull();
    expect(flow.items).toHaveLength(3);
    expect(added).toEqual([]);
    await flow.addAll();
    expect(added).toEqual(['p1', 'p2']);
    expect(flow.added).toEqual(['p1', 'p2']);
  });

  it('keeps the error of a failed scan', async () => {
    mockIPC(() => {
      throw { code: 'screen_capture', message: 'no display' };
    });
    const flow = new ScanFlow(new AccountsState());
    await flow.run('screen', api.scanScreen);
    expect(flow.error?.code).toBe('screen_capture');
    expect(flow.busy).toBe(false);
  });
});
