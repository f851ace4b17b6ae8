// Generated from src-tauri/src/dto/, src-tauri/src/error.rs and pocket-core's ErrorKind
// by `make types`; `make test` fails when this file is stale. Do not edit it by hand.

export type ErrorCode = 'not_otpauth_uri' | 'unsupported_otp_type' | 'missing_parameter' | 'invalid_parameter' | 'missing_label' | 'too_long' | 'keychain_locked' | 'keychain_unavailable' | 'secret_missing' | 'duplicate_account' | 'account_not_found' | 'database_too_new' | 'not_push_enrollment' | 'network' | 'http_client_unavailable' | 'reply_too_large' | 'redirected' | 'weak_key' | 'presence_required' | 'not_an_option' | 'push_token_not_found' | 'scan_expired' | 'not_counter_based' | 'tls' | 'server_refused' | 'server_reply' | 'crypto' | 'image_unreadable' | 'image_format_unsupported' | 'image_too_large' | 'counter_based' | 'backup_password_required' | 'wrong_backup_password' | 'backup_damaged' | 'backup_format_unknown' | 'backup_too_large' | 'backup_too_costly' | 'export_failed' | 'file_unreadable' | 'file_expired' | 'database' | 'storage' | 'backup_folder_missing' | 'backup_write_failed' | 'backup_check_failed' | 'backup_password_missing' | 'not_in_google_format' | 'in_trash' | 'export_tied_to_account' | 'not_container_link' | 'container_link_expired' | 'passphrase_required' | 'container_registration_refused' | 'container_not_registered' | 'container_moved' | 'container_not_found' | 'managed_by_server' | 'locked' | 'no_passcode' | 'wrong_passcode' | 'passcode_too_short' | 'unlock_throttled' | 'unlock_required' | 'unlock_failed' | 'time_server' | 'insecure_server' | 'certificate_unchecked' | 'screen_capture' | 'internal' | 'clipboard';

/** What unlocks Pocket: nothing, the Pocket passcode, or the phone's own check. */
export type LockMethod = 'off' | 'passcode' | 'device';

/** The event a verified login request arrives with. */
export const PUSH_REQUEST_EVENT = 'push-request';
/** The event each automatic backup's outcome arrives with. */
export const BACKUP_STATUS_EVENT = 'backup-status';
/** The event each round of container syncs arrives with. */
export const CONTAINERS_SYNCED_EVENT = 'containers-synced';
/** The event the lock shutting or opening arrives with. */
export const LOCK_CHANGED_EVENT = 'lock-changed';
/** The event a login request arriving while locked sends, with no details. */
export const PUSH_WAITING_EVENT = 'push-waiting';
/** The event a new clock measurement sends. */
export const CLOCK_CHANGED_EVENT = 'clock-changed';
/** The event a change in how login requests reach this device sends. */
export const LOGIN_REQUESTS_CHANGED_EVENT = 'login-requests-changed';

export type Account = { id: string, issuer: string, name: string, kind: 'totp' | 'hotp' | 'steam', digits: number, period: number | null, 
/**
 * The icon an import brought; without one the UI draws the issuer's.
 */
icon?: AccountIcon, };

export type AccountIcon = { "kind": "image" } | { "kind": "label", text: string, colour: string, };

export type AccountCode = { id: string, code: string | null, nextCode: string | null, 
/**
 * Unix milliseconds, so the UI can draw the countdown without another call.
 */
validFromMs: number | null, validUntilMs: number | null, 
/**
 * Why there is no code for this account (a locked keychain, a missing secret).
 */
error: IpcError | null, };

export type Codes = { 
/**
 * When the codes were computed, in Unix milliseconds: the UI measures its clock against it.
 */
nowMs: number, codes: Array<AccountCode>, };

export type Home = { accounts: Array<Account>, pushTokens: Array<PushToken>, containers: Array<Container>, 
/**
 * The codes of the first rows.
 */
codes: Codes, 
/**
 * How many rows the list draws first (the rest as they scroll into view).
 */
firstRows: number, 
/**
 * Codes show as dots until tapped: known before the first one is drawn.
 */
hideCodes: boolean, };

export type ManualAccountInput = { issuer: string, name: string, secret: string, algorithm?: string, digits?: number, period?: number, };

