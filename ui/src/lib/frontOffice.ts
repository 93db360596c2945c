// The front office's words and the contact the form sends (the JSON of `contact add`,
// docs/formats.md): what the window adds to the app's rules, nothing more.

export const AREAS: readonly { code: number; label: string }[] = [
  { code: 1, label: 'Famiglia e minori' },
  { code: 2, label: 'Disabilità e non autosufficienza' },
  { code: 3, label: 'Povertà ed esclusione sociale' },
];

export const CHANNELS = [
  ['sportello', 'Allo sportello'],
  ['telefono', 'Telefono'],
  ['email', 'Email'],
  ['domicilio', 'A domicilio'],
  ['altro', 'Altro'],
] as const;

export const INTERLOCUTORS = [
  ['utente', "L'interessato"],
  ['familiare', 'Un familiare'],
  ['servizio', 'Un servizio'],
  ['altro', 'Altri'],
] as const;

export const SENDERS = [
  ['spontaneo', 'Di sua iniziativa'],
  ['servizio', 'Un servizio'],
  ['scuola', 'La scuola'],
  ['medico', 'Il medico'],
  ['familiare', 'Un familiare'],
  ['altro', 'Altri'],
] as const;

export const ANSWERS = [
  ['informazione', 'Informazione'],
  ['invio', 'Invio a un servizio'],
  ['istruttoria', 'Istruttoria'],
] as const;

export const AGE_BANDS = ['0-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65-74', '75+'] as const;

export const OUTCOMES = [
  ['accolta', 'Accolta'],
  ['respinta', 'Respinta'],
  ['inviata_altro_servizio', 'Inviata ad altro servizio'],
  ['ritirata', 'Ritirata'],
] as const;

/** The Italian label of a code in one of the lists above (the code itself if unknown). */
export function labelOf(list: readonly (readonly [string, string])[], code: string | null | undefined): string {
  if (!code) return '';
  return list.find(([c]) => c === code)?.[1] ?? code;
}

export function areaLabel(code: number | string): string {
  return AREAS.find((a) => String(a.code) === String(code))?.label ?? String(code);
}

/** What the form holds. */
export interface ContactForm {
  /** `gg/mm/aaaa` and `hh:mm`; left as proposed, the app takes the moment of saving. */
  date: string;
  time: string;
  timeEdited: boolean;
  channel: string;
  interlocutor: string;
  sentBy: string;
  anonymous: boolean;
  codiceFiscale: string;
  surname: string;
  name: string;
  sex: string;
  ageBand: string;
  residence: string;
  area: string;
  localArea: string;
  request: string;
  answer: string;
  services: string[];
  caseKind: string;
  referralTo: string;
  referralBring: string;
  unmetNeed: boolean;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** An empty form at `now`: anonymous, at the desk, the person themself, an information. */
export function emptyContact(now: Date, residence: string): ContactForm {
  return {
    date: `${two(now.getDate())}/${two(now.getMonth() + 1)}/${now.getFullYear()}`,
    time: `${two(now.getHours())}:${two(now.getMinutes())}`,
    timeEdited: false,
    channel: 'sportello',
    interlocutor: 'utente',
    sentBy: 'spontaneo',
    anonymous: true,
    codiceFiscale: '',
    surname: '',
    name: '',
    sex: '',
    ageBand: '',
    residence,
    area: '',
    localArea: '',
    request: '',
    answer: 'informazione',
    services: [],
    caseKind: '',
    referralTo: '',
    referralBring: '',
    unmetNeed: false,
  };
}

/** `gg/mm/aaaa` + `hh:mm` in the window's time zone → RFC 3339 with its offset; null if unreadable. */
export function momentOf(date: string, time: string): string | null {
  const d = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(date.trim());
  const t = /^(\d{1,2})[:.](\d{2})$/.exec(time.trim());
  if (!d || !t) return null;
  const at = new Date(Number(d[3]), Number(d[2]) - 1, Number(d[1]), Number(t[1]), Number(t[2]));
  if (Number.isNaN(at.getTime()) || at.getDate() !== Number(d[1])) return null;
  const offset = -at.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}:00${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

const blank = (s: string) => s.trim() === '';

/** The contact as `contact add` takes it. */
export function contactJson(f: ContactForm): Record<string, unknown> {
  const person: Record<string, unknown> = f.anonymous
    ? { anonymous: true }
    : { codice_fiscale: f.codiceFiscale.trim().toUpperCase(), surname: f.surname.trim(), name: f.name.trim() };
  if (!blank(f.sex)) person.sex = f.sex;
  if (f.anonymous && !blank(f.ageBand)) person.age_band = f.ageBand;
  if (!blank(f.residence)) person.residence_istat = f.residence;
  const need: Record<string, unknown> = { area: Number(f.area) || f.area };
  if (!blank(f.localArea)) need.local_area = f.localArea.trim();
  const contact: Record<string, unknown> = {
    channel: f.channel,
    interlocutor: f.interlocutor,
    sent_by: f.sentBy,
    person,
    needs: [need],
    answer: f.answer,
    services: f.services,
    unmet_need: f.unmetNeed,
  };
  if (f.timeEdited) contact.at = momentOf(f.date, f.time) ?? `${f.date} ${f.time}`;
  if (!blank(f.request)) contact.request = f.request.trim();
  if (f.answer === 'istruttoria' && !blank(f.caseKind)) contact.case = { kind: f.caseKind };
  if (f.answer === 'invio' && (!blank(f.referralTo) || !blank(f.referralBring))) {
    contact.referral = { to: f.referralTo.trim(), bring: f.referralBring.trim() };
  }
  return contact;
}

/** The form field a problem of the app names (`person.codice_fiscale`, `needs[0].area`). */
export function formField(field: string): string {
  return field.replace(/^contatto \d+\s*/, '').replace(/\[\d+\]/g, '');
}

/** Bars of a chart: each value's share of the largest (0 to 1). */
export function bars(entries: [string, number][]): { key: string; value: number; share: number }[] {
  const max = Math.max(0, ...entries.map(([, v]) => v));
  return entries.map(([key, value]) => ({ key, value, share: max === 0 ? 0 : value / max }));
}

/** `aaaa-mm-gg` of a date in the window's time zone. */
export function isoDay(d: Date): string {
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}
