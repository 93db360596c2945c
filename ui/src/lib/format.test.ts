import { describe, expect, it } from 'vitest';
import euroAmounts from '../../../fixtures/euro-amounts.json';
import {
  formatCount,
  dateProblem,
  euroFieldText,
  formatDate,
  formatDateTime,
  formatEuro,
  parseDate,
  parseEuro,
  readDate,
  readEuro,
} from './format';
import type { EuroRefusal } from './format';

type EuroCase = { input: string; value: string } | { input: string; refused: EuroRefusal };
type FormattedCase = { value: string; text: string };

describe('formatDate', () => {
  it('shows an ISO date as gg/mm/aaaa', () => {
    expect(formatDate('2025-03-07')).toBe('07/03/2025');
    expect(formatDate('1948-12-31')).toBe('31/12/1948');
  });

  it('returns anything else unchanged', () => {
    expect(formatDate('')).toBe('');
    expect(formatDate('07/03/2025')).toBe('07/03/2025');
    expect(formatDate('2025-03-07T10:00:00Z')).toBe('2025-03-07T10:00:00Z');
  });
});

describe('parseDate', () => {
  // A fixed «today»: 1 December 2026.
  const today = new Date(2026, 11, 1);

  it('reads gg/mm/aaaa and its common variants', () => {
    expect(parseDate('07/03/2025')).toBe('2025-03-07');
    expect(parseDate(' 7/3/2025 ')).toBe('2025-03-07');
    expect(parseDate('1/6/2025')).toBe('2025-06-01');
    expect(parseDate('07.03.2025')).toBe('2025-03-07');
    expect(parseDate('07-03-2025')).toBe('2025-03-07');
    expect(parseDate('01062025')).toBe('2025-06-01');
  });

  it('reads a two-digit year as a birth: never in the future', () => {
    expect(parseDate('12/05/85', 'birth', today)).toBe('1985-05-12');
    expect(parseDate('120585', 'birth', today)).toBe('1985-05-12');
    expect(parseDate('01/12/26', 'birth', today)).toBe('2026-12-01');
    expect(parseDate('02/12/26', 'birth', today)).toBe('1926-12-02');
    expect(parseDate('01/01/27', 'birth', today)).toBe('1927-01-01');
    expect(parseDate('31/12/00', 'birth', today)).toBe('2000-12-31');
  });

  it('reads a two-digit year of a recent date as the nearest one', () => {
    expect(parseDate('1/6/25', 'recent', today)).toBe('2025-06-01');
    expect(parseDate('01.12.27', 'recent', today)).toBe('2027-12-01');
    expect(parseDate('01/01/75', 'recent', today)).toBe('2075-01-01');
    expect(parseDate('01/01/76', 'recent', today)).toBe('1976-01-01');
  });

  it('knows leap years', () => {
    expect(parseDate('29/02/2024')).toBe('2024-02-29');
    expect(parseDate('29022024')).toBe('2024-02-29');
    expect(parseDate('29/02/2025')).toBeNull();
    expect(parseDate('29/02/1900')).toBeNull();
    expect(parseDate('29/02/2000')).toBe('2000-02-29');
    expect(parseDate('29/02/00', 'birth', today)).toBe('2000-02-29');
    expect(parseDate('29/02/25', 'recent', today)).toBeNull();
  });

  it('refuses dates that do not exist or are not dates', () => {
    const inputs = ['31/04/2025', '31042025', '00/01/2025', '01/13/2025', '2025-03-07', '07/03-2025', '0732025', 'ieri', ''];
    for (const input of inputs) {
      expect(parseDate(input), input).toBeNull();
    }
  });

  it('says why, in one message', () => {
    expect(readDate('31/04/2025')).toEqual({ refused: 'no_such_day' });
    expect(readDate('ieri')).toEqual({ refused: 'unreadable' });
    expect(dateProblem('31/04/2025')).toBe('«31/04/2025» non è un giorno del calendario: controllare giorno e mese');
    expect(dateProblem('1-6', 'birth')).toBe(
      'data non leggibile «1-6»: scriverla come gg/mm/aaaa, ad esempio 15/08/1992 (anche 15081992 o 15/08/92)',
    );
    expect(dateProblem(' 01062025 ')).toBeNull();
    expect(dateProblem('  ')).toBeNull();
  });
});

