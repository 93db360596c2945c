import { describe, expect, it } from 'vitest';
import { accreditedFor, expectedOutcome, readPoints, runningTotal, taxCodeProblem } from './accreditation';

describe('taxCodeProblem', () => {
  it('checks the partita IVA check digit', () => {
    expect(taxCodeProblem('12345678903')).toBeNull();
    expect(taxCodeProblem('12345678904')).toContain('cifra di controllo');
    expect(taxCodeProblem('RSSMRA80A01I754X')).toBeNull();
    expect(taxCodeProblem('123')).toContain('11 cifre');
    expect(taxCodeProblem('')).toBeNull();
  });
});

describe('the running total', () => {
  const criteria = [
    { id: 'a', name: 'A', max: 20 },
    { id: 'b', name: 'B', max: 10 },
  ];
  it('adds the readable points and refuses those above the maximum', () => {
    expect(runningTotal(criteria, { a: { points: '15', note: '' }, b: { points: '', note: '' } })).toBe(15);
    expect(runningTotal(criteria, { a: { points: '15', note: '' }, b: { points: '11', note: '' } })).toBe(15);
    expect(readPoints('11', 10)).toEqual({ problem: 'al massimo 10 punti' });
    expect(readPoints('7', 10)).toEqual({ value: 7 });
  });

  it('gives the outcome at the pass mark: 60 accredits, 59 does not', () => {
    const gates = [{ id: 'g', name: 'Durc' }];
    expect(expectedOutcome(gates, { g: true }, 60, 60).accredited).toBe(true);
    expect(expectedOutcome(gates, { g: true }, 59, 60).reasons).toEqual(['punteggio 59 inferiore alla soglia di 60 punti']);
    expect(expectedOutcome(gates, { g: false }, 80, 60).reasons).toEqual(['requisito non soddisfatto: Durc']);
  });
});

describe('accreditedFor', () => {
  it("lists the active providers of the notice's service a map entry is, hyphens read as underscores", () => {
    const providers = [
      { legal_name: 'Aretusa', services: ['sad_anziani', 'sad_disabili'], status: 'attivo' as const },
      { legal_name: 'Ortigia', services: ['sad_anziani'], status: 'sospeso' as const },
      { legal_name: 'Iride', services: ['centro_diurno'], status: 'attivo' as const },
    ];
    expect(accreditedFor('sad-anziani', providers).map((p) => p.legal_name)).toEqual(['Aretusa']);
    expect(accreditedFor('centro_diurno', providers).map((p) => p.legal_name)).toEqual(['Iride']);
    expect(accreditedFor('segretariato-sociale', providers)).toEqual([]);
  });
});
