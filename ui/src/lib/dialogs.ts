// The native file dialogs (tauri-plugin-dialog), the only place the window asks for them. They
// only choose a path: every command then takes that path as an argument, so a path can also be
// typed, and the window's tests pass paths of their own.
import { open, save, type DialogFilter } from '@tauri-apps/plugin-dialog';

export const BUNDLE_FILTER: DialogFilter = { name: 'Pacchetti Sportello', extensions: ['sportello'] };
export const PDF_FILTER: DialogFilter = { name: 'Documenti PDF', extensions: ['pdf'] };
export const TOML_FILTER: DialogFilter = { name: 'File di configurazione', extensions: ['toml'] };

/** One existing file, or null when the operator cancels. */
export async function chooseFile(title: string, filters: DialogFilter[] = []): Promise<string | null> {
  const chosen = await open({ title, filters, multiple: false, directory: false });
  return typeof chosen === 'string' ? chosen : null;
}

/** Several existing files (none when the operator cancels). */
export async function chooseFiles(title: string, filters: DialogFilter[] = []): Promise<string[]> {
  const chosen = await open({ title, filters, multiple: true, directory: false });
  if (chosen === null) return [];
  return Array.isArray(chosen) ? chosen : [chosen];
}

/** A folder, starting from `start` when given. */
export async function chooseFolder(title: string, start?: string): Promise<string | null> {
  const chosen = await open({ title, directory: true, multiple: false, defaultPath: start || undefined });
  return typeof chosen === 'string' ? chosen : null;
}

/** Where to save a new file, proposing `proposed`. */
export async function chooseSaveFile(
  title: string,
  proposed: string,
  filters: DialogFilter[] = [],
): Promise<string | null> {
  return save({ title, defaultPath: proposed || undefined, filters });
}

export const BACKUP_FILTER: DialogFilter = { name: 'Backup Sportello', extensions: ['backup'] };
