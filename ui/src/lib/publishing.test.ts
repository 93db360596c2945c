import { describe, expect, it } from 'vitest';
import type { PublishChanges } from './api';
import { changesSummary } from './publishing';

const none: PublishChanges = {
  bando: 'SC-2026-1',
  against_number: 1,
  against_stage: 'provisional',
  rows: 12,
  added: [],
  removed: [],
  withdrawn: [],
  outcome_changed: [],
  moved: [],
  corrected: [],
  late: [],
  objections_pending: [],
};

describe('changesSummary', () => {
  it('says a first publication as such', () => {
    expect(changesSummary({ ...none, against_number: null, against_stage: null })).toEqual([
      'Prima pubblicazione del bando: 12 domande in graduatoria.',
    ]);
  });

  it('says when nothing would change', () => {
    expect(changesSummary(none)).toEqual([
      'Rispetto alla graduatoria provvisoria n. 1: 12 domande in graduatoria.',
      'Nessuna differenza: la nuova versione sarebbe uguale.',
    ]);
  });

  it('lists each kind of change, long lists cut with their count', () => {
    const lines = changesSummary({
      ...none,
      added: ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'],
      outcome_changed: [
        { application_code: 'K', from_position: 3, to_position: null, from_outcome: 'AMMESSO', to_outcome: 'ESCLUSO' },
      ],
      moved: [
        {
          application_code: 'M',
          from_position: 4,
          to_position: 5,
          from_outcome: 'IDONEO_NON_AMMESSO',
          to_outcome: 'IDONEO_NON_AMMESSO',
        },
      ],
      removed: ['R', 'W'],
      withdrawn: ['W'],
      corrected: ['K'],
      late: ['H'],
    });
    expect(lines).toContain('Domande non più in graduatoria (2): R, W.');
    expect(lines).toContain('Per rinuncia del richiedente (1): W.');
    const waiting = changesSummary({ ...none, objections_pending: ['OBJ-1'] });
    expect(waiting).toContain('Opposizioni da decidere o da applicare (1): OBJ-1; la graduatoria definitiva le attende.');
    expect(lines).toContain('Domande nuove (8): A, B, C, D, E, F e altre 2.');
    expect(lines).toContain('Esito cambiato (1): K (ammesso → escluso).');
    expect(lines).toContain('Posizione cambiata (1): M (4ª → 5ª).');
    expect(lines).toContain("Corrette dopo l'ultima pubblicazione (1): K.");
    expect(lines).toContain('Presentate dopo la chiusura del bando (1): H.');
  });
});
