// Italian words for what the commands return as codes: outcomes, ranking stages, import
// results, score factors.
import type { ApplySummary, Breakdown, ImportReport, Outcome, Stage, TableCounts } from './api';

export const OUTCOMES: readonly { value: Outcome; label: string }[] = [
  { value: 'AMMESSO', label: 'Ammesso' },
  { value: 'IDONEO_NON_AMMESSO', label: 'Idoneo non ammesso' },
  { value: 'ESCLUSO', label: 'Escluso' },
];

export function outcomeLabel(outcome: Outcome | null): string {
  return OUTCOMES.find((o) => o.value === outcome)?.label ?? 'Non ancora in graduatoria';
}

export function stageLabel(stage: Stage): string {
  return stage === 'provisional' ? 'provvisoria' : 'definitiva';
}

/** Each synchronised table: its Italian name, singular and plural, and grammatical gender. */
const TABLES: Record<string, { one: string; many: string; feminine: boolean }> = {
  applications: { one: 'domanda', many: 'domande', feminine: true },
  persons: { one: 'persona', many: 'persone', feminine: true },
  households: { one: 'nucleo familiare', many: 'nuclei familiari', feminine: false },
  household_members: { one: 'componente', many: 'componenti', feminine: false },
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

export const FACTORS: readonly { key: keyof Breakdown; label: string }[] = [
  { key: 'isee', label: 'ISEE' },
  { key: 'household_size', label: 'Nucleo familiare' },
  { key: 'dependent_minors', label: 'Minori a carico' },
  { key: 'disability', label: 'Disabilità' },
  { key: 'single_parent', label: 'Genitore solo' },
  { key: 'unemployment', label: 'Disoccupazione' },
  { key: 'housing', label: 'Abitazione' },
  { key: 'older_applicant', label: 'Età 50 anni o più' },
  { key: 'previous_participation', label: 'Partecipazione precedente' },
];

/** The factors that gave or took points, in the regulation's order. */
export function breakdownParts(b: Breakdown): { label: string; points: number }[] {
  return FACTORS.filter((f) => b[f.key] !== 0).map((f) => ({ label: f.label, points: b[f.key] }));
}
