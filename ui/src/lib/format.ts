// Italian display and input of dates and euro amounts. Commands exchange dates as ISO
// `aaaa-mm-gg` strings and amounts as decimal strings (`1234.56`, as rust_decimal serialises
// them), so no amount ever passes through a binary float here.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** `2025-03-07` → `07/03/2025`. Anything that is not an ISO date is returned as it is. */
export function formatDate(iso: string): string {
  const match = ISO_DATE.exec(iso);
  if (!match) return iso;
  const [, year, month, day] = match;
  return `${day}/${month}/${year}`;
}

/** What kind of date a field holds: it decides the century of a two-digit year. */
export type DateKind = 'birth' | 'recent';

/** Why a typed date is refused: it cannot be read, or it reads as a day that does not exist. */
export type DateReading = { iso: string } | { refused: 'unreadable' | 'no_such_day' };

/** Day, month and year with a separator (`/`, `.`, `-`, the same twice) or all run together. */
const SEPARATED_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$/;
const COMPACT_DATE = /^(\d{2})(\d{2})(\d{4}|\d{2})$/;

/**
 * The century of a two-digit year, by plausibility (`today` is the operator's day):
 * - `birth`: the latest year that does not put the birth in the future, so `12/05/85` is 1985
 *   and, in 2026, `01/01/26` is 2026 but `01/01/27` is 1927 (never more than 100 years ago,
 *   well inside the 110 a birth date may go back);
 * - `recent` (a DSU, the start of unemployment, a filter): the year nearest to today, so
 *   `01/06/25` is 2025 and, in 2026, `01/01/75` is 2075 but `01/01/76` is 1976 (fifty years
 *   either way: the earlier).
 */
function fullYear(twoDigits: number, month: number, day: number, kind: DateKind, today: Date): number {
  const thisYear = today.getFullYear();
  const century = Math.floor(thisYear / 100) * 100;
  if (kind === 'birth') {
    const candidate = century + twoDigits;
    const todayKey = thisYear * 10000 + (today.getMonth() + 1) * 100 + today.getDate();
    return candidate * 10000 + month * 100 + day > todayKey ? candidate - 100 : candidate;
  }
  const candidates = [century - 100, century, century + 100].map((c) => c + twoDigits);
  return candidates.reduce((best, y) => (Math.abs(y - thisYear) < Math.abs(best - thisYear) ? y : best));
}

/**
 * What an operator typed as a date → ISO `2025-03-07`. Read: `07/03/2025`, `7/3/2025`,
 * `07.03.2025`, `07-03-2025`, `07032025`, and the same with a two-digit year (`07/03/25`,
 * `070325`: its century by `kind`, see `fullYear`). Blanks around are ignored.
 */
