// The Domande list: its outcome filter, the rows asked at a time and its counts. Search, bando,
// comune, outcome and the list's order are the app's (`search_applications` answers one page).
import type { Outcome } from './api';
import { formatCount } from './format';

/** `''` every application; `none` those not yet in a received ranking; else that outcome. */
export type OutcomeFilter = '' | 'none' | Outcome;

/** The rows asked at a time; «Carica altre» asks the next ones. */
export const PAGE = 100;

/** `15 domande`, or `3 domande su 15` when the outcome chosen narrows what the search found. */
export function countText(total: number, found: number): string {
  const n = total === 1 ? '1 domanda' : `${formatCount(total)} domande`;
  return found !== total ? `${n} su ${formatCount(found)}` : n;
}

/** The button that shows the next page (`Carica altre 100, mostrate 100 di 15.000`), or null
 * when every row is shown. */
export function moreText(shown: number, total: number): string | null {
  if (shown >= total) return null;
  const next = Math.min(PAGE, total - shown);
  return `Carica ${next === 1 ? "l'ultima" : `altre ${next}`}, mostrate ${formatCount(shown)} di ${formatCount(total)}`;
}
