// Translations. The language follows the system; English is the fallback for missing keys.
import en from './en.json';
import nl from './nl.json';
import type { IpcError, TransportRisk } from '../api';

export type MessageKey = keyof typeof en;
type Catalog = Record<string, string>;

const catalogs: Record<string, Catalog> = { en, nl };

export function pickLocale(languages: readonly string[]): 'en' | 'nl' {
  for (const language of languages) {
    const base = language.toLowerCase().split('-')[0];
    if (base === 'nl' || base === 'en') return base;
  }
  return 'en';
}

let activeLocale = pickLocale(globalThis.navigator?.languages ?? []);
let active: Catalog = catalogs[activeLocale] ?? en;

export function setLocale(locale: 'en' | 'nl'): void {
  activeLocale = locale;
  active = catalogs[locale] ?? en;
}

/** A moment (Unix milliseconds) as the user's language writes a date and time. */
export function dateTime(ms: number): string {
  return new Date(ms).toLocaleString(activeLocale, { dateStyle: 'medium', timeStyle: 'short' });
}

export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  const template = active[key] ?? (en as Catalog)[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** The user's text for an error from the Rust side: by code and field, never by message. */
export function errorText(error: IpcError): string {
  const catalog = { ...(en as Catalog), ...active };
  const specific = error.field ? catalog[`errors.${error.code}.${error.field}`] : undefined;
  return specific ?? catalog[`errors.${error.code}`] ?? catalog['errors.internal'] ?? error.message;
}

/** What a scanned push token or container means, with the warning when its server is
 *  reached insecurely; `plain` otherwise. */
export function riskLine(risk: TransportRisk | null | undefined, plain: string): string {
  if (risk === 'insecure_server') return t('scan.push.insecure');
  if (risk === 'certificate_unchecked') return t('scan.push.unchecked');
  return plain;
}

/** How far a clock is off, in words: "2 min 10 s behind", "45 s ahead". `offsetMs` is the
 *  server's time minus this device's: positive means this device is behind. */
export function clockOffsetText(offsetMs: number): string {
  const total = Math.round(Math.abs(offsetMs) / 1000);
  const [hours, minutes, seconds] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const parts: string[] = [];
  if (hours) parts.push(t('clock.hours', { n: hours }));
  if (minutes) parts.push(t('clock.minutes', { n: minutes }));
  if (seconds || parts.length === 0) parts.push(t('clock.seconds', { n: seconds }));
  return t(offsetMs > 0 ? 'clock.behind' : 'clock.ahead', { amount: parts.join(' ') });
}