export type IpcError = { 
/**
 * One of `pocket_core::error::ErrorKind`'s codes.
 */
code: ErrorCode, message: string, field?: string, };

export type ScanItem = { "kind": "account", pendingId: string, issuer: string, name: string, } | { "kind": "duplicate", issuer: string, name: string, } | { "kind": "invalid", name?: string, error: IpcError, } | { "kind": "push", pendingId: string, name: string, risk?: TransportRisk, } | { "kind": "container", pendingId: string, name: string, 
/**
 * The server it registers with.
 */
host: string, 
/**
 * Whether a passphrase typed goes to that server or is only signed.
 */
sendsPassphrase: boolean, risk?: TransportRisk, 
/**
 * The server's question, when it asks for a passphrase.
 */
passphrasePrompt?: string, 
/**
 * Accounts set up here before that the server may recognise, if the user ticks
 * them: their codes go to it once. None is ticked unless the user ticks it.
 */
offerable: Array<Offerable>, } | { "kind": "other", preview: string, };

export type Offerable = { id: string, issuer: string, name: string, };

export type ScanReport = { items: Array<ScanItem>, 
/**
 * Set when a code is one part of a Google Authenticator export spread over several.
 */
batch: Batch | null, };

export type ScanCapabilities = { 
/**
 * "Scan the screen" (desktop builds).
 */
screen: boolean, 
/**
 * The system's own camera scanner (iOS) instead of the webview's camera.
 */
nativeCamera: boolean, 
/**
 * Pocket can open its page in the phone's settings (Android), where a blocked camera is
 * allowed again.
 */
appSettings: boolean, 
/**
 * Frames go as raw bytes; where the IPC has none (Android), as base64 text.
 */
binaryFrames: boolean, frames: FramePlan, };

export type FramePlan = { 
/**
 * Frames are reduced until their longer side is at most this many pixels.
 */
maxSide: number, 
/**
 * The least time from one frame to the next; a frame also waits for the previous
 * one's answer.
 */
minIntervalMs: number, 
/**
 * The framing guide's side, as a percentage of the frame's shorter side.
 */
guidePercent: number, };

export type Batch = { part: number, of: number, };

export type Added = { "kind": "account", "value": Account } | { "kind": "pushToken", "value": PushAdded } | { "kind": "container", "value": ContainerAdded };

export type OfferedAccount = { pendingId: string, issuer: string, name: string, };

export type PushAdded = { token: PushToken, offered: OfferedAccount | null, };

export type TransportRisk = "insecure_server" | "certificate_unchecked";

export type PushToken = { id: string, serial: string, label: string, issuer: string, 
/**
 * The server's host, so the user can tell two services apart.
 */
host: string, 
/**
 * What the user accepted when setting it up; shown in the list.
 */
risk: TransportRisk | null, };

export type PushRequest = { tokenId: string, nonce: string, issuer: string, label: string, serial: string, title: string, 
/**
 * Plain text: the UI never renders it as markup.
 */
question: string, presenceOptions: Array<string>, takesDeclineReason: boolean, expiresAtMs: number, 
/**
 * The server asks for the unlock step before an Accept (privacyIDEA's app_force_unlock).
 */
unlockRequired: boolean, };

export type PushAnswer = { "kind": "accept" } | { "kind": "decline", notMe: boolean, } | { "kind": "choice", option: string, };

export type Outcome = "pending" | "sending" | "accepted" | "declined" | "expired" | "failed";

export type PushAnswered = { outcome: Outcome, displayCode: string | null, };

export type HistoryItem = { issuer: string, serial: string, title: string, question: string, receivedAtMs: number, outcome: Outcome, detail: string, };

export type Skipped = { label: string, error: IpcError, };

export type ImportReport = { added: Array<Account>, 
/**
 * Already in Pocket: left as they are.
 */
duplicates: Array<string>, skipped: Array<Skipped>, };

export type PickedFile = { 
/**
 * What `import_picked` takes.
 */
handle: string, name: string, 
/**
 * "aegis", "links", …: which app's file it is.
 */
format: string, needsPassword: boolean, };

export type ExportFormat = "aegis" | "links";

