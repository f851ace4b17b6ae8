import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import AddByLink from './AddByLink.svelte';
import { AccountsState } from '../../lib/accounts.svelte';
import { describedText, isInvalid, scannedContainer } from '../../lib/testing';

afterEach(() => {
  cleanup();
  clearMocks();
});

async function paste(link: string) {
  await fireEvent.input(screen.getByTestId('uri-input'), { target: { value: link } });
  await fireEvent.click(screen.getByTestId('submit-uri'));
}

const account = { id: '1', issuer: 'A', name: 'b', kind: 'totp', digits: 6, period: 30 };

describe('AddByLink', () => {
  it('shows the translated error for a malformed link and stays open', async () => {
    mockIPC((command) => {
      if (command === 'scan_text') {
        return {
          items: [{ kind: 'invalid', error: { code: 'invalid_parameter', message: 'x', field: 'secret' } }],
          batch: null,
        };
      }
    });
    const onadded = vi.fn();
    render(AddByLink, { accounts: new AccountsState(), onadded });
    await paste('otpauth://totp/A:b?secret=!!');
    expect((await screen.findByRole('alert')).textContent).toContain('The setup key is not valid');
    expect(onadded).not.toHaveBeenCalled();
  });

  it('says so when the text is not an authenticator link', async () => {
    mockIPC((command) => {
      if (command === 'scan_text') return { items: [{ kind: 'other', preview: 'hello' }], batch: null };
    });
    render(AddByLink, { accounts: new AccountsState(), onadded: () => {} });
    await paste('hello');
    expect((await screen.findByRole('alert')).textContent).toContain('not an authenticator link');
  });

  it('adds an account at once and reports back', async () => {
    const calls: unknown[] = [];
    mockIPC((command, args) => {
      calls.push([command, args]);
      if (command === 'scan_text') {
        return { items: [{ kind: 'account', pendingId: 'p1', issuer: 'A', name: 'b' }], batch: null };
      }
      if (command === 'add_scanned') return { kind: 'account', value: account };
      if (command === 'account_codes') return { nowMs: 0, codes: [] };
    });
    const accounts = new AccountsState();
    const onadded = vi.fn();
    render(AddByLink, { accounts, onadded });
    await paste('otpauth://totp/A:b?secret=JBSWY3DP');
    await vi.waitFor(() => expect(onadded).toHaveBeenCalledWith('A'));
    expect(calls[0]).toEqual(['scan_text', { text: 'otpauth://totp/A:b?secret=JBSWY3DP' }]);
    expect(calls[1]).toEqual([
      'add_scanned',
      { pendingId: 'p1', allowInsecure: false, passphrase: null, offer: [] },
    ]);
    expect(accounts.accounts.map((a) => a.issuer)).toEqual(['A']);
  });

  it('lists the accounts of a pasted Google Authenticator export, as a scan does', async () => {
    mockIPC((command) => {
      if (command === 'scan_text') {
        return {
          items: [
            { kind: 'account', pendingId: 'p1', issuer: 'A', name: 'a' },
            { kind: 'account', pendingId: 'p2', issuer: 'B', name: 'b' },
          ],
          batch: { part: 1, of: 2 },
        };
      }
    });
    const onadded = vi.fn();
    render(AddByLink, { accounts: new AccountsState(), onadded });
    await paste('otpauth-migration://offline?data=CgA%3D');
    expect(await screen.findAllByTestId('scan-item')).toHaveLength(2);
    expect(screen.getByTestId('scan-batch')).toBeTruthy();
    expect(onadded).not.toHaveBeenCalled();
  });

  it.each([
    ['insecure_server', 'plain HTTP'],
    ['certificate_unchecked', 'without checking'],
  ])('warns before setting up a push login with %s, then does so', async (risk, warning) => {
    const token = { id: 't', serial: 'PIPU1', label: 'PIPU1', issuer: 'Corp', host: 'mfa.example.com', risk };
    const offered = { pendingId: 'o1', issuer: 'Corp', name: 'alice' };
    const adds: unknown[] = [];
    mockIPC((command, args) => {
      if (command === 'scan_text') {
        return { items: [{ kind: 'push', pendingId: 'p1', name: 'Corp (PIPU1)', risk }], batch: null };
      }
      if (command === 'add_scanned') {
        adds.push(args);
        return { kind: 'pushToken', value: { token, offered } };
      }
      if (command === 'account_codes') return { nowMs: 0, codes: [] };
    });
    const accounts = new AccountsState();
    render(AddByLink, { accounts, onadded: () => {} });
    await paste('otpauth://pipush/PIPU1?v=1');
    const item = await screen.findByTestId('scan-item');
    expect(item.textContent).toContain(warning);
    expect(item.textContent).toContain('answer logins in your name');
    expect(adds).toEqual([]);
    await fireEvent.click(screen.getByTestId('scan-add'));
    await vi.waitFor(() =>
      expect(adds).toEqual([{ pendingId: 'p1', allowInsecure: true, passphrase: null, offer: [] }]),
    );
    await vi.waitFor(() => expect(accounts.pushTokens.map((t) => t.serial)).toEqual(['PIPU1']));
    // The code account the server sent along is offered on the home screen, not added.
    expect(accounts.accounts).toEqual([]);
    expect(accounts.paired?.offered.pendingId).toBe('o1');
  });

  it("ties a wrong link's error to the link field, after its hint", async () => {
    mockIPC((command) => {
      if (command === 'scan_text') {
        return {
          items: [{ kind: 'invalid', error: { code: 'invalid_parameter', message: 'x', field: 'secret' } }],
          batch: null,
        };
      }
    });
    render(AddByLink, { accounts: new AccountsState(), onadded: () => {} });
    const field = screen.getByTestId('uri-input');
    expect(isInvalid(field)).toBe(false);
    expect(field.getAttribute('aria-describedby')).toBe('uri-hint');
    await paste('otpauth://totp/A:b?secret=!!');
    await screen.findByTestId('form-error');
    expect(isInvalid(field)).toBe(true);
    expect(field.getAttribute('aria-describedby')).toBe('uri-hint uri-error');
    expect(describedText(field)).toContain('The setup key is not valid');
  });

  it('ties a refused container registration to its passphrase, not to the link', async () => {
    mockIPC((command) => {
      if (command === 'scan_text') {
        return {
          items: [scannedContainer()],
          batch: null,
        };
      }
      if (command === 'add_scanned') throw { code: 'container_registration_refused', message: 'no' };
    });
    render(AddByLink, { accounts: new AccountsState(), onadded: () => {} });
    await paste('pia://container/SMPH1');
    const passphrase = await screen.findByTestId('scan-passphrase');
    expect(isInvalid(passphrase)).toBe(false);
    expect(passphrase.hasAttribute('aria-describedby')).toBe(false);
    await fireEvent.input(passphrase, { target: { value: '1234' } });
    await fireEvent.click(screen.getByTestId('scan-add'));
    await screen.findByTestId('form-error');
    await vi.waitFor(() => expect(isInvalid(passphrase)).toBe(true));
    expect(describedText(passphrase)).toContain('The server did not accept the registration');
    const link = screen.getByTestId('uri-input');
    expect(isInvalid(link)).toBe(false);
    expect(link.getAttribute('aria-describedby')).toBe('uri-hint');
  });
});
