import { describe, expect, it } from 'vitest';
import {
  actionLabel,
  change,
  draftOf,
  emptyForm,
  formJson,
  formatValue,
  groupBy,
  halfYearLabel,
  halfYearOf,
  halfYearsUpTo,
  previousHalfYear,
  problemsByPerson,
  targetText,
  withExtension,
} from './monitoring';

describe('half-years', () => {
  it('end on 30 June and 31 December, Italian time', () => {
    expect(halfYearOf(new Date('2026-06-30T21:59:00Z'))).toBe('2026-H1');
    // 00:00 on 1 July in Rome is still 30 June in UTC.
    expect(halfYearOf(new Date('2026-06-30T22:00:00Z'))).toBe('2026-H2');
    expect(halfYearOf(new Date('2026-12-31T22:59:00Z'))).toBe('2026-H2');
    expect(halfYearOf(new Date('2026-12-31T23:00:00Z'))).toBe('2027-H1');
  });

  it('go back across the year', () => {
    expect(previousHalfYear('2026-H1')).toBe('2025-H2');
    expect(previousHalfYear('2026-H2')).toBe('2026-H1');
    expect(halfYearsUpTo('2026-H2', 4)).toEqual(['2026-H2', '2026-H1', '2025-H2', '2025-H1']);
  });

  it('are named in Italian', () => {
    expect(halfYearLabel('2026-H1')).toBe('1° semestre 2026 (gennaio–giugno)');
    expect(halfYearLabel('2026-H2')).toBe('2° semestre 2026 (luglio–dicembre)');
  });
});

describe('numbers', () => {
  it('read as Italians read them, at most two decimals', () => {
    expect(formatValue('1234.5')).toBe('1.234,5');
    expect(formatValue('66.666666')).toBe('66,67');
    expect(formatValue('0')).toBe('0');
    expect(formatValue('1000000')).toBe('1.000.000');
    expect(formatValue('-2.5')).toBe('-2,5');
    expect(formatValue(null)).toBe('—');
  });

  it('targets with their sign', () => {
    expect(targetText('<= 60')).toBe('≤ 60');
    expect(targetText('>= 100')).toBe('≥ 100');
    expect(targetText(null)).toBe('—');
  });

  it('say which way the value moved', () => {
    expect(change('5', '3')).toBe('su');
    expect(change('2', '3')).toBe('giù');
    expect(change('3', '3.0')).toBe('uguale');
    expect(change(null, '3')).toBeNull();
  });

  it('group in the order first met', () => {
    expect(groupBy(['b1', 'a1', 'b2'], (s) => s[0] ?? '')).toEqual([
      ['b', ['b1', 'b2']],
      ['a', ['a1']],
    ]);
  });
});

describe('the half-year form', () => {
  it('reads Italian amounts and leaves out empty rows', () => {
    const d = emptyForm('2026-H2');
    d.manager = ' Dott.ssa Russo ';
    d.objectives = [
      { objective: 'Avvii entro 60 giorni', progress: '4 su 6' },
      { objective: '', progress: '' },
    ];
    d.activities = 'Chiamate';
    d.allocated = '30.000,00';
    d.committed = '€ 12.000,00';
    d.paid = '8000,5';
    d.staff = '1 assistente sociale';
    const out = formJson(d);
    expect(out).toEqual({
      form: {
        period: '2026-H2',
        action: '21',
        manager: 'Dott.ssa Russo',
        objectives: [{ objective: 'Avvii entro 60 giorni', progress: '4 su 6' }],
        activities: 'Chiamate',
        problems: null,
        corrective_steps: null,
        budget: { allocated: '30000.00', committed: '12000.00', paid: '8000.50' },
        staff: '1 assistente sociale',
      },
    });
  });

  it('names each amount it cannot read', () => {
    const d = emptyForm('2026-H2');
    d.allocated = '12.500';
    d.committed = '100';
    const out = formJson(d);
    expect('amounts' in out && Object.keys(out.amounts).sort()).toEqual(['allocated', 'paid']);
    expect('amounts' in out && out.amounts.paid).toContain('obbligatorio');
  });

  it('comes back from the stored JSON as typed', () => {
    const d = draftOf({
      period: '2026-H1',
      action: '7',
      manager: 'Rossi',
      objectives: [{ objective: 'A', progress: 'B' }],
      activities: 'X',
      problems: null,
      corrective_steps: 'Y',
      budget: { allocated: '30000.00', committed: '12000', paid: '0' },
      staff: 'Z',
    });
    expect(d.allocated).toBe('30.000,00');
    expect(d.paid).toBe('0,00');
    expect(d.problems).toBe('');
    expect(d.correctiveSteps).toBe('Y');
    expect(actionLabel(d.action)).toBe('Azione 7 – Segretariato sociale');
  });
});

describe('SIUSS', () => {
  it('groups the problems by person', () => {
    const p = (record: string, field: string) => ({ record, field, code: 'siuss_invalid', message: 'm' });
    const grouped = problemsByPerson([p('Rossi Maria (X)', 'Cognome'), p('Bianchi Luca (Y)', 'DataDSU'), p('Rossi Maria (X)', 'Nome')]);
    expect(grouped.map(([who, list]) => [who, list.map((x) => x.field)])).toEqual([
      ['Rossi Maria (X)', ['Cognome', 'Nome']],
      ['Bianchi Luca (Y)', ['DataDSU']],
    ]);
  });

  it('changes a file name to the format chosen', () => {
    expect(withExtension('/home/a/siuss.xml', 'csv')).toBe('/home/a/siuss.csv');
    expect(withExtension('/home/a.b/siuss', 'xml')).toBe('/home/a.b/siuss.xml');
    expect(withExtension('C:\\Doc\\tabella.csv', 'xlsx')).toBe('C:\\Doc\\tabella.xlsx');
  });
});
