import { describe, expect, it } from 'vitest';
import euroAmounts from '../../../fixtures/euro-amounts.json';
import { euroFieldText, formatDate, formatDateTime, formatEuro, parseDate, parseEuro, readEuro } from './format';
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
  it('reads gg/mm/aaaa and its common variants', () => {
    expect(parseDate('07/03/2025')).toBe('2025-03-07');
    expect(parseDate(' 7/3/2025 ')).toBe('2025-03-07');
    expect(parseDate('07.03.2025')).toBe('2025-03-07');
    expect(parseDate('07-03-2025')).toBe('2025-03-07');
  });

  it('knows leap years', () => {
    expect(parseDate('29/02/2024')).toBe('2024-02-29');
    expect(parseDate('29/02/2025')).toBeNull();
    expect(parseDate('29/02/1900')).toBeNull();
    expect(parseDate('29/02/2000')).toBe('2000-02-29');
  });

  it('refuses dates that do not exist or are not dates', () => {
    for (const input of ['31/04/2025', '00/01/2025', '01/13/2025', '2025-03-07', '7/3/25', 'ieri', '']) {
      expect(parseDate(input), input).toBeNull();
    }
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
