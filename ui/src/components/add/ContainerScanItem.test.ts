import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import ScanResults from './ScanResults.svelte';
import { AccountsState } from '../../lib/accounts.svelte';
import { ScanFlow } from '../../lib/scan.svelte';
import { homeReply, noCodes, scannedContainer } from '../../lib/testing';

afterEach(() => {
  cleanup();
  clearMocks();
});

describe('a scanned container registration', () => {
  it('asks for the passphrase its server wants, and sends it with the registration', async () => {
    const sent: unknown[] = [];
    mockIPC((command, args) => {
      if (command === 'add_scanned') {
        sent.push(args);
        return {
          kind: 'container',
          value: {
            container: {
              id: 'c1',
              serial: 'SMPH1',
              issuer: 'Corp',
              host: 'pi.corp.example',
              state: 'registered',
              lastSyncAt: 1,
              lastError: null,
              accountIds: [],
              pushTokenIds: [],
              canMove: false,
              canUnregister: true,
              canDeleteTokens: true,
              risk: null,
            },
            tokens: 2,
            syncError: null,
          },
        };
      }
      if (command === 'home_screen') return homeReply();
      if (command === 'account_codes') return noCodes;
      return null;
    });
    const flow = new ScanFlow(new AccountsState());
    flow.items = [scannedContainer()];
    render(ScanResults, { flow });
    const add = screen.getByTestId('scan-add') as HTMLButtonElement;
    expect(screen.getByTestId('scan-container').textContent).toContain('managed by their server');
    expect(screen.getByLabelText(/Your company PIN/)).toBeTruthy();
    // Who asks, and where the passphrase goes.
    expect(screen.getByTestId('scan-container-host').textContent).toContain('pi.corp.example');
    expect(screen.getByTestId('scan-passphrase-use').textContent).toContain('sent to pi.corp.example');
    expect(add.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('scan-passphrase'), { target: { value: '1234' } });
    expect(add.disabled).toBe(false);
    await fireEvent.click(add);
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ pendingId: 'p1', allowInsecure: false, passphrase: '1234', offer: [] });
  });

  it('warns before registering with a server reached insecurely', () => {
    const flow = new ScanFlow(new AccountsState());
    flow.items = [
      {
        kind: 'container',
        pendingId: 'p2',
        name: 'Corp (SMPH2)',
        host: 'pi.corp.example',
        sendsPassphrase: false,
        risk: 'certificate_unchecked',
        offerable: [],
      },
    ];
    render(ScanResults, { flow });
    expect(screen.getByTestId('scan-container').textContent).toContain('without checking');
    expect(screen.getByTestId('scan-add').textContent?.trim()).toBe('Register anyway');
  });

  it('lists the accounts its server may know, none ticked, and offers only those the user ticks', async () => {
    const sent: Record<string, unknown>[] = [];
    mockIPC((command, args) => {
      if (command === 'add_scanned') {
        sent.push(args as Record<string, unknown>);
        throw { code: 'network', message: 'stop here' };
      }
      return null;
    });
    const flow = new ScanFlow(new AccountsState());
    flow.items = [
      {
        kind: 'container',
        pendingId: 'p3',
        name: 'privacyIDEA (SMPH3)',
        host: 'pi.corp.example',
        sendsPassphrase: false,
        offerable: [
          { id: 'a1', issuer: 'privacyIDEA', name: 'alice' },
          { id: 'a2', issuer: 'privacyIDEA', name: 'alice-admin' },
        ],
      },
    ];
    render(ScanResults, { flow });
    const offer = screen.getByTestId('scan-offer');
    expect(offer.textContent).toContain('pi.corp.example');
    expect(offer.textContent).toContain('privacyIDEA (alice-admin)');
    const boxes = screen.getAllByTestId('scan-offer-account') as HTMLInputElement[];
    expect(boxes.map((box) => box.checked)).toEqual([false, false]);

    // Registered as it is: nothing offered.
    await fireEvent.click(screen.getByTestId('scan-add'));
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.offer).toEqual([]);

    // One ticked: that one alone.
    await fireEvent.click(boxes[1]!);
    await fireEvent.click(screen.getByTestId('scan-add'));
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1]?.offer).toEqual(['a2']);
  });
});
