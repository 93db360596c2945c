// The Domande list's outcome filter (search, bando and comune are applied by the app).
import type { ApplicationView, Outcome } from './api';

/** `''` every application; `none` those not yet in a received ranking; else that outcome. */
export type OutcomeFilter = '' | 'none' | Outcome;

export function byOutcome(list: ApplicationView[], filter: OutcomeFilter): ApplicationView[] {
  if (filter === '') return list;
  if (filter === 'none') return list.filter((a) => a.outcome === null);
  return list.filter((a) => a.outcome === filter);
}

/** Published ranking first (by position, excluded last), then not yet ranked, newest first. */
export function sortForList(list: ApplicationView[]): ApplicationView[] {
  return [...list].sort((a, b) => {
    const ranked = (x: ApplicationView) => (x.outcome === null ? 1 : 0);
    if (ranked(a) !== ranked(b)) return ranked(a) - ranked(b);
    if (a.outcome !== null && b.outcome !== null) {
      const pa = a.position ?? Number.MAX_SAFE_INTEGER;
      const pb = b.position ?? Number.MAX_SAFE_INTEGER;
      if (pa !== pb) return pa - pb;
    }
    return b.case_number.localeCompare(a.case_number);
  });
}
