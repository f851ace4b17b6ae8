// Mirrors src-tauri/src/dto.rs and error.rs. None of these types carries a secret.

export interface Account {
  id: string;
  issuer: string;
  name: string;
  kind: 'totp' | 'hotp' | 'steam';
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
  | { kind: 'push'; pendingId: string; name: string; risk?: TransportRisk }
  | { kind: 'other'; preview: string };

export interface ScanReport {
  items: ScanItem[];
  /** Set when the code is one part of a Google Authenticator export spread over several. */
  batch: { part: number; of: number } | null;
}

/** How a push server is reached that the user had to accept: the error code that asked. */
export type TransportRisk = 'insecure_server' | 'certificate_unchecked';

export interface PushToken {
  id: string;
  serial: string;
  label: string;
  issuer: string;
  host: string;
  risk: TransportRisk | null;
}

export interface PushAdded {
  token: PushToken;
  /** The code account the server sent along, when Pocket took it. */
  alsoAdded: Account | null;
}

export type Added = { kind: 'account'; value: Account } | { kind: 'pushToken'; value: PushAdded };

/** A verified login request. `question` is plain text from the server: never markup. */
export interface PushRequest {
  tokenId: string;
  nonce: string;
  issuer: string;
  label: string;
  serial: string;
  title: string;
  question: string;
  presenceOptions: string[];
  takesDeclineReason: boolean;
  expiresAtMs: number;
}

export type PushAnswer =
  | { kind: 'accept' }
  | { kind: 'decline'; notMe: boolean }
  | { kind: 'choice'; option: string };

export type Outcome = 'pending' | 'sending' | 'accepted' | 'declined' | 'expired' | 'failed';

export interface HistoryItem {
  issuer: string;
  serial: string;
  title: string;
  question: string;
  receivedAtMs: number;
  outcome: Outcome;
  detail: string;
}

export interface ImportReport {
  added: Account[];
  /** Accounts already in Pocket, left as they are. */
  duplicates: string[];
  skipped: { label: string; error: IpcError }[];
}

export type ExportFormat = 'aegis' | 'links';

/** A file chosen for import: described, never its contents. */
export interface PickedFile {
  handle: string;
  name: string;
  /** Which app's file it is: "aegis", "links", … */
  format: string;
  needsPassword: boolean;
}
