// What the accreditation screens compute as the operator types: the partita IVA's check digit,
// the commission's running total and the gates' state, the outcome it would give; and the
// Italian names of statuses and documents. The app decides: these only show it early.
import type { Criterion, Item, Status } from './bindings';

/** The documents an application carries (`sportello_domain::accreditation::DOCUMENT_KINDS`). */
export const DOCUMENT_KINDS: readonly { id: string; name: string }[] = [
  { id: 'durc', name: 'DURC (regolarità contributiva)' },
  { id: 'insurance', name: 'Polizza assicurativa' },
  { id: 'cciaa', name: 'Iscrizione alla Camera di commercio' },
  { id: 'albo_regionale', name: "Iscrizione all'albo regionale (L.R. 22/1986, art. 26)" },
  { id: 'albo_cooperative', name: "Iscrizione all'albo delle cooperative" },
];

export function documentName(kind: string): string {
  return DOCUMENT_KINDS.find((k) => k.id === kind)?.name ?? kind;
}

export const STATUS_LABELS: Record<Status, string> = {
  attivo: 'Attivo',
  sospeso: 'Sospeso',
  revocato: 'Revocato',
  scaduto: 'Scaduto',
};

/** Why a tax code cannot be right, in Italian; `null` when it may be (or is still empty). An
 * 11-digit partita IVA must have its check digit; otherwise a 16-character codice fiscale. */
export function taxCodeProblem(input: string): string | null {
  const code = input.trim().toUpperCase();
  if (code === '') return null;
  if (/^\d{11}$/.test(code)) {
    let sum = 0;
    for (let i = 0; i < 10; i++) {
      const digit = Number(code[i]);
      if (i % 2 === 0) sum += digit;
      else sum += digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    }
    const check = (10 - (sum % 10)) % 10;
    return check === Number(code[10]) ? null : `partita IVA ${code}: la cifra di controllo non torna`;
  }
  if (/^[A-Z0-9]{16}$/.test(code)) return null;
  return 'scrivere la partita IVA (11 cifre) o il codice fiscale (16 caratteri)';
}

/** What the commission has typed for one criterion. */
export interface Points {
  points: string;
  note: string;
}

/** A criterion's points as typed: a whole number within its maximum, or why not. */
export function readPoints(typed: string, max: number): { value: number } | { problem: string } {
  const text = typed.trim();
  if (text === '') return { problem: 'manca il punteggio' };
  if (!/^\d+$/.test(text)) return { problem: `«${text}» non è un numero intero di punti` };
  const value = Number(text);
  if (value > max) return { problem: `al massimo ${max} punti` };
  return { value };
}

/** The running total of the points typed so far (a criterion not yet readable counts 0). */
export function runningTotal(criteria: readonly Criterion[], typed: Record<string, Points>): number {
  return criteria.reduce((sum, c) => {
    const read = readPoints(typed[c.id]?.points ?? '', c.max);
    return sum + ('value' in read ? read.value : 0);
  }, 0);
}

/** The outcome the judgements typed would give, with every reason, as the app decides it. */
export function expectedOutcome(
  gates: readonly Item[],
  met: Record<string, boolean>,
  total: number,
  passMark: number,
): { accredited: boolean; reasons: string[] } {
  const reasons = gates.filter((g) => !met[g.id]).map((g) => `requisito non soddisfatto: ${g.name}`);
  if (total < passMark) reasons.push(`punteggio ${total} inferiore alla soglia di ${passMark} punti`);
  return { accredited: reasons.length === 0, reasons };
}

/** The providers of the register `providers` accredited, and active, for the map's entry
 * `code`: an entry whose code is a service of the notice (hyphens read as underscores,
 * `sad-anziani` for `sad_anziani`) lists them, so the citizen can be shown the choice. */
export function accreditedFor<T extends { services: string[]; status: Status }>(code: string, providers: readonly T[]): T[] {
  const service = code.trim().toLowerCase().replaceAll('-', '_');
  return providers.filter((p) => p.status === 'attivo' && p.services.includes(service));
}
