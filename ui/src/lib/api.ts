// Typed wrappers of the desktop commands: the only place the window calls `invoke`. Every
// rejection is normalised to `CommandError`, the `{code, message, field?}` shape src-tauri sends.
import { invoke, type InvokeArgs } from '@tauri-apps/api/core';

/** One refused value: which record, which field, and why. */
export interface Problem {
  record: string;
  field: string;
  code: string;
  message: string;
}

export interface CommandError {
  /** Stable code to branch on; never match on the message. */
  code: string;
  /** Italian text for the operator. */
  message: string;
  /** The form field the error concerns, when there is one. */
  field?: string;
  /** For refused input: every problem, to show next to its own field. */
  problems?: Problem[];
}

export function isCommandError(value: unknown): value is CommandError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.code === 'string' &&
    typeof candidate.message === 'string' &&
    (candidate.field === undefined || typeof candidate.field === 'string') &&
    (candidate.problems === undefined || Array.isArray(candidate.problems))
  );
}

/** Any rejection from the IPC layer as a `CommandError` (a bare string comes from Tauri itself). */
export function toCommandError(raw: unknown): CommandError {
  if (isCommandError(raw)) return raw;
  const detail = raw instanceof Error ? raw.message : String(raw);
  return {
    code: 'ipc',
    message: `Comunicazione con l'applicazione non riuscita: ${detail}`,
  };
}

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toCommandError(raw);
  }
}

// Payloads keep the field names sportello-app serialises (snake_case).

/** Who and where this install is. */
export interface InstallInfo {
  comune: string;
  comune_name: string;
  district_id: string;
  district_name: string;
  capofila: string;
  is_capofila: boolean;
  db_path: string;
}

export interface AppInfo {
  version: string;
  /** Absolute path of the database file this window works on. */
  db_path: string;
  /** False before the first setup has created it. */
  db_exists: boolean;
  /** Null until the install's database exists. */
  install: InstallInfo | null;
}

export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info');
}
