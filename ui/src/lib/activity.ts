// The Attività screen's logic: the query its filters make, the entries in the order a clerk
// reads them, and its counts.
import type { AuditEntryView, AuditQuery } from './api';
import { formatCount, parseDate } from './format';

/** The most entries the table shows at once; narrower dates show the rest. The app is asked
 * for one more, the newest only, to know whether there are others. */
export const MAX_SHOWN = 500;

/** The filters as the app takes them, or what is wrong with each day typed. */
export type Asked = { query: AuditQuery } | { errors: { from?: string; to?: string } };

/** A day as typed (`gg/mm/aaaa`, also `7/3/2026` or `07.03.2026`) → ISO; empty is no limit. */
function day(text: string): { iso: string | null } | { error: string } {
  if (text.trim() === '') return { iso: null };
  const iso = parseDate(text);
  return iso === null
    ? { error: `data non valida «${text.trim()}»: scriverla come gg/mm/aaaa, ad esempio 01/03/2026` }
    : { iso };
}

/** The filters as typed → the app's query: an empty field is no limit, the username is
 * trimmed. A day that is not a calendar date is refused here, by field; a first day after the
 * last is the app's to refuse. */
export function auditQuery(from: string, to: string, operator: string): Asked {
  const first = day(from);
  const last = day(to);
  if ('error' in first || 'error' in last) {
    return {
      errors: {
        ...('error' in first ? { from: first.error } : {}),
        ...('error' in last ? { to: last.error } : {}),
      },
    };
  }
  const username = operator.trim();
  return {
    query: { from: first.iso, to: last.iso, operator: username === '' ? null : username, newest: MAX_SHOWN + 1 },
  };
}

/** The newest entry first (the app lists them oldest first); at most `max` of them. */
export function newestFirst(entries: readonly AuditEntryView[], max = MAX_SHOWN): AuditEntryView[] {
  return [...entries].sort((a, b) => b.seq - a.seq).slice(0, max);
}

/** The usernames in `entries` and in `known`, sorted: the operator filter's choices. */
export function operatorsSeen(entries: readonly AuditEntryView[], known: readonly string[] = []): string[] {
  return [...new Set([...known, ...entries.map((e) => e.operator)])].sort((a, b) => a.localeCompare(b, 'it'));
}

function voci(n: number): string {
  return n === 1 ? '1 voce' : `${formatCount(n)} voci`;
}

/** `12 voci`, or `500 voci più recenti` when there are more than the table shows (the app
 * sends only the newest, so how many in all is not known). */
export function entriesCount(found: number, shown: number): string {
  if (shown >= found) return voci(found);
  const newest = shown === 1 ? '1 voce più recente' : `${formatCount(shown)} voci più recenti`;
  return `${newest}: restringere le date per vedere le altre`;
}

/** What `audit_verify` answered when the chain is intact. */
export function chainIntactText(entries: number): string {
  return `Catena integra: ${voci(entries)}`;
}
