// Italian words for what the commands return as codes: outcomes, ranking stages, import
// results, score factors, the audit trail's actions and records.
import type {
  ApplySummary,
  AuditEntryView,
  Breakdown,
  FactorLabel,
  FieldChange,
  ImportReport,
  Outcome,
  Role,
  Stage,
  TableCounts,
} from './api';
import { formatDate, formatDateTime, formatEuro } from './format';

export const OUTCOMES: readonly { value: Outcome; label: string }[] = [
  { value: 'AMMESSO', label: 'Ammesso' },
  { value: 'IDONEO_NON_AMMESSO', label: 'Idoneo non ammesso' },
  { value: 'ESCLUSO', label: 'Escluso' },
];

export function outcomeLabel(outcome: Outcome | null): string {
  return OUTCOMES.find((o) => o.value === outcome)?.label ?? 'Non ancora in graduatoria';
}

const ROLES: Record<Role, string> = {
  operatore: 'Operatore',
  responsabile: 'Responsabile',
  coordinatore: 'Coordinatore',
  revisore: 'Revisore',
};

export function roleLabel(role: Role): string {
  return ROLES[role];
}

export function stageLabel(stage: Stage): string {
  return stage === 'provisional' ? 'provvisoria' : 'definitiva';
}

/** Each synchronised table: its Italian name, singular and plural, and grammatical gender. */
const TABLES: Record<string, { one: string; many: string; feminine: boolean }> = {
  applications: { one: 'domanda', many: 'domande', feminine: true },
  application_revisions: { one: 'revisione di domanda', many: 'revisioni di domande', feminine: true },
  bandi: { one: 'bando', many: 'bandi', feminine: false },
  rankings: { one: 'graduatoria', many: 'graduatorie', feminine: true },
};

function counted(n: number, feminine: boolean, one: [string, string], many: [string, string]): string {
  const [f, m] = n === 1 ? one : many;
  return `${n} ${feminine ? f : m}`;
}

/** `domande: 3 nuove, 1 aggiornata, 2 già presenti`. */
export function tableSummary(table: string, counts: TableCounts): string {
  const known = TABLES[table] ?? { one: table, many: table, feminine: false };
  const fem = known.feminine;
  const parts = [
    counted(counts.new, fem, ['nuova', 'nuovo'], ['nuove', 'nuovi']),
    counted(counts.updated, fem, ['aggiornata', 'aggiornato'], ['aggiornate', 'aggiornati']),
    counted(counts.unchanged, fem, ['già presente', 'già presente'], ['già presenti', 'già presenti']),
  ];
  return `${known.many}: ${parts.join(', ')}`;
}

/** Every table that carries records, one line each; an empty bundle says so. */
export function summaryLines(summary: ApplySummary): string[] {
  const lines = Object.entries(summary.tables)
    .filter(([, c]) => c.new + c.updated + c.unchanged > 0)
    .map(([table, counts]) => tableSummary(table, counts));
  return lines.length > 0 ? lines : ['nessun dato nel pacchetto'];
}

/** What a file's report says, before (`preview`) or after importing it. */
export function reportHeadline(report: ImportReport, preview: boolean): string {
  switch (report.outcome) {
    case 'applied':
      return preview ? 'Pronto da importare' : 'Importato';
    case 'already_imported':
      return 'Già importato: nessuna modifica';
    case 'refused':
      return preview ? 'Sarà rifiutato' : 'Rifiutato';
  }
}

/** The history's word for an import attempt. */
export function importOutcomeLabel(outcome: string): string {
  return (
    { applied: 'Importato', already_imported: 'Già importato', refused: 'Rifiutato' }[outcome] ??
    outcome
  );
}


/** The factors that gave or took points, in the regulation's order, named as the bando's
 * rules name them (`factors` comes with the ranking: `Età 55 anni o più` for a bando that
 * says 55). */
export function breakdownParts(b: Breakdown, factors: readonly FactorLabel[]): { label: string; points: number }[] {
  return factors
    .filter((f) => f.key in b && b[f.key as keyof Breakdown] !== 0)
    .map((f) => ({ label: f.label, points: b[f.key as keyof Breakdown] }));
}

