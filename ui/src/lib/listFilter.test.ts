import { describe, expect, it } from 'vitest';
import type { ApplicationView, Outcome } from './api';
import { byOutcome, sortForList } from './listFilter';

function app(case_number: string, outcome: Outcome | null, position: number | null): ApplicationView {
  return {
    application_code: `C-${case_number}`,
    case_number,
    comune: '089009',
    comune_name: 'Floridia',
    bando: 'SC-2026-1',
    filed_at: '2026-02-01T10:00:00+01:00',
    protocol_number: null,
    revision: 1,
    applicant: {
      codice_fiscale: 'X',
      surname: 'S',
      name: 'N',
      birth_date: '1980-01-01',
      sex: 'M',
      birth_place: 'I754',
    },
    household: [],
    isee: null,
    resident: true,
    unemployed: false,
    unemployed_since: null,
    other_income_support: false,
    single_parent: false,
    applicant_disabled: false,
    housing: 'none',
    previous_participation: false,
    position,
    outcome,
    withdrawal: null,
  };
}

const list = [
  app('2026/0000001', 'ESCLUSO', null),
  app('2026/0000002', 'AMMESSO', 7),
  app('2026/0000003', null, null),
  app('2026/0000004', 'IDONEO_NON_AMMESSO', 12),
  app('2026/0000005', null, null),
  app('2026/0000006', 'AMMESSO', 2),
];

describe('byOutcome', () => {
  it('keeps everything without a filter', () => {
    expect(byOutcome(list, '')).toHaveLength(6);
  });

  it('keeps one outcome, or those not yet ranked', () => {
    expect(byOutcome(list, 'AMMESSO').map((a) => a.case_number)).toEqual(['2026/0000002', '2026/0000006']);
    expect(byOutcome(list, 'none').map((a) => a.case_number)).toEqual(['2026/0000003', '2026/0000005']);
  });
});

describe('sortForList', () => {
  it('shows ranked applications by position, excluded after, then the newest unranked', () => {
    expect(sortForList(list).map((a) => a.case_number)).toEqual([
      '2026/0000006',
      '2026/0000002',
      '2026/0000004',
      '2026/0000001',
      '2026/0000005',
      '2026/0000003',
    ]);
  });
});
