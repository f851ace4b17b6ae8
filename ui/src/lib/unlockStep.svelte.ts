// The unlock step before what hands out every secret or changes where they go: an export,
// the backup password or folder, moving a container. With a Pocket passcode set (desktop),
// the dialog asks for it; on phones the Rust side asks the phone's own check; with no lock
// there is nothing to ask. The Rust side decides and checks: this only collects the passcode.
import type { AppSettings } from './api';

interface Asking {
  resolve: (passcode: string | null | undefined) => void;
}

class UnlockStep {
  asking = $state<Asking | null>(null);
  #settings: AppSettings | null = null;

  /** Follows the settings: whether a passcode lock is set. */
  follow(settings: AppSettings | null): void {
    this.#settings = settings;
  }

  /** The passcode to send along: `null` when none is asked here, `undefined` when the user
   *  cancelled (then nothing is sent at all). */
  ask(): Promise<string | null | undefined> {
    const settings = this.#settings;
    if (!settings || settings.lock === 'off' || settings.lockKind !== 'passcode')
      return Promise.resolve(null);
    this.asking?.resolve(undefined);
    return new Promise((resolve) => (this.asking = { resolve }));
  }

  answer(passcode: string | undefined): void {
    this.asking?.resolve(passcode);
    this.asking = null;
  }
}

export const unlockStep = new UnlockStep();
