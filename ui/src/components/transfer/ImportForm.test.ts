import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import ImportForm from './ImportForm.svelte';
import { AccountsState } from '../../lib/accounts.svelte';
import type { PickedFile } from '../../lib/api';
import { describedText, isInvalid } from '../../lib/testing';

afterEach(() => {
  cleanup();
  clearMocks();
});

const database: PickedFile = { handle: 'h1', name: 'Passwords.kdbx', format: 'keepass', needsPassword: true };

/** The window's side of the import commands; records what each was sent. */
function backend(picked: PickedFile, keyFile: string | null) {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    if (cmd === 'pick_import_file') return picked;
    if (cmd === 'pick_key_file') return keyFile;
    if (cmd === 'import_picked') return { added: [], duplicates: 0, skipped: [] };
    return null;
  });
  return calls;
}

describe('ImportForm', () => {
  it('offers a key file for a KeePass database and keeps it with that database', async () => {
    const calls = backend(database, 'Passwords.keyx');
    render(ImportForm, { accounts: new AccountsState() });
    await fireEvent.click(screen.getByTestId('import-choose'));
    await waitFor(() => expect(screen.getByTestId('import-picked').dataset.format).toBe('keepass'));
    await fireEvent.click(screen.getByTestId('import-key-file'));
    await waitFor(() =>
      expect(screen.getByTestId('import-key-file-name').textContent).toContain('Passwords.keyx'),
    );
    expect(calls.find((c) => c.cmd === 'pick_key_file')?.args.handle).toBe('h1');
  });

  it('says which apps have no export and what to do instead', () => {
    backend(database, null);
    render(ImportForm, { accounts: new AccountsState() });
    const note = screen.getByTestId('import-no-export').textContent ?? '';
    expect(note).toContain('Authy and Microsoft Authenticator');
    expect(note).toContain('set up each one again');
  });

  it('keeps its button disabled while the system dialog is up, so a second press opens no second one', async () => {
    let answer: (file: PickedFile | null) => void = () => {};
    let asked = 0;
    mockIPC((cmd) => {
      if (cmd !== 'pick_import_file') return null;
      asked += 1;
      return new Promise<PickedFile | null>((resolve) => (answer = resolve));
    });
    render(ImportForm, { accounts: new AccountsState() });
    const choose = screen.getByTestId('import-choose') as HTMLButtonElement;
    await fireEvent.click(choose);
    await waitFor(() => expect(choose.disabled).toBe(true));
    // As a press does: a disabled button gets no click.
    choose.click();
    expect(asked).toBe(1);
    answer(null);
    await waitFor(() => expect(choose.disabled).toBe(false));
  });

  it('offers no key file for other files', async () => {
    backend({ ...database, name: 'aegis.json', format: 'aegis', needsPassword: false }, null);
    render(ImportForm, { accounts: new AccountsState() });
    await fireEvent.click(screen.getByTestId('import-choose'));
    await waitFor(() => expect(screen.getByTestId('import-picked').dataset.format).toBe('aegis'));
    expect(screen.queryByTestId('import-key-file')).toBeNull();
    expect(screen.queryByTestId('import-password')).toBeNull();
  });

  it.each([
    ['wrong_backup_password', true],
    ['backup_password_required', true],
    ['file_unreadable', false],
  ] as const)('ties %s to the password field: %s', async (code, tied) => {
    mockIPC((cmd) => {
      if (cmd === 'pick_import_file') return { ...database, name: 'aegis.json', format: 'aegis' };
      if (cmd === 'import_picked') throw { code, message: 'no' };
      return null;
    });
    render(ImportForm, { accounts: new AccountsState() });
    await fireEvent.click(screen.getByTestId('import-choose'));
    const password = await screen.findByTestId('import-password');
    expect(isInvalid(password)).toBe(false);
    expect(password.hasAttribute('aria-describedby')).toBe(false);
    await fireEvent.input(password, { target: { value: 'guess' } });
    await fireEvent.click(screen.getByTestId('import-submit'));
    const shown = await screen.findByTestId('form-error');
    expect(isInvalid(password)).toBe(tied);
    if (tied) {
      expect(password.getAttribute('aria-describedby')).toBe('import-error');
      expect(describedText(password)).toBe(shown.textContent?.trim());
    } else {
      expect(password.hasAttribute('aria-describedby')).toBe(false);
    }
  });
});
