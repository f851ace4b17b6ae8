// The accounts and push tokens as the home screen lists them: reading the lists, search,
// reorder, import, pairing, the containers' actions. Their codes are `codes` (codes.svelte.ts).
import {
  api,
  asIpcError,
  type Account,
  type Added,
  type Container,
  type ContainerSynced,
  type ContainerTransfer,
  type Home,
  type ImportReport,
  type IpcError,
  type OfferedAccount,
  type PushToken,
} from './api';
import { onContainersSynced } from './api/events';
import { CodesState } from './codes.svelte';
import { Listeners } from './listeners';
import { t } from './i18n';
import { arrangeShown, moveByOne, sameOrder } from './reorder';
import { firstCodes } from './startup.svelte';
import { unlockStep } from './unlockStep.svelte';

export class AccountsState {
  // The lists and codes are replaced whole, never changed in place: plain (raw) state, so a
  // thousand accounts do not each get a reactive proxy at start-up.
  accounts = $state.raw<Account[]>([]);
  pushTokens = $state.raw<PushToken[]>([]);
  /** privacyIDEA containers: each manages some of the accounts and push tokens. */
  containers = $state.raw<Container[]>([]);
  loadError = $state<IpcError | null>(null);
  loaded = $state(false);
  /** How many rows the list makes at once (the Rust side says, with their codes). */
  firstRows = $state(0);
  /** The codes (and images) of the rows on screen. */
  readonly codes = new CodesState();
  #listeners = new Listeners();

  /** Reads the lists and the first rows' codes, or takes them from `read` when the read was
   *  made already (start-up makes it with the lock's). */
  async load(read?: Promise<Home>): Promise<void> {
    try {
      // One round trip, with the first screen's codes: at start-up each one waits behind
      // the webview's own work. The other rows' codes follow as they come on screen (show).
      const home = await (read ?? api.homeScreen());
      this.codes.hideCodes = home.hideCodes;
      this.firstRows = home.firstRows;
      this.accounts = home.accounts;
      this.pushTokens = home.pushTokens;
      this.containers = home.containers;
      this.codes.took(home.codes, true);
      this.loadError = null;
    } catch (error) {
      this.loadError = asIpcError(error);
    } finally {
      this.loaded = true;
      firstCodes.settle(() => this.loaded);
    }
  }

  /** Why the list or its codes could not be read, if one could not. */
  get error(): IpcError | null {
    return this.loadError ?? this.codes.error;
  }

  start(): void {
    this.codes.start();
    // A container sync in the background may add or remove accounts.
    void this.#listeners.add(onContainersSynced(() => void this.load()));
  }

  stop(): void {
    this.codes.stop();
    this.#listeners.stop();
  }

  /** Forgets every name and code: the lock shut. */
  clear(): void {
    this.accounts = [];
    this.pushTokens = [];
    this.containers = [];
    this.codes.clear();
    this.query = '';
    this.loaded = false;
    firstCodes.reset();
  }

  async addManual(input: Parameters<typeof api.addAccountManual>[0]): Promise<Added> {
    return this.added({ kind: 'account', value: await api.addAccountManual(input) });
  }

  async removePushToken(id: string): Promise<void> {
    await api.deletePushToken(id);
    this.pushTokens = this.pushTokens.filter((token) => token.id !== id);
  }

  /** Puts what was just added into the lists. */
  async added(added: Added): Promise<Added> {
    if (added.kind === 'container') {
      // A registration brings a whole group: read the lists again.
      await this.load();
    } else if (added.kind === 'pushToken') {
      this.pushTokens = [...this.pushTokens, added.value.token];
      // The server may offer a code account along: the user is asked before it is added.
      const offered = added.value.offered;
      if (offered)
        this.paired = { issuer: added.value.token.issuer || added.value.token.host, offered, account: null };
    } else {
      this.accounts = [...this.accounts, added.value];
      await this.codes.refresh();
    }
    return added;
  }

  /** A pairing whose server offered a code account, shown on the home screen until
   *  dismissed: offered first, then, once the user added it, with its code (needed whenever
   *  no login request arrives). */
  paired = $state<{ issuer: string; offered: OfferedAccount; account: Account | null } | null>(null);