/** The form's fields by their JSON path (docs/formats.md), as an operator names them. */
const FIELDS: Record<string, string> = {
  filed_at: 'Data di presentazione',
  protocol_number: 'Protocollo',
  override_note: 'Nota di conferma',
  codice_fiscale: 'codice fiscale',
  surname: 'cognome',
  name: 'nome',
  birth_date: 'data di nascita',
  sex: 'sesso',
  birth_place: 'luogo di nascita',
  address: 'indirizzo',
  phone: 'telefono',
  email: 'email',
  relation: 'relazione',
  dependent_minor: 'minore a carico',
  disabled: 'disabilità certificata',
  'isee.value': 'ISEE',
  'isee.dsu_protocol': 'Protocollo DSU',
  'isee.dsu_date': 'Data DSU',
  'isee.kind': 'Tipo di ISEE',
  resident: 'Residente',
  unemployed: 'Disoccupato',
  unemployed_since: 'Disoccupato dal',
  other_income_support: 'Altro sostegno al reddito',
  single_parent: 'Genitore solo',
  applicant_disabled: 'Richiedente con disabilità',
  housing: 'Abitazione',
  previous_participation: 'Partecipazione precedente',
};

/** `applicant.birth_date` → `Richiedente: data di nascita`; `household[1].surname` →
 * `Componente 2: cognome`; an unknown path is shown as it is. */
export function fieldLabel(path: string): string {
  const field = (key: string) => FIELDS[key] ?? key;
  const member = /^household\[(\d+)\]\.(.+)$/.exec(path);
  if (member) return `Componente ${Number(member[1]) + 1}: ${field(member[2] ?? '')}`;
  const applicant = /^applicant\.(.+)$/.exec(path);
  if (applicant) return `Richiedente: ${field(applicant[1] ?? '')}`;
  return field(path);
}

const HOUSING: Record<string, string> = {
  none: 'nessuna',
  rent: 'affitto con contratto registrato',
  eviction: 'sfratto in esecuzione',
};

/** A changed value as the operator reads it: dates, amounts and yes/no in Italian; an absent
 * value as a dash. */
export function changedValue(path: string, value: FieldChange['before']): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? 'sì' : 'no';
  const text = String(value);
  if (path === 'filed_at') return formatDateTime(text);
  if (path === 'isee.value') return formatEuro(text);
  if (path === 'housing') return HOUSING[text] ?? text;
  if (/(^|\.)(birth_date|dsu_date|unemployed_since)$/.test(path)) return formatDate(text);
  return text;
}

/** The audit trail's actions (crates/store and crates/app: `audit::log`, `audit_read`,
 * `audit_file`), as a clerk reads them. */
const AUDIT_ACTIONS: Record<string, string> = {
  init: 'Installazione creata',
  district_accept: 'File del distretto accettato',
  district_export: 'File del distretto esportato',
  enrol_export: 'File di adesione esportato',
  enrol_accept: 'Adesione di un comune accettata',
  key_rotate: 'Chiavi cambiate',
  key_revoke: 'Chiave di un comune revocata',
  operator_add: 'Operatore aggiunto',
  operator_disable: 'Operatore disattivato',
  password_change: 'Password cambiata',
  password_reset: 'Password reimpostata',
  password_recover: 'Password reimpostata con la chiave di recupero',
  login_failed: 'Accesso non riuscito',
  backup_create: 'Backup creato',
  backup_verify: 'Backup verificato',
  backup_restore: 'Installazione ripristinata da un backup',
  print_recovery_sheet: 'Foglio di recupero stampato',
  bando_create: 'Bando importato',
  bando_update: 'Bando aggiornato',
  case_kinds_set: 'Tipi di istruttoria stabiliti',
  application_create: 'Domanda registrata',
  application_correct: 'Domanda corretta',
  application_withdraw: 'Rinuncia alla domanda registrata',
  application_withdrawal_annul: 'Rinuncia alla domanda annullata',
  application_show: 'Domanda consultata',
  application_search: 'Ricerca tra le domande',
  application_list: 'Elenco delle domande',
  application_outcomes: 'Elenco degli esiti',
  application_duplicates: 'Domande che condividono persone',
  print_receipt: 'Ricevuta stampata',
  print_ranking_public: 'Graduatoria pubblica stampata',
  print_ranking_internal: 'Graduatoria interna stampata',
  ranking_publish: 'Graduatoria pubblicata',
  bundle_export: 'Pacchetto esportato',
  bundle_import: 'Pacchetto ricevuto',
  record_quarantine: 'Record messo da parte',
};