export function readDate(input: string, kind: DateKind = 'recent', today: Date = new Date()): DateReading {
  const text = input.trim();
  let day: string, month: string, year: string;
  const separated = SEPARATED_DATE.exec(text);
  const compact = separated ? null : COMPACT_DATE.exec(text);
  if (separated) [, day = '', , month = '', year = ''] = separated;
  else if (compact) [, day = '', month = '', year = ''] = compact;
  else return { refused: 'unreadable' };
  const d = Number(day);
  const m = Number(month);
  const y = year.length === 2 ? fullYear(Number(year), m, d, kind, today) : Number(year);
  if (!isCalendarDate(y, m, d)) return { refused: 'no_such_day' };
  return { iso: `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
}

/** `readDate`'s ISO date, or `null` when it refuses what was typed. */
export function parseDate(input: string, kind: DateKind = 'recent', today: Date = new Date()): string | null {
  const reading = readDate(input, kind, today);
  return 'iso' in reading ? reading.iso : null;
}

/**
 * The one message for a date that `readDate` refuses, in Italian; `null` when it reads (or is
 * empty: whether a date is required is the app's to say).
 */
export function dateProblem(input: string, kind: DateKind = 'recent', today: Date = new Date()): string | null {
  const text = input.trim();
  if (text === '') return null;
  const reading = readDate(text, kind, today);
  if ('iso' in reading) return null;
  const example = kind === 'birth' ? '15/08/1992 (anche 15081992 o 15/08/92)' : '01/06/2025 (anche 01062025 o 1/6/25)';
  return reading.refused === 'no_such_day'
    ? `«${text}» non è un giorno del calendario: controllare giorno e mese`
    : `data non leggibile «${text}»: scriverla come gg/mm/aaaa, ad esempio ${example}`;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** `15000` → `15.000`: a count with its thousands grouped as the euro amounts are. */
export function formatCount(n: number): string {
  return groupThousands(String(n));
}

/** Adds one unit to a string of decimal digits: `"0999"` → `"1000"`. */
function incrementDigits(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
    out[i] = '0';
  }
  return `1${out.join('')}`;
}

/**
 * `1234.5` → `€ 1.234,50`, rounded half away from zero to the cent; a negative amount keeps its
 * sign after the euro sign (`€ -12,50`), one that rounds to zero is `€ 0,00`. The same text as the
 * app and the printed documents (crates/domain/src/money.rs, `euro`; the shared cases are the
 * `formatted` list of fixtures/euro-amounts.json). Accepts a decimal string or a number; anything
 * else is returned as it is.
 */
export function formatEuro(amount: string | number): string {
  const text = typeof amount === 'number' ? String(amount) : amount.trim();
  const match = DECIMAL.exec(text);
  if (!match) return String(amount);
  const [, sign = '', whole = '', fraction = ''] = match;
  let cents = `${whole}${fraction.padEnd(2, '0').slice(0, 2)}`;
  if ((fraction[2] ?? '0') >= '5') cents = incrementDigits(cents);
  cents = cents.replace(/^0+(?=\d{3})/, '').padStart(3, '0');
  const euros = cents.slice(0, -2);
  const isZero = /^0+$/.test(cents);
  return `€ ${sign && !isZero ? '-' : ''}${groupThousands(euros)},${cents.slice(-2)}`;
}

/** Why a typed amount is refused: the same words as the app's `IseeError::reason`. */
export type EuroRefusal = 'empty' | 'malformed' | 'ambiguous' | 'negative' | 'too_many_decimals' | 'too_large';

export type EuroReading = { value: string } | { refused: EuroRefusal };

/** Blanks around an amount: spaces, tabs and the no-break spaces spreadsheets write. */
const BLANKS = /^[ \t\u00a0\u202f]+|[ \t\u00a0\u202f]+$/g;
const DIGITS = /^[0-9]+$/;
/** The most an ISEE can read: twelve digits of euros. */
const MAX_EURO_DIGITS = 12;

/** `1.234.567` → `1234567`; `null` unless 1-3 digits (not starting with 0), then groups of three. */
function ungroup(text: string): string | null {
  const [first = '', ...rest] = text.split('.');
  if (rest.length === 0) return first;
  const firstOk = DIGITS.test(first) && first.length <= 3 && !first.startsWith('0');
  const restOk = rest.every((g) => g.length === 3 && DIGITS.test(g));
  return firstOk && restOk ? first + rest.join('') : null;
}

/**
 * Reads an amount exactly as the app does (crates/domain/src/isee.rs, `FromStr for Isee`; the
 * shared cases are in fixtures/euro-amounts.json): `3500`, `3500.00`, `3500,5`, `3.500,00`,
 * `€ 3.500,00`, `3.500,00 €`. A comma is the decimal separator and dots before it group
 * thousands; without a comma one dot and one or two digits is a decimal point, several dots group
 * thousands, and one dot with exactly three digits (`12.500`: thousands or decimals?) is refused.
 * At most two decimals, at most twelve digits of euros, never negative.
 */
export function readEuro(input: string): EuroReading {
  const shown = input.replace(BLANKS, '');
  let text = shown;
  if (text.startsWith('€')) text = text.slice(1);
  else if (text.endsWith('€')) text = text.slice(0, -1);
  text = text.replace(BLANKS, '');
  if (text === '') return { refused: 'empty' };
  const negative = text.startsWith('-');
  if (negative) text = text.slice(1);
  let integer: string | null;
  let fraction: string | undefined;
  const comma = text.indexOf(',');
  const dot = text.indexOf('.');
  if (comma >= 0) {
    integer = ungroup(text.slice(0, comma));
    fraction = text.slice(comma + 1);
  } else if (dot >= 0 && !text.slice(dot + 1).includes('.')) {
    integer = text.slice(0, dot);
    fraction = text.slice(dot + 1);
    if (fraction.length === 3 && DIGITS.test(integer) && DIGITS.test(fraction)) return { refused: 'ambiguous' };
  } else if (dot >= 0) {
    integer = ungroup(text);
  } else {
    integer = text;
  }
  if (integer === null || !DIGITS.test(integer) || (fraction !== undefined && !DIGITS.test(fraction))) {
    return { refused: 'malformed' };
  }
  if (fraction !== undefined && fraction.length > 2) return { refused: 'too_many_decimals' };
  const euros = integer.replace(/^0+/, '');
  if (euros.length > MAX_EURO_DIGITS) return { refused: 'too_large' };
  const cents = (fraction ?? '').padEnd(2, '0');
  const isZero = euros === '' && cents === '00';
  if (negative && !isZero) return { refused: 'negative' };
  return { value: `${euros === '' ? '0' : euros}.${cents}` };
}

/**
 * What an operator typed as an amount → its decimal string with two decimals (`1.234,5` →
 * `1234.50`), the form the app writes; `null` when the app would refuse it (see `readEuro`).
 */
export function parseEuro(input: string): string | null {
  const reading = readEuro(input);
  return 'value' in reading ? reading.value : null;
}

const ROME = new Intl.DateTimeFormat('it-IT', {
  timeZone: 'Europe/Rome',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * An RFC 3339 moment (`2026-03-02T10:15:00+01:00`) as Italians read it, in Italian time:
 * `02/03/2026 10:15`. Anything else is returned as it is.
 */
export function formatDateTime(moment: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(moment)) return moment;
  const time = new Date(moment);
  if (Number.isNaN(time.getTime())) return moment;
  const parts = Object.fromEntries(ROME.formatToParts(time).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

/** A decimal amount as the ISEE field shows it once typed: `3500.5` → `3.500,50`. */
export function euroFieldText(amount: string): string {
  return formatEuro(amount).replace(/^€ /, '');
}
