// Servizio civico in the window: how states and steps read, and the month grid of attendance.
// What may happen next and every rule stay in the app (`next_steps`, the checks on saving).
import type { CallEventKind, CallState, CalledBy } from './bindings';

const STATES: Record<CallState, string> = {
  DA_CHIAMARE: 'Da chiamare',
  CHIAMATO: 'Chiamato',
  ACCETTATO: 'Ha accettato',
  RINUNCIATARIO: 'Ha rinunciato',
  DECADUTO: 'Decaduto',
  IN_SERVIZIO: 'In servizio',
  CESSATO: 'Cessato',
  CONCLUSO: 'Concluso',
};

export function callStateLabel(state: CallState): string {
  return STATES[state];
}

/** The badge's class: waiting, under way, ended well, or a place freed. */
export function callStateTone(state: CallState): 'pending' | 'ammesso' | 'idoneo_non_ammesso' | 'withdrawn' {
  switch (state) {
    case 'DA_CHIAMARE':
    case 'CHIAMATO':
      return 'pending';
    case 'ACCETTATO':
    case 'IN_SERVIZIO':
      return 'idoneo_non_ammesso';
    case 'CONCLUSO':
      return 'ammesso';
    default:
      return 'withdrawn';
  }
}

export function calledByLabel(by: CalledBy): string {
  return by === 'scorrimento' ? 'Scorrimento' : 'Graduatoria';
}

interface Step {
  /** The button. */
  action: string;
  /** What the step records, in the history and in messages. */
  done: string;
  /** The note's field, when the step has one; `required` when it may not be empty. */
  note?: { label: string; required: boolean };
}

const STEPS: Record<CallEventKind, Step> = {
  called: { action: 'Chiama', done: 'chiamata', note: { label: 'Come (telefono, lettera, PEC…)', required: false } },
  accepted: { action: 'Accetta', done: 'accettazione' },
  renounced: { action: 'Rinuncia', done: 'rinuncia', note: { label: 'Nota (facoltativa)', required: false } },
  lapsed: { action: 'Decaduto', done: 'decadenza' },
  ended: { action: 'Cessazione anticipata', done: 'cessazione', note: { label: 'Motivo della cessazione', required: true } },
  completed: { action: 'Conclusione', done: 'conclusione' },
};

export function step(kind: CallEventKind): Step {
  return STEPS[kind];
}

/** `aaaa-mm` of a day `aaaa-mm-gg`. */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

const MONTH_NAMES = [
  'gennaio',
  'febbraio',
  'marzo',
  'aprile',
  'maggio',
  'giugno',
  'luglio',
  'agosto',
  'settembre',
  'ottobre',
  'novembre',
  'dicembre',
];

/** `2026-06` → `giugno 2026`. */
export function monthLabel(month: string): string {
  const [year, m] = month.split('-');
  return `${MONTH_NAMES[Number(m) - 1] ?? m} ${year}`;
}

/** The months from the one of `start` to the one of `end` (days `aaaa-mm-gg`), as `aaaa-mm`. */
export function monthsBetween(start: string, end: string): string[] {
  const months: string[] = [];
  let [year, month] = monthOf(start).split('-').map(Number) as [number, number];
  const last = monthOf(end);
  for (let guard = 0; guard < 120; guard += 1) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    if (current > last) break;
    months.push(current);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/** A cell of the month's grid: a day (`aaaa-mm-gg`) or an empty place before the first. */
export type GridCell = { day: string; date: number; weekday: number } | null;

/** The weeks of `month` (`aaaa-mm`), Monday first, as rows of seven cells. */
export function monthGrid(month: string): GridCell[][] {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(year, m, 0)).getUTCDate();
  // getUTCDay: Sunday 0 … Saturday 6; the grid starts on Monday.
  const lead = (new Date(Date.UTC(year, m - 1, 1)).getUTCDay() + 6) % 7;
  const cells: GridCell[] = Array.from({ length: lead }, () => null);
  for (let date = 1; date <= days; date += 1) {
    cells.push({ day: `${month}-${String(date).padStart(2, '0')}`, date, weekday: (lead + date - 1) % 7 });
  }
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: GridCell[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** Hours as typed (`3,5`, `3.5`, empty for none) as a number; `null` if not a number. */
export function readHours(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (t === '') return 0;
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

/** Hours as the window shows them: `3,5`, `4`. */
export function hoursText(hours: string | number): string {
  return String(hours).replace('.', ',');
}

/** Where the keyboard goes from the day at `index` (0-based, within the month's days) on
 * `key`: a day before or after, or a week up or down; `null` for any other key or past the
 * month's edges. */
export function gridMove(index: number, key: string, days: number): number | null {
  const delta: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
  const by = delta[key];
  if (by === undefined) return null;
  const next = index + by;
  return next >= 0 && next < days ? next : null;
}
