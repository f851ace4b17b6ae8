// One scan at a time: the screen, an image, the clipboard, the camera. A scan that finds
// exactly one account adds it at once; anything else is offered item by item.
import { api, asIpcError, type IpcError, type ScanItem, type ScanReport } from './api';
import type { AccountsState } from './accounts.svelte';

export type ScanSource = 'screen' | 'image' | 'clipboard' | 'camera' | 'text';

export class ScanFlow {
  busy = $state(false);
  source = $state<ScanSource | null>(null);
  items = $state<ScanItem[] | null>(null);
  batch = $state<ScanReport['batch']>(null);
  error = $state<IpcError | null>(null);
  /** Pending ids already added, so their buttons turn into a check. */
  added = $state<string[]>([]);

  constructor(private readonly accounts: AccountsState) {}

  /** Runs a scan; resolves with the label of what was added when one account, or one push
   *  login on a server that needs no warning, was added at once. */
  async run(source: ScanSource, scan: () => Promise<ScanReport>): Promise<string | null> {
    this.busy = true;
    this.source = source;
    this.error = null;
    this.items = null;
    this.batch = null;
    this.added = [];
    try {
      const report = await scan();
      const [only] = report.items;
      if (report.items.length === 1 && only && !report.batch) {
        const needsNothing =
          only.kind === 'account' ||
          (only.kind === 'push' && !only.risk) ||
          (only.kind === 'container' && !only.risk && !only.passphrasePrompt && only.offerable.length === 0);
        if (needsNothing) {
          await this.add(only.pendingId);
          if (this.error) return null;
          return only.kind === 'account' ? only.issuer || only.name : only.name;
        }
        // One pasted link that is wrong: say why, as a form does.
        if (source === 'text' && only.kind === 'invalid') {
          this.error = only.error;
          return null;
        }
        if (source === 'text' && only.kind === 'other') {
          this.error = { code: 'not_otpauth_uri', message: only.preview };
          return null;
        }
      }
      this.items = report.items;
      this.batch = report.batch;
      return null;
    } catch (error) {
      this.error = asIpcError(error);
      return null;
    } finally {
      this.busy = false;
    }
  }

  async add(
    pendingId: string,
    allowInsecure = false,
    passphrase: string | null = null,
    offer: string[] = [],
  ): Promise<void> {
    this.error = null;
    try {
      await this.accounts.added(await api.addScanned(pendingId, allowInsecure, passphrase, offer));
      this.added = [...this.added, pendingId];
    } catch (error) {
      this.error = asIpcError(error);
    }
  }

  async addAll(): Promise<void> {
    for (const item of this.items ?? []) {
      if (item.kind === 'account' && !this.added.includes(item.pendingId)) await this.add(item.pendingId);
    }
  }
}
