// What the whole window knows about the install and who is at the keyboard: read once at
// start and at each login, refreshed after every action that changes it (setup, trust, filing,
// sync, publishing), forgotten at logout.
import {
  appInfo,
  currentSession,
  districtComuni,
  login,
  recover,
  logout,
  onLoginRequired,
  overview,
  type AppInfo,
  type CommandError,
  type DistrictComune,
  type InstallInfo,
  type Operator,
  type Overview,
  type Role,
  type Session as LoggedIn,
  toCommandError,
} from './api';
import { draft } from './draft.svelte';
import { joinPath } from './paths';

class Session {
  info = $state<AppInfo | null>(null);
  /** Why the install could not be read (shown instead of the screens). */
  error = $state<CommandError | null>(null);
  overview = $state<Overview | null>(null);
  comuni = $state<DistrictComune[]>([]);
  /** The operator logged in; `null` shows the login screen (once the install exists). */
  loggedIn = $state<LoggedIn | null>(null);
  /** Why the login screen is shown again (the idle lock), and the username it proposes. */
  lockNotice = $state<string | null>(null);
  lastUsername = $state('');
  /** Whose typing the application draft holds: another operator never sees it. */
  #draftOwner: string | null = null;

  constructor() {
    onLoginRequired(() => this.#forget());
  }

  get install(): InstallInfo | null {
    return this.overview?.install ?? this.info?.install ?? null;
  }

  get isCapofila(): boolean {
    return this.install?.is_capofila ?? false;
  }

  get operator(): Operator | null {
    return this.loggedIn?.operator ?? null;
  }

  get role(): Role | null {
    return this.operator?.role ?? null;
  }

  async start(): Promise<void> {
    try {
      const info = await appInfo();
      // The window may have been reloaded while someone was logged in.
      const current = info.db_exists ? await currentSession() : null;
      this.info = info;
      if (current) await this.#enter(current);
    } catch (raw) {
      this.error = toCommandError(raw);
    }
  }

  /** Logs in; rejects with the app's `CommandError` (the login screen shows it). */
  async logIn(username: string, password: string): Promise<void> {
    await this.#enter(await login(username, password));
  }

  /** Sets a new password with the recovery key and logs in (rejects like `logIn`). */
  async recover(username: string, recoveryKey: string, newPassword: string): Promise<void> {
    await this.#enter(await recover(username, recoveryKey, newPassword));
  }

  /** After the first-run setup: the database exists, its first operator is logged in. */
  async installed(first: LoggedIn): Promise<void> {
    await this.#enter(first);
  }

  /** Logs out; `notice` says why on the login screen (the idle lock). */
  async logOut(notice: string | null = null): Promise<void> {
    this.lastUsername = this.operator?.username ?? this.lastUsername;
    this.#forget();
    this.lockNotice = notice;
    try {
      await logout();
    } catch {
      // The window is locked already; the next login replaces whatever the app kept open.
    }
  }

  async #enter(loggedIn: LoggedIn): Promise<void> {
    const username = loggedIn.operator.username;
    if (this.#draftOwner !== null && this.#draftOwner !== username) draft.forget();
    this.#draftOwner = username;
    this.lockNotice = null;
    this.lastUsername = username;
    this.info = await appInfo();
    this.loggedIn = loggedIn;
    await this.refresh();
  }

  /** Forgets the operator and what the install showed them. */
  #forget(): void {
    this.loggedIn = null;
    this.overview = null;
    this.comuni = [];
    this.error = null;
    if (this.info) this.info = { ...this.info, install: null };
  }

  /** Reads the overview and the district's comuni again. */
  async refresh(): Promise<void> {
    try {
      const [o, c] = await Promise.all([overview(), districtComuni()]);
      this.overview = o;
      this.comuni = c;
      this.error = null;
    } catch (raw) {
      // Nobody is logged in any more (the login screen shows): nothing to report here.
      this.error = this.loggedIn ? toCommandError(raw) : null;
    }
  }

  comuneName(istat: string | null): string {
    if (!istat) return '';
    return this.comuni.find((c) => c.istat === istat)?.name ?? istat;
  }

  /** A path proposed for a new file `name` in the documents folder (empty if there is none). */
  proposedPath(name: string): string {
    const dir = this.info?.documents_dir;
    return dir ? joinPath(dir, this.info?.path_separator ?? '/', name) : '';
  }

  /** The documents folder itself, proposed for bundles and enrolment files. */
  proposedFolder(sub?: string): string {
    const dir = this.info?.documents_dir ?? '';
    return dir && sub ? joinPath(dir, this.info?.path_separator ?? '/', sub) : dir;
  }
}

export const session = new Session();