/** `application_create` → `Domanda registrata`; an action this window does not know is shown
 * as its code. */
export function auditActionLabel(action: string): string {
  return AUDIT_ACTIONS[action] ?? action;
}

/** The kinds of record an entry concerns. */
const AUDIT_ENTITIES: Record<string, string> = {
  application: 'Domanda',
  ranking: 'Graduatoria',
  bundle: 'Pacchetto',
  operator: 'Operatore',
  install: 'Installazione',
  file: 'File',
  key: 'Chiave',
  bando: 'Bando',
  case_kinds: 'Tipi di istruttoria',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An entry's record: its kind in Italian (a table set aside by its Italian name; `Domande`
 * for a search or listing) and its id, a record's UUID cut to its first 8 characters (`full`
 * keeps it whole, for a tooltip). */
export function auditRecord(entry: Pick<AuditEntryView, 'entity' | 'entity_id'>): {
  kind: string;
  id: string | null;
  full: string | null;
} {
  const full = entry.entity_id;
  // An entry on no one record (a search, a listing) concerns records of that kind.
  const known = full === null && entry.entity === 'application' ? 'Domande' : AUDIT_ENTITIES[entry.entity];
  const table = TABLES[entry.entity]?.one;
  const kind = known ?? (table ? capitalised(table) : entry.entity);
  const id = full !== null && UUID.test(full) ? `${full.slice(0, 8)}…` : full;
  return { kind, id, full };
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The names of the details the trail records (ids, numbers and counts). */
const AUDIT_DETAILS: Record<string, string> = {
  application_code: 'domanda',
  case_number: 'pratica',
  bando: 'bando',
  bandi: 'bandi',
  comune: 'comune',
  district: 'distretto',
  recipient: 'destinatario',
  seq: 'numero',
  number: 'numero',
  records: 'record',
  rows: 'righe',
  revision: 'revisione',
  revisions: 'revisioni',
  groups: 'gruppi',
  outcome: 'esito',
  code: 'motivo',
  stage: 'graduatoria',
  confirmed_exclusions: 'esclusioni confermate',
  role: 'ruolo',
  title: 'titolo',
  fingerprint: 'impronta',
  replaced: 'sostituisce',
  from_seq: 'dal pacchetto n.',
  old: 'chiave precedente',
  created: 'nuovi',
  updated: 'aggiornati',
  retired: 'ritirati',
  person: 'per persona',
  text: 'per testo',
  failures: 'tentativi errati',
  last_failure_at: 'l\'ultimo il',
  bytes: 'byte',
  created_at: 'fatto il',
  backup_created_at: 'backup del',
};

type Json = AuditEntryView['detail'];

/** A detail's value in a few words: comuni by name, stages, outcomes and roles in Italian,
 * lists of more than three by their count. */
function detailValue(key: string, value: Json, comuneName: (istat: string) => string): string {
  if (value === true) return 'sì';
  if (Array.isArray(value)) {
    return value.length > 3 ? String(value.length) : value.map((v) => detailValue(key, v, comuneName)).join(', ');
  }
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  const text = String(value);
  if (key === 'comune' || key === 'recipient') return comuneName(text);
  if (key === 'stage' && (text === 'provisional' || text === 'definitive')) return stageLabel(text);
  if (key === 'outcome') return importOutcomeLabel(text).toLowerCase();
  if (key === 'role' && text in ROLES) return roleLabel(text as Role).toLowerCase();
  if (key.endsWith('_at')) return formatDateTime(text);
  return text;
}

/** An entry's details, compact: each `name: value`, nested objects (a listing's filter)
 * flattened, what is absent, false or empty left out. Unknown names are shown as they are. */
export function auditDetails(
  detail: Json,
  comuneName: (istat: string) => string = (istat) => istat,
): { label: string; value: string }[] {
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    return detail === null ? [] : [{ label: '', value: String(detail) }];
  }
  const out: { label: string; value: string }[] = [];
  for (const [key, value] of Object.entries(detail)) {
    if (value === null || value === undefined || value === false) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'object' && !Array.isArray(value)) {
      out.push(...auditDetails(value, comuneName));
      continue;
    }
    out.push({ label: AUDIT_DETAILS[key] ?? key, value: detailValue(key, value, comuneName) });
  }
  return out;
}
