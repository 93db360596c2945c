// Typed wrappers of the desktop commands: the only place the window calls `invoke`. The types
// the commands take and return are generated from the Rust types into ./bindings/
// (src-tauri/src/bindings.rs; ARCHITECTURE.md says how to regenerate them); this file keeps the
// wrappers and what the window adds. Every rejection is normalised to `CommandError`, the
// `{code, message, field?, problems?}` shape src-tauri sends. Payloads keep the field names
// sportello-app serialises (snake_case); command arguments are camelCase, as Tauri expects them.
import { invoke, type InvokeArgs } from '@tauri-apps/api/core';
import type {
  PublishChanges,
  BackupChecked,
  BackupMade,
  Accepted,
  AppInfo,
  ApplicationDetail,
  ApplicationsPage,
  ApplicationView,
  AuditEntryView,
  AuditQuery,
  BandoImported,
  CaseKinds,
  ChainIntact,
  CodiceFiscaleInfo,
  CommandError as SentError,
  Corrected,
  CrossComuneExclusion,
  DistrictChoice,
  DistrictComune,
  DraftView,
  DuplicateGroup,
  ErrorCode,
  Filed,
  FormCheck,
  ImportReport,
  KeysView,
  Overview,
  RankingTable,
  ReplacedKey,
  Rotated,
  Session,
  SetupDone,
  Stage,
  SyncHistory,
  WithdrawalChanged,
  AttendanceImported,
  AttendanceMonth,
  CallEventKind,
  CallRecorded,
  Complaint,
  ComuneCalls,
  DayHours,
  NamedCall,
  NamedPayment,
  ObjectionView,
  PaymentsPrinted,
  Project,
  ProjectForm,
  ProjectSaved,
} from './bindings';
import type {
  CaseView,
  ContactAdded,
  ContactView,
  FrontOfficeStats,
  PersonHistory,
  ServicesImported,
  StaleService,
  StoredService,
  AssessmentView,
  NoticeView,
  ProviderApplicationView,
  ProviderApplied,
  RegisterLineView,
  RegisterPrinted,
  RegisterView,
  Verification,
  Form,
  FormSaved,
  SiussExported,
  SiussSettings,
  StoredForm,
  MonitoringOverview,
} from './bindings';

// Every generated type, under its Rust name; `CommandError` below stands for the generated one.
export type * from './bindings';

/** An error as the window handles it: one a command sent, or `ipc` when the window could not
 * reach the app at all. */
export type CommandError = Omit<SentError, 'code'> & { code: ErrorCode | 'ipc' };

/** The shape of `CommandError` (codes are not checked one by one: the app sends only its own). */
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

let loginRequired: () => void = () => {};

/** `handler` runs whenever a command answers that nobody is logged in (the window then shows
 * the login screen, whatever screen sent the command). */
export function onLoginRequired(handler: () => void): void {
  loginRequired = handler;
}

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    const error = toCommandError(raw);
    if (error.code === 'login_required') loginRequired();
    throw error;
  }
}

// ---- Installation ----

export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info');
}

export function overview(): Promise<Overview> {
  return call<Overview>('overview');
}

// ---- Operator at the keyboard ----

/** A wrong username or password is refused with one message (`login_failed`). */
export function login(username: string, password: string): Promise<Session> {
  return call<Session>('login', { username, password });
}

/** A responsabile's new password set with the recovery key; logs them in. */
export function recover(username: string, recoveryKey: string, newPassword: string): Promise<Session> {
  return call<Session>('recover', { username, recoveryKey, newPassword });
}

export function logout(): Promise<void> {
  return call<void>('logout');
}

/** The operator logged in, or `null`. */
export function currentSession(): Promise<Session | null> {
  return call<Session | null>('session');
}

// ---- First run ----

/** The district file: the capofila's signed file (checked against `fingerprint`, read out by
 * the capofila by phone) or the district's `.toml` (no fingerprint). */
export function readDistrict(path: string, fingerprint: string | null = null): Promise<DistrictChoice> {
  return call<DistrictChoice>('read_district', { path, fingerprint });
}

/** The first operator of the new install; they are logged in once it exists. */
export interface FirstOperator {
  username: string;
  /** Full name; empty for none. */
  name: string;
  password: string;
}

