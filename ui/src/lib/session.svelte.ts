// What the whole window knows about the install: read once at start, refreshed after every
// action that changes it (setup, trust, filing, sync, publishing).
import {
  appInfo,
  districtComuni,
  overview,
  type AppInfo,
  type CommandError,
  type DistrictComune,
  type InstallInfo,
  type Overview,
  toCommandError,
} from './api';
import { joinPath } from './paths';

class Session {
  info = $state<AppInfo | null>(null);
  /** Why the install could not be read (shown instead of the screens). */
  error = $state<CommandError | null>(null);
  overview = $state<Overview | null>(null);
  comuni = $state<DistrictComune[]>([]);

  get install(): InstallInfo | null {
    return this.overview?.install ?? this.info?.install ?? null;
  }

  get isCapofila(): boolean {
    return this.install?.is_capofila ?? false;
  }

  async start(): Promise<void> {
    try {
      this.info = await appInfo();
      if (this.info.install) await this.refresh();
    } catch (raw) {
      this.error = toCommandError(raw);
    }
  }

  /** Reads the overview and the district's comuni again. */
  async refresh(): Promise<void> {
    try {
      const [o, c] = await Promise.all([overview(), districtComuni()]);
      this.overview = o;
      this.comuni = c;
      this.error = null;
    } catch (raw) {
      this.error = toCommandError(raw);
    }
  }

  /** After the first-run setup: the database now exists. */
  async installed(): Promise<void> {
    this.info = await appInfo();
    await this.refresh();
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
