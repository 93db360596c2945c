// Italian display and input of dates and euro amounts. Commands exchange dates as ISO
// `aaaa-mm-gg` strings and amounts as decimal strings (`1234.56`, as rust_decimal serialises
// them), so no amount ever passes through a binary float here.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ITALIAN_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
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

/**
 * What an operator typed as `gg/mm/aaaa` (also `7/3/2025`, `07.03.2025`, `07-03-2025`) → ISO
 * `2025-03-07`; `null` when it is not a real calendar date.
 */
export function parseDate(input: string): string | null {
  const match = ITALIAN_DATE.exec(input.trim());
  if (!match) return null;
  const [, day = '', month = '', year = ''] = match;
  if (!isCalendarDate(Number(year), Number(month), Number(day))) return null;
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
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