export function setup(
  districtPath: string,
  fingerprint: string | null,
  comune: string,
  first: FirstOperator,
): Promise<SetupDone> {
  return call<SetupDone>('setup', {
    districtPath,
    fingerprint,
    comune,
    username: first.username,
    name: first.name.trim() === '' ? null : first.name,
    password: first.password,
  });
}

// ---- Trust ----

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

export function keysView(): Promise<KeysView> {
  return call<KeysView>('keys_view');
}

export function rotateKeys(): Promise<Rotated> {
  return call<Rotated>('rotate_keys');
}

export function revokeComuneKey(comune: string): Promise<ReplacedKey> {
  return call<ReplacedKey>('revoke_comune_key', { comune });
}

export function importBando(path: string): Promise<BandoImported> {
  return call<BandoImported>('import_bando', { path });
}

/** The front office's kinds of back-office case in force here (district data, read-only). */
export function caseKinds(): Promise<CaseKinds> {
  return call<CaseKinds>('case_kinds');
}

// ---- Applications ----

export function districtComuni(): Promise<DistrictComune[]> {
  return call<DistrictComune[]>('district_comuni');
}

/** A page of the applications found (`limit` from `offset`, in the list's order), with the
 * outcome chosen (`''` every outcome, `none` not ranked yet). */
export function searchApplications(
  text: string,
  bando: string | null,
  comune: string | null,
  outcome: string,
  offset: number,
  limit: number,
): Promise<ApplicationsPage> {
  return call<ApplicationsPage>('search_applications', { text, bando, comune, outcome, offset, limit });
}

export function applicationDetail(code: string): Promise<ApplicationDetail> {
  return call<ApplicationDetail>('application_detail', { code });
}

/** A new revision of this comune's application: the whole form as it should read, and why;
 * `objection`: the accepted objection it carries out, if any. */
export function correctApplication(
  code: string,
  form: object,
  reason: string,
  objection: string | null = null,
): Promise<Corrected> {
  return call<Corrected>('correct_application', { code, form, reason, objection });
}

/** The applicant's rinuncia, dated `on` (`aaaa-mm-gg`; today when null). */
export function withdrawApplication(code: string, on: string | null, note: string | null): Promise<WithdrawalChanged> {
  return call<WithdrawalChanged>('withdraw_application', { code, on, note });
}

export function annulWithdrawal(code: string, reason: string): Promise<WithdrawalChanged> {
  return call<WithdrawalChanged>('annul_withdrawal', { code, reason });
}

export function codiceFiscaleInfo(text: string): Promise<CodiceFiscaleInfo> {
  return call<CodiceFiscaleInfo>('codice_fiscale_info', { text });
}

/** `form` is the JSON shape of `sportello application add` (docs/formats.md). */
export function checkApplication(form: object): Promise<FormCheck> {
  return call<FormCheck>('check_application', { form });
}

/** The operator's draft of a new application (the form as JSON, as typed), if any. */
export function draftRead(): Promise<DraftView | null> {
  return call<DraftView | null>('draft_read');
}

/** Keeps `draft` (the form as JSON) as the operator's draft. */
export function draftSave(draft: string): Promise<DraftView> {
  return call<DraftView>('draft_save', { draft });
}

