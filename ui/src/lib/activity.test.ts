import { describe, expect, it } from 'vitest';
import type { AuditEntryView } from './api';
import { MAX_SHOWN, auditQuery, chainIntactText, entriesCount, newestFirst, operatorsSeen } from './activity';

function entry(seq: number, operator = 'demo'): AuditEntryView {
  return {
    seq,
    at: '2026-03-02T10:15:00+01:00',
    italian_time: '02/03/2026 10:15:00',
    operator,
    action: 'application_create',
    entity: 'application',
    entity_id: null,
    detail: {},
    prev_hash: '0'.repeat(64),
    hash: 'f'.repeat(64),
  };
}

describe('auditQuery', () => {
  it('asks for no limit where a field is empty, and for the newest entries only', () => {
    const everything = { from: null, to: null, operator: null, newest: MAX_SHOWN + 1 };
    expect(auditQuery('', '', '')).toEqual({ query: everything });
    expect(auditQuery('  ', '', ' ')).toEqual({ query: everything });
  });

  it('sends the days typed in Italian as ISO dates, and the username without spaces', () => {
    expect(auditQuery('01/03/2026', ' 7.3.2026 ', ' m.rossi ')).toEqual({
      query: { from: '2026-03-01', to: '2026-03-07', operator: 'm.rossi', newest: MAX_SHOWN + 1 },
    });
  });

  it('refuses a day that is not a calendar date, naming the field and what was typed', () => {
    expect(auditQuery('31/02/2026', '', '')).toEqual({
      errors: { from: 'data non valida «31/02/2026»: scriverla come gg/mm/aaaa, ad esempio 01/03/2026' },
    });
    const both = auditQuery('ieri', '2026-03-01', 'demo');
    expect(Object.keys('errors' in both ? both.errors : {})).toEqual(['from', 'to']);
  });
});

describe('newestFirst', () => {
  it('puts the latest entry first without changing the list it was given', () => {
    const list = [entry(1), entry(2), entry(3)];
    expect(newestFirst(list).map((e) => e.seq)).toEqual([3, 2, 1]);
    expect(list.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('keeps only the newest when there are too many', () => {
    const list = Array.from({ length: MAX_SHOWN + 2 }, (_, i) => entry(i + 1));
    const shown = newestFirst(list);
    expect(shown).toHaveLength(MAX_SHOWN);
    expect(shown[0]?.seq).toBe(MAX_SHOWN + 2);
    expect(newestFirst(list, 2).map((e) => e.seq)).toEqual([MAX_SHOWN + 2, MAX_SHOWN + 1]);
  });
});

describe('operatorsSeen', () => {
  it('lists each username once, sorted, keeping the ones seen before', () => {
    expect(operatorsSeen([entry(1, 'sportello'), entry(2, 'demo'), entry(3, 'sportello')])).toEqual([
      'demo',
      'sportello',
    ]);
    expect(operatorsSeen([entry(4, 'demo')], ['sportello', 'demo'])).toEqual(['demo', 'sportello']);
  });
});

describe('counts', () => {
  it('says how many entries, one or many', () => {
    expect(entriesCount(0, 0)).toBe('0 voci');
    expect(entriesCount(1, 1)).toBe('1 voce');
    expect(entriesCount(12, 12)).toBe('12 voci');
    expect(entriesCount(270110, 270110)).toBe('270.110 voci');
  });

  it('says when only the newest are shown', () => {
    expect(entriesCount(501, 500)).toBe('500 voci più recenti: restringere le date per vedere le altre');
    expect(entriesCount(2, 1)).toBe('1 voce più recente: restringere le date per vedere le altre');
  });

  it('says the chain is intact with its number of entries', () => {
    expect(chainIntactText(1)).toBe('Catena integra: 1 voce');
    expect(chainIntactText(42)).toBe('Catena integra: 42 voci');
  });
});