export type BackupStatus = { enabled: boolean, folder: string | null, keep: number, hasPassword: boolean, lastOkAtMs: number | null, lastFile: string | null, 
/**
 * Why the last try failed, until one succeeds.
 */
lastError: ErrorCode | null, lastErrorAtMs: number | null, 
/**
 * The backups go to the app's own storage on this device (phones): lost with it, and
 * removed with the app. Settings says so.
 */
staysOnDevice: boolean, };

export type Preview = { 
/**
 * Each account's issuer and name, in the file's order.
 */
accounts: Array<string>, skipped: Array<Skipped>, };

export type GoogleExport = { 
/**
 * Each code as an SVG data URL, in order.
 */
codes: Array<string>, 
/**
 * Accounts Google's format cannot carry, and why.
 */
skipped: Array<Skipped>, };

export type Container = { id: string, serial: string, issuer: string, host: string, state: 'registered' | 'moved' | 'unregistered', 
/**
 * Unix seconds of the last good sync.
 */
lastSyncAt: number | null, 
/**
 * The error kind of the last sync, when it failed.
 */
lastError: ErrorCode | null, 
/**
 * The ids of its accounts and push tokens, in the list's order.
 */
accountIds: Array<string>, pushTokenIds: Array<string>, canMove: boolean, canUnregister: boolean, canDeleteTokens: boolean, risk: TransportRisk | null, };

export type Delivery = "instant" | "while_open";

export type DistributorRegistration = "none" | "registering" | "registered" | "failed";

export type LoginRequests = { delivery: Delivery, 
/**
 * The channel the servers were given: `poll`, `webpush`, `apns` or `fcm`.
 */
channel: string, 
/**
 * The push service's host (never the endpoint's path, which names this device).
 */
pushService: string | null, 
/**
 * Whether this build can be woken through a UnifiedPush distributor.
 */
distributorsSupported: boolean, 
/**
 * The distributors running here, by their short names.
 */
distributors: Array<string>, distributor: string | null, registration: DistributorRegistration, 
/**
 * Why the distributor refused, in its own words.
 */
reason: string | null, };

export type ContainerAdded = { container: Container, 
/**
 * Tokens the first sync brought.
 */
tokens: number, syncError: IpcError | null, };

export type ContainerSynced = { containerId: string, added: number, removed: number, keptByPolicy: number, error: IpcError | null, };

export type ContainerTransfer = { link: string, 
/**
 * An SVG data URI of the link's QR code.
 */
qr: string, };

export type AppSettings = { language: 'system' | 'en' | 'nl', theme: 'system' | 'light' | 'dark', lock: LockMethod, idleLockSeconds: number, idleChoices: Array<number>, confirmApprovals: boolean, hideCodes: boolean, ntpCheck: boolean, ntpServer: string, useMeasuredTime: boolean, lockOffered: boolean, 
/**
 * Which lock this build offers: the Pocket passcode on desktop, the phone's own check on
 * phones.
 */
lockKind: LockMethod, };

export type LockStatus = { locked: boolean, method: LockMethod, 
/**
 * Seconds before another passcode is checked, after wrong ones.
 */
waitSeconds: number, 
/**
 * A login request came while locked.
 */
requestWaiting: boolean, language: 'system' | 'en' | 'nl', theme: 'system' | 'light' | 'dark', };

export type ClockStatus = { 
/**
 * The source's time minus this device's, in milliseconds.
 */
offsetMs: number, uncertaintyMs: number, 
/**
 * A server's address, or `ntp:<host>`.
 */
source: string, measuredAtMs: number, 
/**
 * Off by more than servers tolerate: the home screen shows a banner.
 */
off: boolean, 
/**
 * Codes follow the measured time.
 */
corrected: boolean, 
/**
 * The user chose the measured time, but one server alone says the clock is off by more
 * than a code period: codes move once a second source (NTP) agrees.
 */
needsSecondSource: boolean, };

export type Licence = { name: string, version: string, licence: string, };

export type About = { version: string, licences: Array<Licence>, };

export type SettingsChange = { language?: 'system' | 'en' | 'nl', theme?: 'system' | 'light' | 'dark', idleLockSeconds?: number, confirmApprovals?: boolean, hideCodes?: boolean, ntpCheck?: boolean, ntpServer?: string, useMeasuredTime?: boolean, lockOffered?: boolean, };

export type LockChangedDto = { locked: boolean, };
