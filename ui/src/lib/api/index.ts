// The only module that talks to the Rust side. Every call rejects with an IpcError.
import { invoke, type InvokeOptions } from '@tauri-apps/api/core';
import { toBase64 } from '../base64';
import type {
  Account,
  Added,
  Codes,
  Home,
  HistoryItem,
  IpcError,
  ManualAccountInput,
  PushAnswer,
  PushAnswered,
  PushRequest,
  ScanReport,
  ScanCapabilities,
  ImportReport,
  ExportFormat,
  PickedFile,
  BackupStatus,
  Preview,
  GoogleExport,
  ContainerSynced,
  ContainerTransfer,
  AppSettings,
  SettingsChange,
  LockStatus,
  ClockStatus,
  About,
  LoginRequests,
} from './types';

/** What the Settings screen changes; what is left out stays. */
export type {
  AppSettings,
  SettingsChange,
  LockStatus,
  LockMethod,
  ClockStatus,
  About,
  Licence,
  LoginRequests,
  Delivery,
  DistributorRegistration,
  Container,
  ContainerAdded,
  ContainerSynced,
  ContainerTransfer,
  BackupStatus,
  Preview,
  GoogleExport,
  PickedFile,
  ImportReport,
  ExportFormat,
  Account,
  AccountCode,
  AccountIcon,
  Codes,
  Home,
  IpcError,
  ManualAccountInput,
  ScanItem,
  ScanReport,
  ScanCapabilities,
  FramePlan,
  Added,
  PushToken,
  OfferedAccount,
  PushAdded,
  TransportRisk,
  PushRequest,
  PushAnswer,
  Outcome,
  HistoryItem,
} from './types';

async function call<T>(
  command: string,
  args?: Record<string, unknown> | Uint8Array,
  options?: InvokeOptions,
): Promise<T> {
  try {
    return await invoke<T>(command, args, options);
  } catch (error) {
    throw asIpcError(error);
  }
}

/** Anything thrown across IPC, normalised to `{code, message}`. */
export function asIpcError(error: unknown): IpcError {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code, message, field } = error as Record<string, unknown>;
    // The Rust side sends only ErrorKind's codes; anything else reads as an unknown one.
    return {
      code: String(code) as IpcError['code'],
      message: String(message ?? ''),
      ...(typeof field === 'string' ? { field } : {}),
    };
  }
  return { code: 'internal', message: String(error) };
}

