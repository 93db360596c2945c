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
 * `1234.5` → `€ 1.234,50`, rounded half away from zero to the cent. Accepts a decimal string or
 * a number; anything else is returned as it is.
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
  return `${sign && !isZero ? '-' : ''}€ ${groupThousands(euros)},${cents.slice(-2)}`;
}

/**
 * What an operator typed as an amount (`1.234,56`, `1234,5`, `€ 1.234`, `1234`) → decimal
 * string `1234.56`; `null` when it is not a non-negative amount with at most two decimals. A dot
 * is always a thousands separator, as in Italian writing, so `1.234` is one thousand two hundred
 * thirty-four euro and `1234.56` is refused rather than guessed.
 */
export function parseEuro(input: string): string | null {
  const text = input.trim().replace(/^€\s*/, '').replace(/\s*€$/, '');
  const match = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$/.exec(text);
  if (!match) return null;
  const [, whole = '', fraction] = match;
  const digits = whole.replaceAll('.', '').replace(/^0+(?=\d)/, '');
  return fraction === undefined ? digits : `${digits}.${fraction.padEnd(2, '0')}`;
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
  return formatEuro(amount).replace(/^(-?)€ /, '$1');
}
