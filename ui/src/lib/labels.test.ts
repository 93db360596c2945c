import { describe, expect, it } from 'vitest';
import type { Breakdown, ImportReport } from './api';
import {
  auditActionLabel,
  auditDetails,
  auditRecord,
  breakdownParts,
  changedValue,
  fieldLabel,
  importOutcomeLabel,
  outcomeLabel,
  reportHeadline,
  roleLabel,
  summaryLines,
  tableSummary,
} from './labels';

describe('tableSummary', () => {
  it('agrees number and gender in Italian', () => {
    expect(tableSummary('applications', { new: 3, updated: 1, unchanged: 2 })).toBe(
      'domande: 3 nuove, 1 aggiornata, 2 già presenti',
    );
    expect(tableSummary('application_revisions', { new: 1, updated: 0, unchanged: 1 })).toBe(
      'revisioni di domande: 1 nuova, 0 aggiornate, 1 già presente',
    );
    expect(tableSummary('bandi', { new: 1, updated: 0, unchanged: 1 })).toBe(
      'bandi: 1 nuovo, 0 aggiornati, 1 già presente',
    );
  });

  it('names an unknown table by its code', () => {
    expect(tableSummary('objections', { new: 2, updated: 0, unchanged: 0 })).toBe(
      'objections: 2 nuovi, 0 aggiornati, 0 già presenti',
    );
  });
});

describe('summaryLines', () => {
  it('leaves out tables the bundle does not touch', () => {
    const lines = summaryLines({
      already_imported: false,
      tables: {
        applications: { new: 2, updated: 0, unchanged: 0 },
        rankings: { new: 0, updated: 0, unchanged: 0 },
      },
    });
    expect(lines).toEqual(['domande: 2 nuove, 0 aggiornate, 0 già presenti']);
  });

  it('says when a bundle carries nothing', () => {
    expect(summaryLines({ already_imported: false, tables: {} })).toEqual([
      'nessun dato nel pacchetto',
    ]);
  });
});

describe('reportHeadline', () => {
  const report = (outcome: ImportReport['outcome']): ImportReport => ({
    file: '/tmp/a.sportello',
    outcome,
    sender: '089009',
    seq: 1,
    summary: null,
    error: null,
  });

  it('speaks in the future before importing and in the past after', () => {
    expect(reportHeadline(report('applied'), true)).toBe('Pronto da importare');
    expect(reportHeadline(report('applied'), false)).toBe('Importato');
    expect(reportHeadline(report('refused'), true)).toBe('Sarà rifiutato');
    expect(reportHeadline(report('refused'), false)).toBe('Rifiutato');
    expect(reportHeadline(report('already_imported'), true)).toBe('Già importato: nessuna modifica');
  });

  it('labels the history and the outcomes', () => {
    expect(importOutcomeLabel('refused')).toBe('Rifiutato');
    expect(outcomeLabel('IDONEO_NON_AMMESSO')).toBe('Idoneo non ammesso');
    expect(outcomeLabel(null)).toBe('Non ancora in graduatoria');
  });
});

describe('breakdownParts', () => {
  it('lists the factors that count, negative ones included', () => {
    const b: Breakdown = {
      isee: 45,
      household_size: 4,
      dependent_minors: 0,
      disability: 0,
      single_parent: 0,
      unemployment: 6,
      housing: 0,
      older_applicant: 0,
      previous_participation: -5,
    };
    const factors = [
      { key: 'isee', short: 'ISEE', label: 'ISEE', legend: '' },
      { key: 'household_size', short: 'Nucl.', label: 'Nucleo familiare', legend: '' },
      { key: 'unemployment', short: 'Disoc.', label: 'Disoccupazione', legend: '' },
      { key: 'older_applicant', short: 'Età', label: 'Età 55 anni o più', legend: '' },
      { key: 'previous_participation', short: 'Prec.', label: 'Partecipazione precedente', legend: '' },
    ];
    expect(breakdownParts(b, factors)).toEqual([
      { label: 'ISEE', points: 45 },
      { label: 'Nucleo familiare', points: 4 },
      { label: 'Disoccupazione', points: 6 },
      { label: 'Partecipazione precedente', points: -5 },
    ]);
    expect(breakdownParts({ ...b, older_applicant: 2 }, factors)[3]).toEqual({
      label: 'Età 55 anni o più',
      points: 2,
    });
  });
});

describe('fieldLabel', () => {
  it('names the applicant, each member by number, and the form fields', () => {
    expect(fieldLabel('applicant.birth_date')).toBe('Richiedente: data di nascita');
    expect(fieldLabel('household[1].surname')).toBe('Componente 2: cognome');
    expect(fieldLabel('isee.value')).toBe('ISEE');
    expect(fieldLabel('unemployed_since')).toBe('Disoccupato dal');
    expect(fieldLabel('something_new')).toBe('something_new');
  });
});