export const api = {
  /** Everything the home screen shows, with the codes of its first rows. */
  homeScreen: () => call<Home>('home_screen'),
  listAccounts: () => call<Account[]>('list_accounts'),
  /** The codes of the accounts `ids`, and the time they were computed at. */
  accountCodes: (ids: string[]) => call<Codes>('account_codes', { ids }),
  /** An account's imported image as a data: URL, or null. */
  accountIcon: (id: string) => call<string | null>('account_icon', { id }),
  /** The first code was painted at `atMs` and the page began to load at `pageStartedMs`,
   *  reaching `steps` on the way (Unix milliseconds): for the start-up benchmark. */
  firstCodeShown: (atMs: number, pageStartedMs: number, steps: [string, number][]) =>
    call<void>('first_code_shown', { atMs, pageStartedMs, steps }),
  addAccountManual: (input: ManualAccountInput) => call<Account>('add_account_manual', { input }),
  deleteAccount: (id: string) => call<void>('delete_account', { id }),
  copyCode: (id: string) => call<void>('copy_code', { id }),
  /** What this build scans with, and how camera frames are sampled and sent. */
  scanCapabilities: () => call<ScanCapabilities>('scan_capabilities'),
  scanScreen: () => call<ScanReport>('scan_screen'),
  /** The file's bytes go as the raw request body, not as JSON. */
  scanImage: (bytes: Uint8Array) => call<ScanReport>('scan_image', bytes),
  /** One camera frame's luminance, `width` × `height` bytes row by row; null while no code is
   *  in view. Raw bytes where the IPC carries them (`binary`), base64 text where not. The
   *  headers go as a plain object: the only form every platform's IPC passes on. */
  scanFrame: (luma: Uint8Array, width: number, height: number, binary: boolean) =>
    call<ScanReport | null>('scan_frame', binary ? luma : { frame: toBase64(luma) }, {
      headers: { 'x-frame-width': String(width), 'x-frame-height': String(height) },
    }),
  /** Pocket's page in the phone's settings, where a refused camera is allowed again (Android:
   *  only when the scan capabilities say `appSettings`). */
  openAppSettings: () => call<void>('open_app_settings'),
  scanText: (text: string) => call<ScanReport>('scan_text', { text }),
  scanClipboard: () => call<ScanReport>('scan_clipboard'),
  /** Adds what a scan found; a container registration may need the user's passphrase. */
  /** `offer`: the accounts a container registration's server may recognise, as the user
   * ticked them; their codes go to it once. */
  addScanned: (
    pendingId: string,
    allowInsecure = false,
    passphrase: string | null = null,
    offer: string[] = [],
  ) => call<Added>('add_scanned', { pendingId, allowInsecure, passphrase, offer }),
  deletePushToken: (id: string) => call<void>('delete_push_token', { id }),
  openPushRequests: () => call<PushRequest[]>('open_push_requests'),
  /** `passcode` is the unlock step an Accept may need (desktop); on phones the Rust side asks
   * the phone's own check, saying `reason`. */
  answerPush: (tokenId: string, nonce: string, answer: PushAnswer, passcode: string | null, reason: string) =>
    call<PushAnswered>('answer_push', { tokenId, nonce, answer, passcode, reason }),
  refreshPush: () => call<void>('refresh_push'),
  pushHistory: () => call<HistoryItem[]>('push_history'),
  /** HOTP: the next code; the counter is saved before it is returned. */
  nextCode: (id: string) => call<string>('next_code', { id }),
  renameAccount: (id: string, issuer: string, name: string) =>
    call<Account>('rename_account', { id, issuer, name }),
  reorderAccounts: (ids: string[]) => call<void>('reorder_accounts', { ids }),
  /** The system's open dialog, titled `title`; null when the user closed it. A restore
   * (`fromBackups`) opens in the backup folder. */
  pickImportFile: (title: string, fromBackups = false) =>
    call<PickedFile | null>('pick_import_file', { title, fromBackups }),
  /** The picked KeePass database's key file, in the system's open dialog: its name, or
   * null when the user closed it. */
  pickKeyFile: (handle: string, title: string) => call<string | null>('pick_key_file', { handle, title }),
  /** What the picked file holds, read with its password, before anything is imported. */
  previewPicked: (handle: string, password: string | null) =>
    call<Preview>('preview_picked', { handle, password }),
  importPicked: (handle: string, password: string | null) =>
    call<ImportReport>('import_picked', { handle, password }),
  /** The system's save dialog; returns where the file was written, or null when closed. */
  exportBackup: (
    format: ExportFormat,
    password: string | null,
    title: string,
    passcode: string | null,
    reason: string,
  ) => call<string | null>('export_backup', { format, password, title, passcode, reason }),
  /** Google Authenticator transfer codes for every account that format can carry. Like the
   *  other exports, the folder and the backup password, it takes the unlock step when a lock
   *  is set: `passcode` on desktop, the phone's own check on phones. */
  exportGoogleCodes: (passcode: string | null, reason: string) =>
    call<GoogleExport>('export_google_codes', { passcode, reason }),
  backupStatus: () => call<BackupStatus>('backup_status'),
  /** The system's folder dialog; null when the user closed it. */
  chooseBackupFolder: (title: string, passcode: string | null, reason: string) =>
    call<BackupStatus | null>('choose_backup_folder', { title, passcode, reason }),
  setBackups: (enabled: boolean, keep: number) => call<BackupStatus>('set_backups', { enabled, keep }),
  /** `current` is the backup password set now, when there is one. */
  setBackupPassword: (current: string | null, password: string, passcode: string | null, reason: string) =>
    call<BackupStatus>('set_backup_password', { current, password, passcode, reason }),
  backUpNow: () => call<BackupStatus>('back_up_now'),
  syncContainers: () => call<ContainerSynced[]>('sync_containers'),
  /** A registration code for the user's new phone. */
  moveContainer: (id: string, passcode: string | null, reason: string) =>
    call<ContainerTransfer>('move_container', { id, passcode, reason }),
  unregisterContainer: (id: string) => call<void>('unregister_container', { id }),
  forgetContainer: (id: string) => call<void>('forget_container', { id }),
  lockStatus: () => call<LockStatus>('lock_status'),
  unlock: (passcode: string | null, reason: string) => call<void>('unlock', { passcode, reason }),
  lockNow: () => call<void>('lock_now'),
  noteActivity: () => call<void>('note_activity'),
  setPasscode: (current: string | null, passcode: string, reason: string) =>
    call<AppSettings>('set_passcode', { current, passcode, reason }),
  setDeviceLock: (reason: string) => call<AppSettings>('set_device_lock', { reason }),
  removeLock: (passcode: string | null, reason: string) =>
    call<AppSettings>('remove_lock', { passcode, reason }),
  getSettings: () => call<AppSettings>('get_settings'),
  /** A change that weakens a set lock needs `passcode` (desktop) or the phone's check. */
  updateSettings: (settings: SettingsChange, passcode: string | null, reason: string) =>
    call<AppSettings>('update_settings', { settings, passcode, reason }),
  about: () => call<About>('about'),
  clockStatus: () => call<ClockStatus | null>('clock_status'),
  checkClock: () => call<ClockStatus | null>('check_clock'),
  loginRequests: () => call<LoginRequests>('login_requests'),
  chooseDistributor: (distributor: string) => call<LoginRequests>('choose_distributor', { distributor }),
};
