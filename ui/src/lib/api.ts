// Typed wrappers of the desktop commands: the only place the window calls `invoke`. Every
// rejection is normalised to `CommandError`, the `{code, message, field?, problems?}` shape
// src-tauri sends. Payloads keep the field names sportello-app serialises (snake_case); command
// arguments are camelCase, as Tauri expects them.
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

// ---- Installation ----

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
  /** Where documents and bundles are proposed to be saved. */
  documents_dir: string | null;
  path_separator: string;
}

export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info');
}

export type Stage = 'provisional' | 'definitive';
export type Outcome = 'AMMESSO' | 'IDONEO_NON_AMMESSO' | 'ESCLUSO';

export interface BundleOut {
  recipient: string;
  seq: number;
  kind: string;
  file_name: string;
  header_hash: string;
  records: number;
  created_at: string;
}

export interface TableCounts {
  new: number;
  updated: number;
  unchanged: number;
}

export interface ApplySummary {
  already_imported: boolean;
  tables: Record<string, TableCounts>;
}

export interface ImportLogEntry {
  at: string;
  actor: string;
  file_name: string;
  sender: string | null;
  bundle_seq: number | null;
  outcome: string;
  code: string | null;
  message: string | null;
  summary: ApplySummary | null;
}

export interface BandoStatus {
  id: string;
  title: string;
  opens: string;
  closes: string;
  ranking_number: number | null;
  ranking_stage: Stage | null;
  ranking_published_at: string | null;
}

/** What the Home screen shows. */
export interface Overview {
  install: InstallInfo;
  fingerprint: string;
  applications: number;
  /** Own applications the capofila has not acknowledged yet. */
  unsent_applications: number;
  enrolled_comuni: string[];
  capofila_trusted: boolean;
  last_export: BundleOut | null;
  last_import: ImportLogEntry | null;
  bandi: BandoStatus[];
}

export function overview(): Promise<Overview> {
  return call<Overview>('overview');
}

// ---- First run ----

export interface DistrictChoice {
  id: string;
  name: string;
  capofila: string;
  comuni: { istat: string; name: string; is_capofila: boolean }[];
}

export interface SetupDone {
  install: InstallInfo;
  fingerprint: string;
}

export function readDistrict(path: string): Promise<DistrictChoice> {
  return call<DistrictChoice>('read_district', { path });
}

export function setup(districtPath: string, comune: string): Promise<SetupDone> {
  return call<SetupDone>('setup', { districtPath, comune });
}

// ---- Trust ----

export interface Accepted {
  comune: string;
  comune_name: string;
  fingerprint: string;
  /** False when the same key was already trusted. */
  added: boolean;
  bandi: string[];
  /** The key this one replaced, when it did. */
  replaced?: { fingerprint: string; revoked_from_seq: number };
}

export function enrolExport(out: string): Promise<string> {
  return call<string>('enrol_export', { out });
}

export function enrolAccept(file: string, fingerprint: string): Promise<Accepted> {
  return call<Accepted>('enrol_accept', { file, fingerprint });
}

export function districtExport(out: string): Promise<string> {
  return call<string>('district_export', { out });
}

/** `replace`: the capofila changed key and its new fingerprint was confirmed by phone. */
export function districtAccept(file: string, fingerprint: string, replace = false): Promise<Accepted> {
  return call<Accepted>('district_accept', { file, fingerprint, replace });
}

export interface TrustedKey {
  comune: string;
  comune_name: string;
  role: 'capofila' | 'comune';
  fingerprint: string;
  /** Bundles it signs from this number on are refused; null while trusted. */
  revoked_from_seq: number | null;
  replaced: boolean;
  own: boolean;
}

export interface KeysView {
  fingerprint: string;
  rotation_pending: boolean;
  trusted: TrustedKey[];
}

export function keysView(): Promise<KeysView> {
  return call<KeysView>('keys_view');
}

export interface Rotated {
  old_fingerprint: string;
  new_fingerprint: string;
}

export function rotateKeys(): Promise<Rotated> {
  return call<Rotated>('rotate_keys');
}

export interface ReplacedKey {
  fingerprint: string;
  revoked_from_seq: number;
}

export function revokeComuneKey(comune: string): Promise<ReplacedKey> {
  return call<ReplacedKey>('revoke_comune_key', { comune });
}

export interface BandoImported {
  id: string;
  title: string;
  outcome: 'created' | 'updated' | 'unchanged';
}

export function importBando(path: string): Promise<BandoImported> {
  return call<BandoImported>('import_bando', { path });
}

// ---- Applications ----

export interface DistrictComune {
  istat: string;
  name: string;
  belfiore: string;
}

export function districtComuni(): Promise<DistrictComune[]> {
  return call<DistrictComune[]>('district_comuni');
}

export interface Person {
  codice_fiscale: string;
  surname: string;
  name: string;
  birth_date: string;
  sex: 'M' | 'F';
  birth_place: string;
}

export interface ApplicationView {
  application_code: string;
  case_number: string;
  comune: string;
  comune_name: string;
  bando: string;
  filed_at: string;
  protocol_number: string | null;
  /** 1 as filed, one more for each correction. */
  revision: number;
  applicant: Person & { address?: string; phone?: string; email?: string };
  household: (Person & { relation: string; dependent_minor: boolean; disabled: boolean })[];
  isee: { value: string; dsu_protocol: string; dsu_date: string; kind: string } | null;
  position: number | null;
  outcome: Outcome | null;
}

