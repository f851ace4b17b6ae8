// The Settings screen's state: the settings as the Rust side keeps them, the clock check,
// and About. Language and theme are applied to the page here.
import {
  api,
  asIpcError,
  type About,
  type AppSettings,
  type ClockStatus,
  type IpcError,
  type LoginRequests,
  type SettingsChange,
} from './api';
import { onClockChanged, onLoginRequestsChanged } from './api/events';
import { Listeners } from './listeners';
import { pickLocale, setLocale, t } from './i18n';

export class SettingsState {
  settings = $state<AppSettings | null>(null);
  clock = $state<ClockStatus | null>(null);
  about = $state<About | null>(null);
  loginRequests = $state<LoginRequests | null>(null);
  /** The first read has ended, read or not: Settings shows its sections from then on. */
  loaded = $state(false);
  error = $state<IpcError | null>(null);
  busy = $state(false);
  #listeners = new Listeners();

  async start(): Promise<void> {
    await this.load();
    await this.#listeners.add(onClockChanged((status) => (this.clock = status)));
    await this.#listeners.add(onLoginRequestsChanged(() => void this.loadLoginRequests()));
  }

  stop(): void {
    this.#listeners.stop();
  }

  async load(): Promise<void> {
    try {
      this.settings = await api.getSettings();
      this.clock = await api.clockStatus();
      this.loginRequests = await api.loginRequests();
      this.error = null;
    } catch (error) {
      this.error = asIpcError(error);
    } finally {
      this.loaded = true;
    }
  }

  /** Runs a change; its error stays on the screen. */
  async run(action: () => Promise<AppSettings>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      this.settings = await action();
      return true;
    } catch (error) {
      this.error = asIpcError(error);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** `passcode` is the unlock step a change that weakens the lock needs (desktop). */
  async change(change: SettingsChange, passcode: string | null = null): Promise<boolean> {
    const before = this.settings;
    const done = await this.run(() => api.updateSettings(change, passcode, t('lock.reason')));
    // Refused: the controls show the settings as they still are.
    if (!done && before) this.settings = { ...before };
    if (done && this.settings) {
      applyTheme(this.settings.theme);
      // Every text is read as the page is drawn: a new language draws it again.
      if (before && change.language && change.language !== before.language) location.reload();
      // Whether codes follow the measured time depends on these: the banner says so at once.
      if ('useMeasuredTime' in change || 'ntpCheck' in change || 'ntpServer' in change) {
        this.clock = await api.clockStatus().catch(() => this.clock);
      }
    }
    return done;
  }

  async checkClock(): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      this.clock = await api.checkClock();
    } catch (error) {
      this.error = asIpcError(error);
    } finally {
      this.busy = false;
    }
  }

  async loadLoginRequests(): Promise<void> {
    try {
      this.loginRequests = await api.loginRequests();
    } catch (error) {
      this.error = asIpcError(error);
    }
  }

  async chooseDistributor(distributor: string): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      this.loginRequests = await api.chooseDistributor(distributor);
    } catch (error) {
      this.error = asIpcError(error);
    } finally {
      this.busy = false;
    }
  }

  async loadAbout(): Promise<void> {
    this.about ??= await api.about();
  }
}

const systemDark = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
let chosenTheme: AppSettings['theme'] = 'system';
systemDark?.addEventListener('change', () => applyTheme(chosenTheme));

/** The user's theme, or the system's while they chose "system" (followed as it changes). */
export function applyTheme(theme: AppSettings['theme']): void {
  chosenTheme = theme;
  const dark = theme === 'dark' || (theme === 'system' && (systemDark?.matches ?? false));
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

export function applyLanguage(language: AppSettings['language']): void {
  const locale = language === 'system' ? pickLocale(globalThis.navigator?.languages ?? []) : language;
  setLocale(locale);
  document.documentElement.lang = locale;
}