describe('formatCount', () => {
  it('groups the thousands as the euro amounts do', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(8334)).toBe('8.334');
    expect(formatCount(15000)).toBe('15.000');
    expect(formatCount(1234567)).toBe('1.234.567');
  });
});

describe('formatEuro', () => {
  // The app's cases (crates/domain/src/money.rs reads the same file): the window writes every
  // amount as the app and the printed documents do.
  for (const c of euroAmounts.formatted as FormattedCase[]) {
    it(`writes ${c.value} as the app does`, () => {
      expect(formatEuro(c.value)).toBe(c.text);
    });
  }

  it('writes € 1.234,56 with dot thousands and comma decimals', () => {
    expect(formatEuro('1234.56')).toBe('€ 1.234,56');
    expect(formatEuro('1234567.8')).toBe('€ 1.234.567,80');
    expect(formatEuro('999')).toBe('€ 999,00');
    expect(formatEuro('0.5')).toBe('€ 0,50');
    expect(formatEuro(12000)).toBe('€ 12.000,00');
  });

  it('rounds half away from zero to the cent, carrying across digits', () => {
    expect(formatEuro('1.005')).toBe('€ 1,01');
    expect(formatEuro('1.004')).toBe('€ 1,00');
    expect(formatEuro('999.995')).toBe('€ 1.000,00');
    expect(formatEuro('-2.345')).toBe('€ -2,35');
  });

  it('never writes a negative zero', () => {
    expect(formatEuro('-0.001')).toBe('€ 0,00');
    expect(formatEuro('0')).toBe('€ 0,00');
  });

  it('returns what is not a decimal amount unchanged', () => {
    expect(formatEuro('abc')).toBe('abc');
    expect(formatEuro('1,5')).toBe('1,5');
    expect(formatEuro(Number.NaN)).toBe('NaN');
  });
});

describe('parseEuro', () => {
  // The app's cases (crates/domain/src/isee.rs reads the same file): the window and the app
  // read every amount alike.
  for (const c of euroAmounts.cases as EuroCase[]) {
    it(`reads ${JSON.stringify(c.input)} as the app does`, () => {
      if ('value' in c) {
        expect(parseEuro(c.input)).toBe(c.value);
        expect(readEuro(c.input)).toEqual({ value: c.value });
      } else {
        expect(parseEuro(c.input)).toBeNull();
        expect(readEuro(c.input)).toEqual({ refused: c.refused });
      }
    });
  }

  it('reads Italian amounts into decimal strings with two decimals', () => {
    expect(parseEuro('1.234,56')).toBe('1234.56');
    expect(parseEuro('1234,5')).toBe('1234.50');
    expect(parseEuro('3500.5')).toBe('3500.50');
    expect(parseEuro(' 7500 ')).toBe('7500.00');
  });

  it('round-trips with formatEuro', () => {
    expect(formatEuro(parseEuro('9.876,54') ?? '')).toBe('€ 9.876,54');
    expect(parseEuro(formatEuro('1234567.8'))).toBe('1234567.80');
  });

  it('refuses a dot followed by three digits: thousands or decimals?', () => {
    expect(readEuro('12.500')).toEqual({ refused: 'ambiguous' });
    expect(readEuro('€ 12.000')).toEqual({ refused: 'ambiguous' });
    expect(parseEuro('12.500,00')).toBe('12500.00');
  });
});

describe('formatDateTime', () => {
  it('shows a moment in Italian time, whatever offset it was written with', () => {
    expect(formatDateTime('2026-03-02T10:15:00+01:00')).toBe('02/03/2026 10:15');
    expect(formatDateTime('2026-03-02T09:15:00Z')).toBe('02/03/2026 10:15');
    // Summer time: UTC+2.
    expect(formatDateTime('2026-07-01T22:30:00Z')).toBe('02/07/2026 00:30');
  });

  it('returns anything else unchanged', () => {
    expect(formatDateTime('2026-03-02')).toBe('2026-03-02');
    expect(formatDateTime('ieri')).toBe('ieri');
    expect(formatDateTime('2026-13-45T99:00:00Z')).toBe('2026-13-45T99:00:00Z');
  });
});

describe('euroFieldText', () => {
  it('writes the amount without the euro sign, Italian style', () => {
    expect(euroFieldText('3500.5')).toBe('3.500,50');
    expect(euroFieldText('0')).toBe('0,00');
    expect(euroFieldText('-12.5')).toBe('-12,50');
  });
});