export function searchApplications(
  text: string,
  bando: string | null,
  comune: string | null,
): Promise<ApplicationView[]> {
  return call<ApplicationView[]>('search_applications', { text, bando, comune });
}

/** A field whose value differs between two revisions, by its path in the form's JSON shape. */
export interface FieldChange {
  field: string;
  before: string | number | boolean | null;
  after: string | number | boolean | null;
}

export interface RevisionView {
  revision: number;
  recorded_at: string;
  operator: string;
  /** Null for the application as filed. */
  reason: string | null;
  changes: FieldChange[];
}

export interface ApplicationDetail {
  application: ApplicationView;
  /** The current revision in the JSON shape of `application add`. */
  form: object;
  revisions: RevisionView[];
}

export function applicationDetail(code: string): Promise<ApplicationDetail> {
  return call<ApplicationDetail>('application_detail', { code });
}

export interface CodiceFiscaleInfo {
  valid: boolean;
  error: string | null;
  birth_date: string | null;
  sex: 'M' | 'F' | null;
  birth_place: string | null;
  birth_place_name: string | null;
}

export function codiceFiscaleInfo(text: string): Promise<CodiceFiscaleInfo> {
  return call<CodiceFiscaleInfo>('codice_fiscale_info', { text });
}

export interface FormCheck {
  problems: Problem[];
  warnings: Problem[];
}

/** `form` is the JSON shape of `sportello application add` (docs/formats.md). */
export function checkApplication(form: object): Promise<FormCheck> {
  return call<FormCheck>('check_application', { form });
}

export interface Filed {
  case_number: string;
  application_code: string;
  codice_fiscale: string;
  surname: string;
  name: string;
  warnings: Problem[];
}

export function addApplication(form: object): Promise<Filed> {
  return call<Filed>('add_application', { form });
}

export function printReceipt(applicationCode: string, out: string): Promise<string> {
  return call<string>('print_receipt', { applicationCode, out });
}

/** Opens a PDF this window printed with the system's viewer. */
export function openDocument(path: string): Promise<void> {
  return call<void>('open_document', { path });
}

// ---- Sync ----

export interface ImportReport {
  file: string;
  outcome: 'applied' | 'already_imported' | 'refused';
  sender: string | null;
  seq: number | null;
  summary: ApplySummary | null;
  error: CommandError | null;
}

export function bundleExport(out: string): Promise<string[]> {
  return call<string[]>('bundle_export', { out });
}

export function bundlePreview(files: string[]): Promise<ImportReport[]> {
  return call<ImportReport[]>('bundle_preview', { files });
}

export function bundleImport(files: string[]): Promise<ImportReport[]> {
  return call<ImportReport[]>('bundle_import', { files });
}

export interface SyncHistory {
  exports: BundleOut[];
  imports: ImportLogEntry[];
}

export function syncHistory(): Promise<SyncHistory> {
  return call<SyncHistory>('sync_history');
}

// ---- Ranking ----

export interface Breakdown {
  isee: number;
  household_size: number;
  dependent_minors: number;
  disability: number;
  single_parent: number;
  unemployment: number;
  housing: number;
  older_applicant: number;
  previous_participation: number;
}

export interface RankingRow {
  position: number | null;
  application_code: string;
  comune: string;
  comune_name: string;
  applicant: string | null;
  score: number;
  outcome: Outcome;
  breakdown: Breakdown;
  reasons: string[];
  reason_codes: string[];
}

/** A factor of the breakdown as the bando's rules name it. */
export interface FactorLabel {
  key: string;
  short: string;
  label: string;
  legend: string;
}

/** Computed now (`number` null) or a published version. */
export interface RankingTable {
  bando: string;
  number: number | null;
  stage: Stage | null;
  published_at: string | null;
  rows: RankingRow[];
  factors: FactorLabel[];
}

export function computeRanking(bando: string): Promise<RankingTable> {
  return call<RankingTable>('compute_ranking', { bando });
}

export function latestRanking(bando: string): Promise<RankingTable | null> {
  return call<RankingTable | null>('latest_ranking', { bando });
}

/** `confirmCrossComune`: the coordinator looked at the exclusions across comuni. */
export function publishRanking(
  bando: string,
  stage: Stage,
  confirmCrossComune: boolean,
): Promise<RankingTable> {
  return call<RankingTable>('publish_ranking', { bando, stage, confirmCrossComune });
}

export interface ConflictSide {
  application_code: string;
  case_number: string;
  comune: string;
  comune_name: string;
  /** `gg/mm/aaaa hh:mm`, Italian time. */
  filed_at: string;
}

/** An application excluded because one filed earlier at another comune names one of its people. */
export interface CrossComuneExclusion {
  excluded: ConflictSide;
  standing: ConflictSide;
  shared_codici_fiscali: string[];
}

export function crossComuneExclusions(bando: string): Promise<CrossComuneExclusion[]> {
  return call<CrossComuneExclusion[]>('cross_comune_exclusions', { bando });
}

export type Paper = 'public' | 'internal';

export function printRanking(bando: string, paper: Paper, out: string): Promise<string> {
  return call<string>('print_ranking', { bando, paper, out });
}

export interface DuplicateApplication {
  application_code: string;
  case_number: string;
  comune: string;
  comune_name: string;
  bando: string;
  filed_at: string;
  applicant: string;
  applicant_codice_fiscale: string;
}

export interface DuplicateGroup {
  shared_codici_fiscali: string[];
  across_comuni: boolean;
  applications: DuplicateApplication[];
}

export function duplicates(): Promise<DuplicateGroup[]> {
  return call<DuplicateGroup[]>('duplicates');
}
