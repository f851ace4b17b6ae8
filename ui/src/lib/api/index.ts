// The only module that talks to the Rust side. Every call rejects with an IpcError.
import { invoke } from '@tauri-apps/api/core';
import type { Account, Codes, IpcError, ManualAccountInput } from './types';

export type { Account, AccountCode, Codes, IpcError, ManualAccountInput } from './types';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw asIpcError(error);
  }
}

/** Anything thrown across IPC, normalised to `{code, message}`. */
export function asIpcError(error: unknown): IpcError {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code, message, field } = error as Record<string, unknown>;
    return {
      code: String(code),
      message: String(message ?? ''),
      ...(typeof field === 'string' ? { field } : {}),
    };
  }
  return { code: 'internal', message: String(error) };
}

export const api = {
  listAccounts: () => call<Account[]>('list_accounts'),
  accountCodes: () => call<Codes>('account_codes'),
  addAccountUri: (uri: string) => call<Account>('add_account_uri', { uri }),
  addAccountManual: (input: ManualAccountInput) => call<Account>('add_account_manual', { input }),
  deleteAccount: (id: string) => call<void>('delete_account', { id }),
  copyCode: (id: string) => call<void>('copy_code', { id }),
};