/** Discards the operator's draft; `false` when there was none. */
export function draftDiscard(): Promise<boolean> {
  return call<boolean>('draft_discard');
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

export function bundleExport(out: string): Promise<string[]> {
  return call<string[]>('bundle_export', { out });
}

export function bundlePreview(files: string[]): Promise<ImportReport[]> {
  return call<ImportReport[]>('bundle_preview', { files });
}

export function bundleImport(files: string[]): Promise<ImportReport[]> {
  return call<ImportReport[]>('bundle_import', { files });
}

export function syncHistory(): Promise<SyncHistory> {
  return call<SyncHistory>('sync_history');
}

// ---- Ranking ----

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

export function crossComuneExclusions(bando: string): Promise<CrossComuneExclusion[]> {
  return call<CrossComuneExclusion[]>('cross_comune_exclusions', { bando });
}

/** Which ranking to print: `print_ranking` takes it as text and refuses any other. */
export type Paper = 'public' | 'internal';

export function printRanking(bando: string, paper: Paper, out: string): Promise<string> {
  return call<string>('print_ranking', { bando, paper, out });
}

/** What publishing the bando's ranking now would change against the last published version. */
export function publishChanges(bando: string): Promise<PublishChanges> {
  return call<PublishChanges>('publish_changes', { bando });
}

export function duplicates(): Promise<DuplicateGroup[]> {
  return call<DuplicateGroup[]>('duplicates');
}

// ---- Audit trail ----

/** The entries of the days (`aaaa-mm-gg`, both included) and operator asked, oldest first;
 * `null` for no limit. */
export function auditList(query: AuditQuery): Promise<AuditEntryView[]> {
  return call<AuditEntryView[]>('audit_list', { query });
}

/** The chain checked from the first entry to the last; refused (`audit_broken`) with a
 * message naming the first broken entry. */
export function auditVerify(): Promise<ChainIntact> {
  return call<ChainIntact>('audit_verify');
}

// ---- Backups and recovery ----

/** Writes a backup of the install at `out` (the install stays in use meanwhile). */
export function backupCreate(out: string): Promise<BackupMade> {
  return call<BackupMade>('backup_create', { out });
}

/** Checks that the backup at `path` is this install's, opens and is whole; changes nothing. */
export function backupVerify(path: string): Promise<BackupChecked> {
  return call<BackupChecked>('backup_verify', { path });
}

/** Writes the foglio di recupero with the recovery key (checked to be this install's). */
export function printRecoverySheet(recoveryKey: string, out: string): Promise<string> {
  return call<string>('print_recovery_sheet', { recoveryKey, out });
}

// ---- Servizio civico after the ranking ----

/** This comune's call list for `bando`, in ranking order (from its definitive ranking). */
export function civicoCalls(bando: string): Promise<NamedCall[]> {
  return call<NamedCall[]>('civico_calls', { bando });
}

/** Every comune's calls (capofila). */
export function civicoOverview(bando: string): Promise<ComuneCalls[]> {
  return call<ComuneCalls[]>('civico_overview', { bando });
}

/** A step of a call on `on` (`aaaa-mm-gg`); `note` says how it was called or why it ended. */
export function civicoRecord(code: string, kind: CallEventKind, on: string, note: string | null): Promise<CallRecorded> {
  return call<CallRecorded>('civico_record', { code, kind, on, note });
}

export function civicoProjectForm(code: string): Promise<ProjectForm> {
  return call<ProjectForm>('civico_project_form', { code });
}

export function civicoSetProject(code: string, project: Project): Promise<ProjectSaved> {
  return call<ProjectSaved>('civico_set_project', { code, project });
}

/** The project (`project`) or the lettera di avvio (`avvio`). */
export function civicoPrintProject(code: string, paper: 'project' | 'avvio', out: string): Promise<string> {
  return call<string>('civico_print_project', { code, paper, out });
}

/** One participant's month (`aaaa-mm`) of attendance. */
export function civicoAttendanceMonth(code: string, month: string): Promise<AttendanceMonth> {
  return call<AttendanceMonth>('civico_attendance_month', { code, month });
}

/** The month as typed: every day worked; a day held and left out is cleared. */
export function civicoSaveAttendance(code: string, month: string, days: DayHours[]): Promise<AttendanceImported> {
  return call<AttendanceImported>('civico_save_attendance', { code, month, days });
}

export function civicoPayments(month: string): Promise<NamedPayment[]> {
  return call<NamedPayment[]>('civico_payments', { month });
}

/** Prints and freezes the month's payment list (the CSV is written next to the PDF). */
export function civicoPrintPayments(month: string, out: string): Promise<PaymentsPrinted> {
  return call<PaymentsPrinted>('civico_print_payments', { month, out });
}

export function civicoPrintAttestato(code: string, out: string): Promise<string> {
  return call<string>('civico_print_attestato', { code, out });
}

export function civicoComplaints(openOnly: boolean): Promise<Complaint[]> {
  return call<Complaint[]>('civico_complaints', { openOnly });
}

/** `source`: `host` (the host office) or `participant`; `on` empty for today. Its id. */
export function civicoAddComplaint(code: string, source: 'host' | 'participant', text: string, on: string | null): Promise<string> {
  return call<string>('civico_add_complaint', { code, source, text, on });
}

export function civicoCloseComplaint(id: string, outcome: string): Promise<void> {
  return call<void>('civico_close_complaint', { id, outcome });
}

// ---- Objections to the provisional ranking ----

export function objectionsList(bando: string | null): Promise<ObjectionView[]> {
  return call<ObjectionView[]>('objections_list', { bando });
}

/** `about`: a factor's key or `exclusion`; `lateReason` only after the window closed. */
export function objectionAdd(code: string, about: string, text: string, lateReason: string | null): Promise<ObjectionView> {
  return call<ObjectionView>('objection_add', { code, about, text, lateReason });
}

export function objectionDecide(id: string, outcome: 'accolta' | 'respinta', reason: string): Promise<ObjectionView> {
  return call<ObjectionView>('objection_decide', { id, outcome, reason });
}

/** One preavviso di rigetto per excluded application, written into the folder `dir`. */
export function printPreavvisi(bando: string, dir: string): Promise<string[]> {
  return call<string[]>('print_preavvisi', { bando, dir });
}

// ---- Front office (segretariato sociale) and the map of services ----

/** Records one contact (the JSON of `contact add`, docs/formats.md). */
export function addContact(contact: object): Promise<ContactAdded[]> {
  return call<ContactAdded[]>('front_office_add_contact', { contact });
}

/** This comune's contacts from `from` to `to` (ISO dates), newest first. */
export function contactsList(from: string | null, to: string | null): Promise<ContactView[]> {
  return call<ContactView[]>('front_office_contacts', { from, to });
}

/** A person's contacts, open cases and applications (an audited read). */
export function personHistory(codiceFiscale: string): Promise<PersonHistory> {
  return call<PersonHistory>('front_office_history', { codiceFiscale });
}

/** The open cases by due date; with `all`, then the closed ones. */
export function casesList(all: boolean): Promise<CaseView[]> {
  return call<CaseView[]>('front_office_cases', { all });
}

export function closeCase(number: number, date: string, outcome: string, note: string | null): Promise<CaseView> {
  return call<CaseView>('front_office_close_case', { number, date, outcome, note });
}

export function noteCase(number: number, text: string): Promise<CaseView> {
  return call<CaseView>('front_office_note_case', { number, text });
}

export function assignCase(number: number, operator: string): Promise<CaseView> {
  return call<CaseView>('front_office_assign_case', { number, operator });
}

/** Writes the scheda di invio of contact `number` to `out`; gives the path written. */
export function printReferral(number: number, out: string): Promise<string> {
  return call<string>('front_office_print_referral', { number, out });
}

/** The observatory's figures; `comune` null: every comune held (the district at the capofila). */
export function frontOfficeStats(from: string, to: string, comune: string | null): Promise<FrontOfficeStats> {
  return call<FrontOfficeStats>('front_office_stats', { from, to, comune });
}

/** Writes the same figures as a CSV (`sezione;voce;valore`) to `out`. */
export function frontOfficeStatsCsv(from: string, to: string, comune: string | null, out: string): Promise<string> {
  return call<string>('front_office_stats_csv', { from, to, comune, out });
}

export function servicesList(): Promise<StoredService[]> {
  return call<StoredService[]>('services_list');
}

/** The entries in use matching what is typed, best first. */
export function servicesSearch(text: string, area: number | null, comune: string | null, limit: number | null = null): Promise<StoredService[]> {
  return call<StoredService[]>('services_search', { text, area, comune, limit });
}

/** The capofila's district catalogue, or a comune's local entries, from a CSV or TOML file. */
export function servicesImport(path: string): Promise<ServicesImported> {
  return call<ServicesImported>('services_import', { path });
}

export function servicesReview(code: string): Promise<StoredService> {
  return call<StoredService>('services_review', { code });
}

export function servicesStale(): Promise<StaleService[]> {
  return call<StaleService[]>('services_stale');
}

/** Writes the scheda informativa of entry `code` to `out`. */
export function printService(code: string, out: string): Promise<string> {
  return call<string>('services_print', { code, out });
}

// ---- Accreditation of providers ----

/** The notice in force (the district's default until one is imported). */
export function accreditationNotice(): Promise<NoticeView> {
  return call<NoticeView>('accreditation_notice');
}

/** Imports the notice's TOML file at `path` (capofila). */
export function accreditationImportNotice(path: string): Promise<NoticeView> {
  return call<NoticeView>('accreditation_import_notice', { path });
}

/** Files a provider's application (the JSON shape of `provider apply`). */
export function accreditationApply(application: unknown): Promise<ProviderApplied> {
  return call<ProviderApplied>('accreditation_apply', { application });
}

export function accreditationApplications(): Promise<ProviderApplicationView[]> {
  return call<ProviderApplicationView[]>('accreditation_applications');
}

/** The commission's judgements (`{gates, scores}`); `reason` when it corrects an earlier one. */
export function accreditationAssess(id: string, assessment: unknown, reason: string | null): Promise<AssessmentView> {
  return call<AssessmentView>('accreditation_assess', { id, assessment, reason });
}

/** A coordinatore confirms an assessment: the provider enters the register. */
export function accreditationConfirm(id: string): Promise<AssessmentView> {
  return call<AssessmentView>('accreditation_confirm', { id });
}

/** The register held here; `null` filters nothing. */
export function accreditationRegister(service: string | null, comune: string | null): Promise<RegisterView> {
  return call<RegisterView>('accreditation_register', { service, comune });
}

/** `status`: attivo, sospeso or revocato; `on` aaaa-mm-gg. */
export function accreditationSetStatus(number: string, status: string, reason: string, on: string): Promise<RegisterLineView> {
  return call<RegisterLineView>('accreditation_set_status', { number, status, reason, on });
}

export function accreditationRecordCheck(number: string, on: string, passed: boolean, note: string): Promise<RegisterLineView> {
  return call<RegisterLineView>('accreditation_record_check', { number, on, passed, note });
}

/** `document`: `{number, date, expires}` (dates aaaa-mm-gg). */
export function accreditationRenewDocument(number: string, kind: string, document: unknown): Promise<RegisterLineView> {
  return call<RegisterLineView>('accreditation_renew_document', { number, kind, document });
}

export function accreditationPrintCertificate(number: string, out: string): Promise<string> {
  return call<string>('accreditation_print_certificate', { number, out });
}

export function accreditationPrintRegister(out: string): Promise<RegisterPrinted> {
  return call<RegisterPrinted>('accreditation_print_register', { out });
}

/** Verifies an attestato: its PDF at `path`, or else the QR `text`. */
export function accreditationVerify(path: string | null, text: string | null): Promise<Verification> {
  return call<Verification>('accreditation_verify', { path, text });
}

// ---- Monitoraggio ----

/** The indicators of the half-year `period` (`AAAA-H1`) for the district (`comune` null, at the
 * capofila) or one comune, with the half-year before, each comune's value, the trend and the
 * automatic summary. */
export function monitoringOverview(period: string, comune: string | null): Promise<MonitoringOverview> {
  return call<MonitoringOverview>('monitoring_overview', { period, comune });
}

/** Writes the indicators of the half-year `period` (`AAAA-H1`) to `out`, `.xlsx` or `.csv`: at
 * the capofila the district's and each comune's, at a comune its own. Gives the path written. */
export function monitoringExport(period: string, out: string): Promise<string> {
  return call<string>('monitoring_export', { period, out });
}

/** The half-year forms held here (this install's and, at the capofila, the comuni's). */
export function monitoringForms(): Promise<StoredForm[]> {
  return call<StoredForm[]>('monitoring_forms');
}

/** Writes a half-year form: this install's open one of that half-year and action, or the next
 * revision of a closed one. Refused with each field's problem. */
export function monitoringSaveForm(form: Form): Promise<FormSaved> {
  return call<FormSaved>('monitoring_save_form', { form });
}

/** Closes this install's open form `id`: read-only from then on. */
export function monitoringCloseForm(id: string): Promise<void> {
  return call<void>('monitoring_close_form', { id });
}

/** The ente code and operator's codice fiscale of the last SIUSS flow, to prefill the next. */
export function siussSettings(): Promise<SiussSettings> {
  return call<SiussSettings>('siuss_settings');
}

/** Writes the SIUSS flow of the payments from `from` to `to` (aaaa-mm-gg) to `out` (`.xml` or
 * `.csv`); refused with every problem by person, nothing written, when a record fails. */
export function siussExport(from: string, to: string, out: string, ente: string, operatorCf: string): Promise<SiussExported> {
  return call<SiussExported>('siuss_export', { from, to, out, ente, operatorCf });
}

/** Capofila: writes the half-year's monitoring report (PDF) of `period` to `out`. */
export function monitoringPrintReport(period: string, out: string): Promise<string> {
  return call<string>('monitoring_print_report', { period, out });
}

/** Capofila: writes the plan's final report over `years` (`2025-2027`) to `out`. */
export function monitoringPrintPlanReport(years: string, out: string): Promise<string> {
  return call<string>('monitoring_print_plan_report', { years, out });
}