describe('changedValue', () => {
  it('writes dates, amounts, yes/no and housing in Italian', () => {
    expect(changedValue('applicant.birth_date', '1980-01-01')).toBe('01/01/1980');
    expect(changedValue('household[0].birth_date', '2015-04-02')).toBe('02/04/2015');
    expect(changedValue('isee.value', '3500.00')).toBe('€ 3.500,00');
    expect(changedValue('household[0].dependent_minor', true)).toBe('sì');
    expect(changedValue('housing', 'rent')).toBe('affitto con contratto registrato');
    expect(changedValue('protocol_number', null)).toBe('—');
    expect(changedValue('applicant.surname', 'Rossi')).toBe('Rossi');
  });
});

describe('roleLabel', () => {
  it('names every role in Italian, capitalised', () => {
    expect(roleLabel('operatore')).toBe('Operatore');
    expect(roleLabel('revisore')).toBe('Revisore');
  });
});

describe('the audit trail', () => {
  it('names the common actions in Italian and shows an unknown one as its code', () => {
    expect(auditActionLabel('application_create')).toBe('Domanda registrata');
    expect(auditActionLabel('login_failed')).toBe('Accesso non riuscito');
    expect(auditActionLabel('backup_create')).toBe('Backup creato');
    expect(auditActionLabel('password_recover')).toBe('Password reimpostata con la chiave di recupero');
    expect(auditActionLabel('ranking_publish')).toBe('Graduatoria pubblicata');
    expect(auditActionLabel('bundle_import')).toBe('Pacchetto ricevuto');
    expect(auditActionLabel('something_new')).toBe('something_new');
  });

  it('names the record and cuts a UUID to its start', () => {
    const uuid = '0190f3a2-7c1d-7a2b-9c3d-4e5f60718293';
    expect(auditRecord({ entity: 'application', entity_id: uuid })).toEqual({
      kind: 'Domanda',
      id: '0190f3a2…',
      full: uuid,
    });
    expect(auditRecord({ entity: 'ranking', entity_id: 'SC-2026-1/2' })).toEqual({
      kind: 'Graduatoria',
      id: 'SC-2026-1/2',
      full: 'SC-2026-1/2',
    });
    expect(auditRecord({ entity: 'application', entity_id: null })).toEqual({
      kind: 'Domande',
      id: null,
      full: null,
    });
    expect(auditRecord({ entity: 'applications', entity_id: 'x' }).kind).toBe('Domanda');
    expect(auditRecord({ entity: 'objections', entity_id: null }).kind).toBe('objections');
  });

  it('writes the details compactly: comuni by name, stages and outcomes in Italian', () => {
    const names: Record<string, string> = { '089009': 'Floridia' };
    const name = (istat: string) => names[istat] ?? istat;
    expect(
      auditDetails({ case_number: '2026/0000001', application_code: 'ABCD-1234', bando: 'SC-2026-1' }, name),
    ).toEqual([
      { label: 'pratica', value: '2026/0000001' },
      { label: 'domanda', value: 'ABCD-1234' },
      { label: 'bando', value: 'SC-2026-1' },
    ]);
    expect(auditDetails({ recipient: '089009', seq: 3, records: 15 }, name)).toEqual([
      { label: 'destinatario', value: 'Floridia' },
      { label: 'numero', value: '3' },
      { label: 'record', value: '15' },
    ]);
    expect(auditDetails({ stage: 'provisional', confirmed_exclusions: ['A', 'B'] })).toEqual([
      { label: 'graduatoria', value: 'provvisoria' },
      { label: 'esclusioni confermate', value: 'A, B' },
    ]);
    expect(auditDetails({ outcome: 'refused', code: 'bad_signature' })).toEqual([
      { label: 'esito', value: 'rifiutato' },
      { label: 'motivo', value: 'bad_signature' },
    ]);
    expect(auditDetails({ failures: 3, last_failure_at: '2026-11-30T09:05:00+01:00' })).toEqual([
      { label: 'tentativi errati', value: '3' },
      { label: "l'ultimo il", value: '30/11/2026 09:05' },
    ]);
  });

  it('leaves out what is absent, false or empty and flattens a filter', () => {
    expect(
      auditDetails({ filter: { bando: 'SC-2026-1', comune: null, person: false }, text: true, rows: 60 }),
    ).toEqual([
      { label: 'bando', value: 'SC-2026-1' },
      { label: 'per testo', value: 'sì' },
      { label: 'righe', value: '60' },
    ]);
    expect(auditDetails({})).toEqual([]);
    expect(auditDetails(null)).toEqual([]);
    expect(auditDetails({ confirmed_exclusions: ['A', 'B', 'C', 'D'], extra: 'x' })).toEqual([
      { label: 'esclusioni confermate', value: '4' },
      { label: 'extra', value: 'x' },
    ]);
  });
});
