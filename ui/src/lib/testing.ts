// Replies the tests' mocked Rust side gives, typed so that a field the Rust side adds fails
// the type check here instead of going missing in one test's copy.
import type {
  Account,
  AccountCode,
  AppSettings,
  Codes,
  Home,
  PushToken,
  ScanCapabilities,
  ScanItem,
} from './api';

/** No codes, at time zero. */
export const noCodes: Codes = { nowMs: 0, codes: [] };

/** The home screen's first read with nothing in it, and `overrides`. */
export function homeReply(overrides: Partial<Home> = {}): Home {
  return {
    accounts: [],
    pushTokens: [],
    containers: [],
    codes: noCodes,
    hideCodes: false,
    firstRows: 12,
    ...overrides,
  };
}

/** A desktop's settings with a passcode lock, and `overrides`. */
export function settingsReply(overrides: Partial<AppSettings> = {}): AppSettings {
  return {
    language: 'en',
    theme: 'light',
    lock: 'passcode',
    idleLockSeconds: 60,
    idleChoices: [0, 60],
    confirmApprovals: true,
    hideCodes: false,
    ntpCheck: false,
    ntpServer: 'pool.ntp.org',
    useMeasuredTime: false,
    lockOffered: true,
    lockKind: 'passcode',
    ...overrides,
  };
}

/** A GitHub TOTP account. */
export const githubAccount: Account = {
  id: 'a1',
  issuer: 'GitHub',
  name: 'alice',
  kind: 'totp',
  digits: 6,
  period: 30,
};

/** Its code from 30 s to 60 s, with the next one. */
export const githubCode: AccountCode = {
  id: 'a1',
  code: '081804',
  nextCode: '050471',
  validFromMs: 30_000,
  validUntilMs: 60_000,
  error: null,
};

/** A company's push token, reached over a checked connection. */
export const corpToken: PushToken = {
  id: 't1',
  serial: 'PIPU1',
  label: 'alice',
  issuer: 'Corp',
  host: 'mfa.corp.example',
  risk: null,
};

/** Android's scan capabilities (the webview's camera, frames as base64 text), and `overrides`. */
export function scanCapabilitiesReply(overrides: Partial<ScanCapabilities> = {}): ScanCapabilities {
  return {
    screen: false,
    nativeCamera: false,
    appSettings: true,
    binaryFrames: false,
    frames: { maxSide: 800, minIntervalMs: 100, guidePercent: 70 },
    ...overrides,
  };
}

/** A pointer event as a finger (or mouse) makes one; jsdom has no PointerEvent. */
/** A scanned privacyIDEA container registration that asks for a passphrase. */
export function scannedContainer(): Extract<ScanItem, { kind: 'container' }> {
  return {
    kind: 'container',
    pendingId: 'p1',
    name: 'Corp (SMPH1)',
    host: 'pi.corp.example',
    sendsPassphrase: true,
    passphrasePrompt: 'Your company PIN',
    offerable: [],
  };
}

export function firePointer(
  target: EventTarget,
  type: string,
  at: { x?: number; y: number },
  pointerType = 'touch',
): void {
  const event = new MouseEvent(type, {
    bubbles: true,
    cancelable: true,
    clientX: at.x ?? 0,
    clientY: at.y,
    button: 0,
  });
  Object.defineProperties(event, { pointerId: { value: 7 }, pointerType: { value: pointerType } });
  target.dispatchEvent(event);
}

/** A field's description as a screen reader gets it: the text of the elements its
 *  aria-describedby names, in order. Fails when it names an element that is not there. */
export function describedText(field: Element): string {
  const ids = field.getAttribute('aria-describedby')?.split(/\s+/).filter(Boolean) ?? [];
  return ids
    .map((id) => {
      const element = field.ownerDocument.getElementById(id);
      if (!element) throw new Error(`aria-describedby names #${id}, which is not in the document`);
      return element.textContent?.trim() ?? '';
    })
    .join(' ');
}

/** Whether a field is marked invalid for screen readers. */
export function isInvalid(field: Element): boolean {
  const value = field.getAttribute('aria-invalid');
  return value !== null && value !== 'false';
}
