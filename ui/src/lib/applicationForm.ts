// The new-application form as the operator types it (Italian dates and amounts, text as typed)
// and its conversion into the JSON shape of `sportello application add` (docs/formats.md), which
// the app checks and files. Field paths (`applicant.codice_fiscale`, `household[1].sex`,
// `isee.value`) are the app's: a problem it reports lands next to the field of that path.
import type { ApplicationForm, CodiceFiscaleInfo, FormCheck } from './api';
import { dateProblem, euroFieldText, formatDate, formatDateTime, parseDate, parseEuro, type DateKind } from './format';

export type Sex = '' | 'M' | 'F';
/** A sì/no the operator must answer: `null` until they do, never a default that excludes. */
export type Answer = boolean | null;
/** The declared circumstances that exclude when answered the wrong way: asked, never assumed. */
export const QUESTIONS = ['resident', 'unemployed', 'other_income_support'] as const;
export type Question = (typeof QUESTIONS)[number];
export type Housing = 'none' | 'rent' | 'eviction';

export interface PersonDraft {
  codice_fiscale: string;
  surname: string;
  name: string;
  /** As typed: `gg/mm/aaaa`. */
  birth_date: string;
  sex: Sex;
  /** Belfiore code (or `Z` + 3 digits abroad). */
  birth_place: string;
}

export interface MemberDraft extends PersonDraft {
  /** Stable identity in the list while members are added and removed. */
  key: number;
  relation: string;
  dependent_minor: boolean;
  disabled: boolean;
}

export interface ApplicationDraft {
  bando: string;
  /** The day the comune received the application, as typed (`gg/mm/aaaa`): today at the desk,
   * an earlier day for a paper one. */
  filed_on: string;
  protocol_number: string;
  applicant: PersonDraft & { address: string; phone: string; email: string };
  household: MemberDraft[];
  has_isee: boolean;
  /** `value` as typed (`3.500,00`); `dsu_date` as `gg/mm/aaaa`. */
  isee: { value: string; dsu_protocol: string; dsu_date: string; kind: 'ordinario' | 'corrente' };
  resident: Answer;
  unemployed: Answer;
  unemployed_since: string;
  other_income_support: Answer;
  single_parent: boolean;
  applicant_disabled: boolean;
  housing: Housing;
  previous_participation: boolean;
  override_note: string;
}

function emptyPerson(): PersonDraft {
  return { codice_fiscale: '', surname: '', name: '', birth_date: '', sex: '', birth_place: '' };
}

export function emptyMember(key: number): MemberDraft {
  return { ...emptyPerson(), key, relation: '', dependent_minor: false, disabled: false };
}

