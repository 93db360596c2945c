// Monitoraggio: half-years, the indicators' numbers as Italians read them, the half-year form as
// typed and as the app takes it, the SIUSS check report grouped by person.
import type { Form, Problem } from './bindings';
import { euroFieldText, parseEuro } from './format';

/** The plan's actions a form is about (sportello_domain::monitoring::ACTIONS). */
export const ACTIONS: readonly (readonly [string, string])[] = [
  ['5', 'Azione 5 – Accreditamento dei servizi'],
  ['6', 'Azione 6 – Monitoraggio del piano'],
  ['7', 'Azione 7 – Segretariato sociale'],
  ['21', 'Azione 21 – Servizio civico'],
];

export function actionLabel(code: string): string {
  return ACTIONS.find(([c]) => c === code)?.[1] ?? `Azione ${code}`;
}

/** The half-year of a day, `AAAA-H1` (January–June) or `AAAA-H2`, by its calendar in Italy. */
export function halfYearOf(day: Date): string {
  const [year, month] = day.toLocaleDateString('sv-SE', { timeZone: 'Europe/Rome' }).split('-').map(Number);
  return `${year}-H${(month ?? 1) <= 6 ? 1 : 2}`;
}

/** The half-year before `period` (`2026-H1` → `2025-H2`). */
export function previousHalfYear(period: string): string {
  const [year, half] = period.split('-H').map(Number);
  return half === 2 ? `${year}-H1` : `${(year ?? 0) - 1}-H2`;
}

/** `count` half-years ending with `last`, newest first. */
export function halfYearsUpTo(last: string, count: number): string[] {
  const out = [last];
  while (out.length < count) out.push(previousHalfYear(out[out.length - 1] ?? last));
  return out;
}

/** `2026-H2` → `2° semestre 2026 (luglio–dicembre)`. */
export function halfYearLabel(period: string): string {
  const [year, half] = period.split('-H');
  return half === '1' ? `1° semestre ${year} (gennaio–giugno)` : `2° semestre ${year} (luglio–dicembre)`;
}

/** `2026-H2` → `2° sem. 2026`, for the axis of a chart. */
export function halfYearShort(period: string): string {
  const [year, half] = period.split('-H');
  return `${half}° sem. ${year}`;
}

/** A decimal text of the app as a number to draw (`null` stays null). */
export function toNumber(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** A decimal text as Italians read it, at most two decimals (`1234.5` → `1.234,5`); `—` when
 * there is none. */
export function formatValue(value: string | null | undefined): string {
  const n = toNumber(value);
  if (n === null) return '—';
  const [whole = '0', fraction = ''] = Math.abs(n).toFixed(2).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const decimals = fraction.replace(/0+$/, '');
  const sign = n < 0 && (whole !== '0' || decimals !== '') ? '-' : '';
  return `${sign}${grouped}${decimals ? `,${decimals}` : ''}`;
}

/** `<= 60` → `≤ 60`, `>= 100` → `≥ 100`; the number in Italian. */
export function targetText(target: string | null | undefined): string {
  if (!target) return '—';
  const match = /^\s*(<=|>=)\s*(.+)$/.exec(target);
  if (!match) return target;
  return `${match[1] === '<=' ? '≤' : '≥'} ${formatValue(match[2])}`;
}

/** Whether the value went up, down or stayed against the half-year before. */
export function change(value: string | null, previous: string | null): 'su' | 'giù' | 'uguale' | null {
  const [v, p] = [toNumber(value), toNumber(previous)];
  if (v === null || p === null) return null;
  return v > p ? 'su' : v < p ? 'giù' : 'uguale';
}

/** Items grouped by a key, groups in the order they first appear. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.entries()];
}

// ---- The half-year form ----

/** The form as typed: amounts as the operator writes them (`12.000,00`). */
export interface FormDraft {
  period: string;
  action: string;
  manager: string;
  objectives: { objective: string; progress: string }[];
  activities: string;
  problems: string;
  correctiveSteps: string;
  allocated: string;
  committed: string;
  paid: string;
  staff: string;
}

export function emptyForm(period: string): FormDraft {
  return {
    period,
    action: '21',
    manager: '',
    objectives: [{ objective: '', progress: '' }],
    activities: '',
    problems: '',
    correctiveSteps: '',
    allocated: '',
    committed: '',
    paid: '',
    staff: '',
  };
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A stored form (its JSON, `sportello_domain::monitoring::Form`) back as typed text. */
export function draftOf(form: unknown): FormDraft {
  const f = (typeof form === 'object' && form !== null ? form : {}) as Partial<Form>;
  const budget = (f.budget ?? {}) as Partial<Form['budget']>;
  const amount = (v: unknown) => (typeof v === 'string' && v !== '' ? euroFieldText(v) : '');
  const objectives = Array.isArray(f.objectives)
    ? f.objectives.map((o) => ({ objective: text(o?.objective), progress: text(o?.progress) }))
    : [];
  return {
    period: text(f.period),
    action: text(f.action),
    manager: text(f.manager),
    objectives: objectives.length > 0 ? objectives : [{ objective: '', progress: '' }],
    activities: text(f.activities),
    problems: text(f.problems),
    correctiveSteps: text(f.corrective_steps),
    allocated: amount(budget.allocated),
    committed: amount(budget.committed),
    paid: amount(budget.paid),
    staff: text(f.staff),
  };
}

/** The amount fields of the form, by the name the app gives them. */
export const AMOUNTS = [
  ['allocated', 'Stanziato'],
  ['committed', 'Impegnato'],
  ['paid', 'Liquidato'],
] as const;

export type AmountField = (typeof AMOUNTS)[number][0];

/** The form as the app takes it, or the amounts it cannot read (each said by its field). */
export function formJson(d: FormDraft): { form: Form } | { amounts: Partial<Record<AmountField, string>> } {
  const amounts: Partial<Record<AmountField, string>> = {};
  const read: Record<string, string> = {};
  for (const [field, label] of AMOUNTS) {
    const value = parseEuro(d[field]);
    if (value === null) {
      amounts[field] =
        d[field].trim() === ''
          ? `${label}: importo obbligatorio (anche 0)`
          : `${label}: «${d[field]}» non è un importo in euro (si scrive ad esempio 12.000,00)`;
    } else {
      read[field] = value;
    }
  }
  if (Object.keys(amounts).length > 0) return { amounts };
  const optional = (v: string) => (v.trim() === '' ? null : v.trim());
  return {
    form: {
      period: d.period,
      action: d.action,
      manager: d.manager.trim(),
      objectives: d.objectives
        .map((o) => ({ objective: o.objective.trim(), progress: o.progress.trim() }))
        .filter((o) => o.objective !== '' || o.progress !== ''),
      activities: d.activities.trim(),
      problems: optional(d.problems),
      corrective_steps: optional(d.correctiveSteps),
      budget: { allocated: read.allocated ?? '0', committed: read.committed ?? '0', paid: read.paid ?? '0' },
      staff: d.staff.trim(),
    },
  };
}

// ---- SIUSS ----

/** The problems of a refused flow, by person (`Cognome Nome (CF)`), people in the order met. */
export function problemsByPerson(problems: readonly Problem[]): [string, Problem[]][] {
  return groupBy(problems, (p) => p.record);
}

/** `path` with its extension replaced by `ext` (added when it has none). */
export function withExtension(path: string, ext: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const dot = path.lastIndexOf('.');
  return `${dot > slash ? path.slice(0, dot) : path}.${ext}`;
}
