// The draft of a new application as the app keeps it (the form as JSON, one per operator):
// whether there is anything in it, reading it back, and how Home describes it.
import { emptyDraft, emptyMember, type ApplicationDraft, type MemberDraft } from './applicationForm';
import { formatDateTime } from './format';

/** JSON with the keys of every object sorted: two drafts compare by content, not key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Nothing typed: the form as it opens (the bando is chosen for the operator). */
export function isBlankDraft(d: ApplicationDraft): boolean {
  return canonical({ ...d, bando: '' }) === canonical(emptyDraft(''));
}

function object(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A stored draft as the form: what a draft lacks (saved by an older window) takes its empty
 * value; `null` when it is not a form at all. */
export function draftFromJson(json: string): ApplicationDraft | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const stored = parsed as Record<string, unknown>;
  const empty = emptyDraft('');
  const members = Array.isArray(stored.household) ? stored.household : [];
  return {
    ...empty,
    ...stored,
    applicant: { ...empty.applicant, ...object(stored.applicant) },
    isee: { ...empty.isee, ...object(stored.isee) },
    household: members.map((m, i): MemberDraft => ({ ...emptyMember(i + 1), ...object(m), key: i + 1 })),
  } as ApplicationDraft;
}

/** Home's line: `Bozza di domanda di Rossi Mario, modificata alle 10:42` (on another day,
 * `… modificata il 02/03/2026 alle 10:42`). */
export function draftSummary(d: ApplicationDraft, updatedAt: string | null, now: Date = new Date()): string {
  const who = `${d.applicant.surname.trim()} ${d.applicant.name.trim()}`.trim();
  const whose = who === '' ? 'Bozza di domanda (richiedente non ancora scritto)' : `Bozza di domanda di ${who}`;
  if (updatedAt === null) return whose;
  const [day, time] = formatDateTime(updatedAt).split(' ');
  const [today] = formatDateTime(now.toISOString()).split(' ');
  return day === today ? `${whose}, modificata alle ${time}` : `${whose}, modificata il ${day} alle ${time}`;
}