/** `today` as the operator's calendar reads it, ISO. */
export function isoDay(today: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${today.getFullYear()}-${two(today.getMonth() + 1)}-${two(today.getDate())}`;
}

export function emptyDraft(bando = '', today: Date = new Date()): ApplicationDraft {
  return {
    bando,
    filed_on: formatDate(isoDay(today)),
    protocol_number: '',
    applicant: { ...emptyPerson(), address: '', phone: '', email: '' },
    household: [],
    has_isee: true,
    isee: { value: '', dsu_protocol: '', dsu_date: '', kind: 'ordinario' },
    resident: null,
    unemployed: null,
    unemployed_since: '',
    other_income_support: null,
    single_parent: false,
    applicant_disabled: false,
    housing: 'none',
    previous_participation: false,
    override_note: '',
  };
}

/** A problem found before asking the app: a date or an amount that cannot be read. */
export interface LocalProblem {
  field: string;
  message: string;
}

/** A date as typed → ISO, or its one problem (see `readDate` for what is read). */
function isoDate(
  field: string,
  typed: string,
  kind: DateKind,
  problems: LocalProblem[],
  today: Date = new Date(),
): string | undefined {
  const problem = dateProblem(typed, kind, today);
  if (problem !== null) {
    problems.push({ field, message: problem });
    return undefined;
  }
  return parseDate(typed, kind, today) ?? undefined;
}

/** Until answered, what the window says next to a sì/no question (saving is refused). */
export const UNANSWERED = 'manca la risposta: chiederlo al richiedente e scegliere sì o no';

function answered(field: Question, answer: Answer, problems: LocalProblem[]): boolean | undefined {
  if (answer === null) {
    problems.push({ field, message: UNANSWERED });
    return undefined;
  }
  return answer;
}

/**
 * Last Sunday of `month` (1-based) in `year`, as a day of the month: Italy's summer time runs
 * from the last Sunday of March to the last Sunday of October.
 */
function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month, 0));
  return last.getUTCDate() - last.getUTCDay();
}

/** Noon of an ISO day in Italian time, as RFC 3339 with the offset Italy has that day. */
export function italianNoon(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  const key = month * 100 + day;
  const summer = key >= 300 + lastSunday(year, 3) && key < 1000 + lastSunday(year, 10);
  return `${iso}T12:00:00${summer ? '+02:00' : '+01:00'}`;
}

/**
 * The filing date as the app takes it: nothing for today (the app records the moment of
 * saving), noon Italian time of an earlier day (a paper application received then: no hour is
 * known, and noon is that day whatever the offset). A day after today is refused here as the app
 * would refuse it.
 */
function filedAt(typed: string, today: Date, problems: LocalProblem[]): string | undefined {
  if (typed.trim() === '') {
    problems.push({
      field: 'filed_at',
      message: 'manca la data di ricezione: scrivere il giorno in cui il comune ha ricevuto la domanda (gg/mm/aaaa)',
    });
    return undefined;
  }
  const iso = isoDate('filed_at', typed, 'recent', problems, today);
  if (iso === undefined) return undefined;
  const todayIso = isoDay(today);
  if (iso > todayIso) {
    problems.push({
      field: 'filed_at',
      message: `la data di ricezione (${formatDate(iso)}) è nel futuro, oggi è ${formatDate(todayIso)}: correggerla`,
    });
    return undefined;
  }
  return iso === todayIso ? undefined : italianNoon(iso);
}

function optionalText(typed: string): string | undefined {
  const text = typed.trim();
  return text === '' ? undefined : text;
}

function person(prefix: string, p: PersonDraft, problems: LocalProblem[]): Record<string, unknown> {
  return {
    codice_fiscale: p.codice_fiscale.trim(),
    surname: p.surname,
    name: p.name,
    birth_date: isoDate(`${prefix}.birth_date`, p.birth_date, 'birth', problems),
    sex: p.sex === '' ? undefined : p.sex,
    birth_place: p.birth_place.trim(),
  };
}

/**
 * The form in the app's JSON shape, and what could not be read locally. A field that cannot be
 * read is left out (the app would report it as missing); its local problem says why instead.
 */
export function toForm(
  d: ApplicationDraft,
  today: Date = new Date(),
): { form: Record<string, unknown>; problems: LocalProblem[] } {
  const problems: LocalProblem[] = [];
  const filed_at = filedAt(d.filed_on, today, problems);
  const applicant = {
    ...person('applicant', d.applicant, problems),
    address: optionalText(d.applicant.address),
    phone: optionalText(d.applicant.phone),
    email: optionalText(d.applicant.email),
  };
  const household = d.household.map((m, i) => ({
    ...person(`household[${i}]`, m, problems),
    relation: m.relation.trim(),
    dependent_minor: m.dependent_minor,
    disabled: m.disabled,
  }));
  let isee: Record<string, unknown> | undefined;
  if (d.has_isee) {
    const typed = d.isee.value.trim();
    const value = typed === '' ? undefined : parseEuro(typed);
    if (value === null) {
      problems.push({
        field: 'isee.value',
        message: `importo non valido «${typed}»: scriverlo in euro con la virgola per i centesimi, ad esempio 3.500,00`,
      });
    }
    isee = {
      value: value ?? undefined,
      dsu_protocol: d.isee.dsu_protocol.trim(),
      dsu_date: isoDate('isee.dsu_date', d.isee.dsu_date, 'recent', problems),
      kind: d.isee.kind,
    };
  }
  const form: Record<string, unknown> = {
    bando: d.bando,
    filed_at,
    protocol_number: optionalText(d.protocol_number),
    applicant,
    household,
    isee,
    resident: answered('resident', d.resident, problems),
    unemployed: answered('unemployed', d.unemployed, problems),
    unemployed_since:
      d.unemployed === true ? isoDate('unemployed_since', d.unemployed_since, 'recent', problems) : undefined,
    other_income_support: answered('other_income_support', d.other_income_support, problems),
    single_parent: d.single_parent,
    applicant_disabled: d.applicant_disabled,
    housing: d.housing,
    previous_participation: d.previous_participation,
    override_note: optionalText(d.override_note),
  };
  return { form: withoutUndefined(form), problems };
}

/**
 * A filed application's form (`application show`'s `form`) as the operator corrects it: the
 * inverse of `toForm`, dates and amounts written the Italian way. Its filing moment is kept
 * apart: `correctionForm` sends it back unchanged unless the day is changed.
 */
export function fromForm(f: ApplicationForm): ApplicationDraft {
  const d = f;
  const date = (iso: string | null | undefined) => (iso ? formatDate(iso) : '');
  const person = (p: {
    codice_fiscale: string;
    surname: string;
    name: string;
    birth_date: string;
    sex: string;
    birth_place: string;
  }): PersonDraft => ({
    codice_fiscale: p.codice_fiscale,
    surname: p.surname,
    name: p.name,
    birth_date: date(p.birth_date),
    sex: p.sex as Sex,
    birth_place: p.birth_place,
  });
  return {
    bando: f.bando,
    filed_on: f.filed_at ? formatDateTime(f.filed_at).slice(0, 10) : '',
    protocol_number: f.protocol_number ?? '',
    applicant: {
      ...person(d.applicant),
      address: d.applicant.address ?? '',
      phone: d.applicant.phone ?? '',
      email: d.applicant.email ?? '',
    },
    household: d.household.map((m, i) => ({
      ...person(m),
      key: i + 1,
      relation: m.relation,
      dependent_minor: m.dependent_minor,
      disabled: m.disabled,
    })),
    has_isee: d.isee !== null,
    isee: d.isee
      ? { value: euroFieldText(d.isee.value), dsu_protocol: d.isee.dsu_protocol, dsu_date: date(d.isee.dsu_date), kind: d.isee.kind }
      : { value: '', dsu_protocol: '', dsu_date: '', kind: 'ordinario' },
    resident: d.resident,
    unemployed: d.unemployed,
    unemployed_since: date(d.unemployed_since),
    other_income_support: d.other_income_support,
    single_parent: d.single_parent,
    applicant_disabled: d.applicant_disabled,
    housing: d.housing,
    previous_participation: d.previous_participation,
    override_note: f.override_note ?? '',
  };
}

/**
 * The corrected form as the app takes it: as `toForm`, but a filing day left as it was keeps
 * the filing moment exactly (a correction is not a new filing).
 */
export function correctionForm(
  d: ApplicationDraft,
  original: ApplicationForm,
  today: Date = new Date(),
): { form: Record<string, unknown>; problems: LocalProblem[] } {
  const out = toForm(d, today);
  if (original.filed_at && d.filed_on === fromForm(original).filed_on) out.form.filed_at = original.filed_at;
  return out;
}

/** Leaves out absent fields, as the JSON the app reads would. */
function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) {
      out[key] = v.map((item) =>
        typeof item === 'object' && item !== null ? withoutUndefined(item as Record<string, unknown>) : item,
      );
    } else if (typeof v === 'object' && v !== null) {
      out[key] = withoutUndefined(v as Record<string, unknown>);
    } else {
      out[key] = v;
    }
  }
  return out;
}

/** What to show next to one field. */
export interface FieldNotes {
  problems: string[];
  warnings: string[];
}

/**
 * Every message by field path. A local problem replaces what the app says about the same field
 * (the app only saw the field missing): one message, never two that contradict each other.
 */
export function notesByField(local: LocalProblem[], check: FormCheck | null): Map<string, FieldNotes> {
  const notes = new Map<string, FieldNotes>();
  const at = (field: string) => {
    let entry = notes.get(field);
    if (!entry) {
      entry = { problems: [], warnings: [] };
      notes.set(field, entry);
    }
    return entry;
  };
  const localFields = new Set(local.map((p) => p.field));
  for (const p of local) at(p.field).problems.push(p.message);
  for (const p of check?.problems ?? []) {
    if (!localFields.has(p.field)) at(p.field).problems.push(p.message);
  }
  // The app's warnings about a field it could not read would contradict the local problem.
  for (const w of check?.warnings ?? []) {
    if (!localFields.has(w.field)) at(w.field).warnings.push(w.message);
  }
  return notes;
}

/** The field paths the form shows, for the draft as it is now. */
export function formFields(d: ApplicationDraft): Set<string> {
  const personFields = ['codice_fiscale', 'surname', 'name', 'birth_date', 'sex', 'birth_place'];
  const fields = [
    'bando',
    'filed_at',
    'protocol_number',
    ...personFields.map((f) => `applicant.${f}`),
    'applicant.address',
    'applicant.phone',
    'applicant.email',
    'resident',
    'unemployed',
    'other_income_support',
    'single_parent',
    'applicant_disabled',
    'housing',
    'previous_participation',
    'override_note',
  ];
  d.household.forEach((_, i) => {
    for (const f of [...personFields, 'relation', 'dependent_minor', 'disabled']) {
      fields.push(`household[${i}].${f}`);
    }
  });
  if (d.has_isee) fields.push('isee.value', 'isee.dsu_protocol', 'isee.dsu_date', 'isee.kind');
  else fields.push('isee');
  if (d.unemployed === true) fields.push('unemployed_since');
  return new Set(fields);
}

/** The element id of a field path: `household[1].sex` → `f-household-1-sex`. */
export function fieldId(path: string): string {
  return `f-${path.replace(/[.[\]]+/g, '-').replace(/-$/, '')}`;
}

const MISMATCHES = new Set([
  'codice_fiscale_birth_date_mismatch',
  'codice_fiscale_sex_mismatch',
  'codice_fiscale_birth_place_mismatch',
]);

/** Whether data disagree with a codice fiscale, so that a confirming note is needed (or given). */
export function mismatchFound(check: FormCheck | null): boolean {
  return [...(check?.problems ?? []), ...(check?.warnings ?? [])].some((p) => MISMATCHES.has(p.code));
}

/**
 * Fills the birth date, sex and place a valid codice fiscale gives, where the operator has not
 * typed them yet: what is typed is never overwritten (a mismatch is reported instead).
 */
export function fillFromCodiceFiscale(p: PersonDraft, info: CodiceFiscaleInfo): void {
  if (!info.valid) return;
  if (p.birth_date.trim() === '' && info.birth_date) p.birth_date = formatDate(info.birth_date);
  if (p.sex === '' && info.sex) p.sex = info.sex;
  if (p.birth_place.trim() === '' && info.birth_place) p.birth_place = info.birth_place;
}

/** The ISEE field once left: `3500,5` → `3.500,50`; left as typed when it cannot be read. */
export function tidyEuro(typed: string): string {
  const value = parseEuro(typed);
  return value === null ? typed : euroFieldText(value);
}

/** What a valid codice fiscale says, as one Italian line. */
export function describeCodiceFiscale(info: CodiceFiscaleInfo): string {
  if (!info.valid) return info.error ?? 'codice fiscale non valido';
  const born = info.sex === 'F' ? 'nata' : 'nato';
  const date = info.birth_date ? ` il ${formatDate(info.birth_date)}` : '';
  const place = info.birth_place
    ? ` a ${info.birth_place_name ? `${info.birth_place_name} (${info.birth_place})` : info.birth_place}`
    : '';
  return `Codice valido: ${born}${date}${place}, sesso ${info.sex ?? '?'}.`;
}

/** The value at a field path of the form's JSON (`household[1].sex`, `isee.value`). */
export function valueAt(form: Record<string, unknown>, path: string): unknown {
  let here: unknown = form;
  for (const part of path.split(/\.|\[|\]\.?/).filter((p) => p !== '')) {
    if (typeof here !== 'object' || here === null) return undefined;
    here = (here as Record<string, unknown>)[part];
  }
  return here;
}

/**
 * What the app said about `checked` (the form as it was sent), without what concerns fields the
 * operator has changed since: a message about a value that is no longer there is not shown
 * while the next check is on its way.
 */
export function stillCurrent(
  check: FormCheck | null,
  checked: Record<string, unknown> | null,
  now: Record<string, unknown>,
): FormCheck | null {
  if (check === null || checked === null) return check;
  const same = (field: string) =>
    JSON.stringify(valueAt(checked, field)) === JSON.stringify(valueAt(now, field));
  return {
    problems: check.problems.filter((p) => same(p.field)),
    warnings: check.warnings.filter((w) => same(w.field)),
  };
}
