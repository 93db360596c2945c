// Italian words for what the commands return as codes: outcomes, ranking stages, import
// results, score factors.
import type {
  ApplySummary,
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