  /** Adds the code account the pairing's server offered. */
  async addOffered(): Promise<void> {
    const paired = this.paired;
    if (!paired) return;
    const added = await api.addScanned(paired.offered.pendingId);
    if (added.kind !== 'account') return;
    this.accounts = [...this.accounts, added.value];
    this.paired = { ...paired, account: added.value };
    await this.codes.refresh();
  }

  /** What the search box holds; the list shows the accounts it matches. */
  query = $state('');

  get visible(): Account[] {
    const words = fold(this.query).split(/\s+/).filter(Boolean);
    if (words.length === 0) return this.accounts;
    return this.accounts.filter((account) => {
      const text = fold(`${account.issuer} ${account.name}`);
      return words.every((word) => text.includes(word));
    });
  }

  async rename(id: string, issuer: string, name: string): Promise<void> {
    const renamed = await api.renameAccount(id, issuer, name);
    this.accounts = this.accounts.map((account) => (account.id === id ? renamed : account));
  }

  /** Moves an account one place up (-1) or down (+1) and saves the order. */
  async move(id: string, step: -1 | 1): Promise<void> {
    const ids = this.accounts.map((account) => account.id);
    const moved = moveByOne(ids, id, step);
    if (sameOrder(ids, moved)) return;
    this.arrange(moved);
    await this.saveOrder();
  }

  /** Shows the accounts one list holds (`shown`, top to bottom) in a new order, unsaved: a
   *  drag under way. The others keep their places. */
  arrange(shown: string[]): void {
    this.accounts = arrangeShown(this.accounts, shown);
  }

  /** Saves the order on screen. If that fails the saved order comes back, so the screen
   *  never shows an order a restart would lose. */
  async saveOrder(): Promise<void> {
    try {
      await api.reorderAccounts(this.accounts.map((account) => account.id));
    } catch (error) {
      this.accounts = await api.listAccounts().catch(() => this.accounts);
      throw error;
    }
  }

  async importPicked(handle: string, password: string | null): Promise<ImportReport> {
    const report = await api.importPicked(handle, password);
    if (report.added.length > 0) await this.load();
    return report;
  }

  /** The ids of the accounts and push tokens the containers manage. */
  // Made anew whenever the containers change, never changed in place.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #managed = $derived(new Set(this.containers.flatMap((c) => [...c.accountIds, ...c.pushTokenIds])));

  /** Those of `items` no container manages; `items` itself when none manages anything, so a
   *  long list without containers is not walked at start-up. */
  unmanaged<T extends { id: string }>(items: T[]): T[] {
    const managed = this.#managed;
    return managed.size === 0 ? items : items.filter((item) => !managed.has(item.id));
  }

  /** The container managing an account or push token, if one does. */
  containerOf(id: string): Container | undefined {
    return this.containers.find((c) => c.accountIds.includes(id) || c.pushTokenIds.includes(id));
  }

  /** Syncs every container now; the lists follow what the servers said. */
  async syncContainers(): Promise<ContainerSynced[]> {
    const results = await api.syncContainers();
    await this.load();
    return results;
  }

  /** The code that hands the container to a new phone, after the unlock step; null when the
   *  user cancelled that. */
  async moveContainer(id: string): Promise<ContainerTransfer | null> {
    const passcode = await unlockStep.ask();
    if (passcode === undefined) return null;
    return api.moveContainer(id, passcode, t('lock.reason'));
  }

  async unregisterContainer(id: string): Promise<void> {
    await api.unregisterContainer(id);
    await this.load();
  }

  /** Removes a container that moved away, with its tokens. */
  async forgetContainer(id: string): Promise<void> {
    await api.forgetContainer(id);
    await this.load();
  }

  async remove(id: string): Promise<void> {
    await api.deleteAccount(id);
    this.accounts = this.accounts.filter((account) => account.id !== id);
    this.codes.forget(id);
  }
}

/** Lower case without accents, so "zurich" finds "Zürich". */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

export function accountLabel(account: Pick<Account, 'issuer' | 'name'>): string {
  if (account.issuer && account.name) return `${account.issuer} (${account.name})`;
  return account.issuer || account.name;
}

export function addedLabel(added: Added): string {
  if (added.kind === 'account') return accountLabel(added.value);
  if (added.kind === 'container') return `${added.value.container.issuer} (${added.value.container.serial})`;
  return `${added.value.token.issuer} (${added.value.token.serial})`;
}
