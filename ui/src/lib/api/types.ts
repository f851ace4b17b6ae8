// Mirrors src-tauri/src/dto.rs and error.rs. None of these types carries a secret.

export interface Account {
  id: string;
  issuer: string;
  name: string;
  kind: 'totp' | 'steam';
  digits: number;
  period: number | null;
}

export interface IpcError {
  code: string;
  message: string;
  field?: string;
}

export interface AccountCode {
  id: string;
  code: string | null;
  nextCode: string | null;
  validFromMs: number | null;
  validUntilMs: number | null;
  error: IpcError | null;
}

export interface Codes {
  nowMs: number;
  codes: AccountCode[];
}

export interface ManualAccountInput {
  issuer: string;
  name: string;
  secret: string;
  algorithm?: string;
  digits?: number;
  period?: number;
}

export type ScanItem =
  | { kind: 'account'; pendingId: string; issuer: string; name: string }
  | { kind: 'duplicate'; issuer: string; name: string }
  | { kind: 'invalid'; name?: string; error: IpcError }
  | { kind: 'push' }
  | { kind: 'other'; preview: string };

export interface ScanReport {
  items: ScanItem[];
  /** Set when the code is one part of a Google Authenticator export spread over several. */
  batch: { part: number; of: number } | null;
}
