import { describe, expect, it } from 'vitest';
import type { CodiceFiscaleInfo, FormCheck } from './api';
import {
  correctionForm,
  describeCodiceFiscale,
  emptyDraft,
  emptyMember,
  fieldId,
  fillFromCodiceFiscale,
  fromForm,
  formFields,
  italianNoon,
  mismatchFound,
  notesByField,
  stillCurrent,
  tidyEuro,
  toForm,
  UNANSWERED,
  valueAt,
  type ApplicationDraft,
} from './applicationForm';

function giulia(): ApplicationDraft {
  const d = emptyDraft('SC-2026-1');
  Object.assign(d.applicant, {
    codice_fiscale: ' BNCGLI92M55D636B ',
    surname: 'Bianchi',
    name: 'Giulia',
    birth_date: '15/08/1992',
    sex: 'F',
    birth_place: 'D636',
  });
  d.isee = { value: '3.500,00', dsu_protocol: 'INPS-ISEE-2026-AB123C789-00', dsu_date: '15/01/2026', kind: 'ordinario' };
  d.resident = true;
  d.unemployed = true;
  d.unemployed_since = '01/05/2024';
  d.other_income_support = false;
  return d;
}

describe('fromForm', () => {
  const filed = {
    bando: 'SC-2026-1',
    filed_at: '2026-02-02T09:51:00+01:00',
    protocol_number: '0042',
    override_note: null,
    applicant: {
      codice_fiscale: 'RSUGPP97R17B287V',
      surname: 'Urso',
      name: 'Giuseppe',
      birth_date: '1997-10-17',
      sex: 'M' as const,
      birth_place: 'B287',
      address: 'Via delle Prove 4',
      phone: null,
      email: null,
    },
    household: [
      {
        codice_fiscale: 'RSSMRA80A41D636X',
        surname: 'Rossi',
        name: 'Maria',
        birth_date: '1980-01-01',
        sex: 'F' as const,
        birth_place: 'D636',
        relation: 'coniuge',
        dependent_minor: false,
        disabled: true,
      },
    ],
    isee: { value: '3500.50', dsu_protocol: 'INPS-ISEE-2026-1', dsu_date: '2026-01-05', kind: 'ordinario' as const },
    resident: true,
    unemployed: true,
    unemployed_since: '2024-10-23',
    other_income_support: false,
    single_parent: false,
    applicant_disabled: false,
    housing: 'rent' as const,
    previous_participation: false,
  };

  it('writes what was filed the Italian way, and toForm reads it back the same', () => {
    const d = fromForm(filed);
    expect(d.filed_on).toBe('02/02/2026');
    expect(d.applicant.birth_date).toBe('17/10/1997');
    expect(d.isee.value).toBe('3.500,50');
    expect(d.household[0]?.birth_date).toBe('01/01/1980');
    const { form, problems } = correctionForm(d, filed, new Date(2026, 5, 1));
    expect(problems).toEqual([]);
    expect(form.filed_at).toBe(filed.filed_at);
    expect(form.isee).toEqual(filed.isee);
    expect(form.applicant).toEqual({ ...filed.applicant, phone: undefined, email: undefined });
    expect(form.household).toEqual(filed.household);
    expect(form.housing).toBe('rent');
  });

  it('sends a changed filing day as that day', () => {
    const d = { ...fromForm(filed), filed_on: '03/02/2026' };
    expect(correctionForm(d, filed, new Date(2026, 5, 1)).form.filed_at).toBe('2026-02-03T12:00:00+01:00');
  });
});

describe('toForm', () => {
  it('writes the documented JSON shape, dates ISO and the amount as a decimal', () => {
    const { form, problems } = toForm(giulia());
    expect(problems).toEqual([]);
    expect(form).toEqual({
      bando: 'SC-2026-1',
      applicant: {
        codice_fiscale: 'BNCGLI92M55D636B',
        surname: 'Bianchi',
        name: 'Giulia',
        birth_date: '1992-08-15',
        sex: 'F',
        birth_place: 'D636',
      },
      household: [],
      isee: { value: '3500.00', dsu_protocol: 'INPS-ISEE-2026-AB123C789-00', dsu_date: '2026-01-15', kind: 'ordinario' },
      resident: true,
      unemployed: true,
      unemployed_since: '2024-05-01',
      other_income_support: false,
      single_parent: false,
      applicant_disabled: false,
      housing: 'none',
      previous_participation: false,
    });
  });

  it('reports unreadable dates and amounts by field and leaves them out', () => {
    const d = giulia();
    d.applicant.birth_date = '31/02/1992';
    d.isee.value = '3.500';
    d.household.push({ ...emptyMember(1), birth_date: 'ieri' });
    const { form, problems } = toForm(d);
    expect(problems.map((p) => p.field)).toEqual(['applicant.birth_date', 'household[0].birth_date', 'isee.value']);
    expect(problems[0]?.message).toContain('«31/02/1992»');
    expect(problems[2]?.message).toContain('3.500,00');
    expect((form.applicant as Record<string, unknown>).birth_date).toBeUndefined();
    expect((form.isee as Record<string, unknown>).value).toBeUndefined();
  });

  it('reads short dates, the birth in the past, the DSU near today', () => {
    const d = giulia();
    d.applicant.birth_date = '15/08/92';
    d.isee.dsu_date = '15012026';
    d.unemployed_since = '1.5.24';
    const { form, problems } = toForm(d);
    expect(problems).toEqual([]);
    expect((form.applicant as Record<string, unknown>).birth_date).toBe('1992-08-15');
    expect((form.isee as Record<string, unknown>).dsu_date).toBe('2026-01-15');
    expect(form.unemployed_since).toBe('2024-05-01');
  });

  it('says one thing about a date it cannot read', () => {
    const d = giulia();
    d.applicant.birth_date = '01062025x';
    d.isee.dsu_date = '31/04/2026';
    const { problems } = toForm(d);
    expect(problems).toEqual([
      {
        field: 'applicant.birth_date',
        message:
          'data non leggibile «01062025x»: scriverla come gg/mm/aaaa, ad esempio 15/08/1992 (anche 15081992 o 15/08/92)',
      },
      { field: 'isee.dsu_date', message: '«31/04/2026» non è un giorno del calendario: controllare giorno e mese' },
    ]);
  });

  it('sends no ISEE when there is none, and no unemployment date unless unemployed', () => {
    const d = giulia();
    d.has_isee = false;
    d.unemployed = false;
    const { form } = toForm(d);
    expect('isee' in form).toBe(false);
    expect('unemployed_since' in form).toBe(false);
  });

  it('refuses to save until each sì/no question is answered, and sends a «no» as false', () => {
    const d = emptyDraft('SC-2026-1');
    expect([d.resident, d.unemployed, d.other_income_support]).toEqual([null, null, null]);
    expect(toForm(giulia()).problems).toEqual([]);
    const g = giulia();
    g.resident = null;
    g.other_income_support = null;
    const { form, problems } = toForm(g);
    expect(problems).toEqual([
      { field: 'resident', message: UNANSWERED },
      { field: 'other_income_support', message: UNANSWERED },
    ]);
    expect('resident' in form).toBe(false);
    expect('other_income_support' in form).toBe(false);
    g.resident = false;
    g.other_income_support = false;
    g.unemployed = null;
    const answered = toForm(g);
    expect(answered.problems.map((p) => p.field)).toEqual(['unemployed']);
    expect(answered.form.resident).toBe(false);
    expect(answered.form.other_income_support).toBe(false);
    // Unemployed since when is asked only of one who answered sì.
    expect('unemployed_since' in answered.form).toBe(false);
  });

  it('files today at the moment of saving, an earlier day at its noon, never a day to come', () => {
    const today = new Date(2026, 2, 10, 16, 45);
    const d = emptyDraft('SC-2026-1', today);
    expect(d.filed_on).toBe('10/03/2026');
    const g = { ...giulia(), filed_on: d.filed_on };
    expect('filed_at' in toForm(g, today).form).toBe(false);
    g.filed_on = '2/3/26';
    expect(toForm(g, today).form.filed_at).toBe('2026-03-02T12:00:00+01:00');
    g.filed_on = '11/03/2026';
    const future = toForm(g, today);
    expect(future.problems).toEqual([
      { field: 'filed_at', message: 'la data di ricezione (11/03/2026) è nel futuro, oggi è 10/03/2026: correggerla' },
    ]);
    expect('filed_at' in future.form).toBe(false);
    g.filed_on = '';
    expect(toForm(g, today).problems.map((p) => p.field)).toEqual(['filed_at']);
    g.filed_on = '30/02/2026';
    expect(toForm(g, today).problems[0]?.message).toContain('non è un giorno del calendario');
  });

  it('writes noon with the offset Italy has that day', () => {
    // Summer time in 2026: from Sunday 29 March to Sunday 25 October.
    expect(italianNoon('2026-03-28')).toBe('2026-03-28T12:00:00+01:00');
    expect(italianNoon('2026-03-29')).toBe('2026-03-29T12:00:00+02:00');
    expect(italianNoon('2026-10-24')).toBe('2026-10-24T12:00:00+02:00');
    expect(italianNoon('2026-10-25')).toBe('2026-10-25T12:00:00+01:00');
    expect(italianNoon('2025-03-30')).toBe('2025-03-30T12:00:00+02:00');
  });

  it('keeps optional contact fields only when typed', () => {
    const d = giulia();
    d.applicant.phone = ' 0931 000000 ';
    d.override_note = '  ';
    const { form } = toForm(d);
    expect((form.applicant as Record<string, unknown>).phone).toBe('0931 000000');
    expect('override_note' in form).toBe(false);
  });
});

describe('notesByField', () => {
  const check: FormCheck = {
    problems: [
      { record: 'domanda', field: 'applicant.birth_date', code: 'field_invalid', message: 'campo obbligatorio mancante' },
      { record: 'domanda', field: 'applicant.surname', code: 'surname_empty', message: 'il cognome è vuoto' },
    ],
    warnings: [{ record: 'domanda', field: 'isee.dsu_protocol', code: 'dsu_protocol_malformed', message: 'forma strana' }],
  };

  it('puts each message on its field, the local one replacing the app’s', () => {
    const notes = notesByField([{ field: 'applicant.birth_date', message: 'data non valida' }], check);
    expect(notes.get('applicant.birth_date')).toEqual({ problems: ['data non valida'], warnings: [] });
    expect(notes.get('applicant.surname')?.problems).toEqual(['il cognome è vuoto']);
    expect(notes.get('isee.dsu_protocol')?.warnings).toEqual(['forma strana']);
  });

  it('drops the app’s warnings on a field it could not read: one message, not two', () => {
    const withWarning: FormCheck = {
      problems: [],
      warnings: [
        { record: 'domanda', field: 'isee.dsu_date', code: 'dsu_date_missing', message: 'manca la data della DSU' },
      ],
    };
    const notes = notesByField([{ field: 'isee.dsu_date', message: 'data non leggibile' }], withWarning);
    expect(notes.get('isee.dsu_date')).toEqual({ problems: ['data non leggibile'], warnings: [] });
  });
});

describe('formFields', () => {
  it('follows members, ISEE and unemployment as they come and go', () => {
    const d = giulia();
    d.household.push(emptyMember(7));
    expect(formFields(d).has('household[0].relation')).toBe(true);
    expect(formFields(d).has('household[1].relation')).toBe(false);
    expect(formFields(d).has('unemployed_since')).toBe(true);
    expect(formFields(d).has('filed_at')).toBe(true);
    expect(formFields(d).has('isee')).toBe(false);
    d.unemployed = null;
    expect(formFields(d).has('unemployed_since')).toBe(false);
    d.unemployed = false;
    d.has_isee = false;
    expect(formFields(d).has('unemployed_since')).toBe(false);
    expect(formFields(d).has('isee.value')).toBe(false);
    // Without an ISEE, the warning that it excludes is the ISEE's.
    expect(formFields(d).has('isee')).toBe(true);
  });
});

describe('fieldId', () => {
  it('makes an element id of a field path', () => {
    expect(fieldId('applicant.codice_fiscale')).toBe('f-applicant-codice_fiscale');
    expect(fieldId('household[1].sex')).toBe('f-household-1-sex');
    expect(fieldId('bando')).toBe('f-bando');
  });
});

describe('codice fiscale', () => {
  const info: CodiceFiscaleInfo = {
    valid: true,
    error: null,
    birth_date: '1980-01-01',
    sex: 'M',
    birth_place: 'I754',
    birth_place_name: 'Siracusa',
  };

  it('fills what is empty and never overwrites what was typed', () => {
    const p = { ...emptyMember(1), birth_date: '02/01/1980' };
    fillFromCodiceFiscale(p, info);
    expect(p.birth_date).toBe('02/01/1980');
    expect(p.sex).toBe('M');
    expect(p.birth_place).toBe('I754');
  });

  it('fills nothing from an invalid code', () => {
    const p = emptyMember(1);
    fillFromCodiceFiscale(p, { ...info, valid: false, error: 'carattere di controllo errato' });
    expect(p).toEqual(emptyMember(1));
  });

  it('describes a valid code and explains an invalid one', () => {
    expect(describeCodiceFiscale(info)).toBe('Codice valido: nato il 01/01/1980 a Siracusa (I754), sesso M.');
    expect(describeCodiceFiscale({ ...info, sex: 'F', birth_place_name: null, birth_place: 'F205' })).toBe(
      'Codice valido: nata il 01/01/1980 a F205, sesso F.',
    );
    expect(describeCodiceFiscale({ ...info, valid: false, error: 'lunghezza errata' })).toBe('lunghezza errata');
  });

  it('knows when a confirming note is needed', () => {
    const mismatch = { record: 'domanda', field: 'applicant.sex', code: 'codice_fiscale_sex_mismatch', message: 'x' };
    expect(mismatchFound({ problems: [mismatch], warnings: [] })).toBe(true);
    expect(mismatchFound({ problems: [], warnings: [mismatch] })).toBe(true);
    expect(mismatchFound({ problems: [], warnings: [] })).toBe(false);
    expect(mismatchFound(null)).toBe(false);
  });
});

describe('tidyEuro', () => {
  it('rewrites a readable amount the Italian way and leaves the rest', () => {
    expect(tidyEuro('3500,5')).toBe('3.500,50');
    expect(tidyEuro('€ 12.000,00')).toBe('12.000,00');
    expect(tidyEuro('€ 12.000')).toBe('€ 12.000');
    expect(tidyEuro('tremila')).toBe('tremila');
  });
});

describe('stillCurrent', () => {
  const problem = (field: string) => ({ record: 'domanda', field, code: 'x', message: field });

  it('finds values by field path', () => {
    const { form } = toForm(giulia());
    expect(valueAt(form, 'applicant.birth_date')).toBe('1992-08-15');
    expect(valueAt(form, 'isee.value')).toBe('3500.00');
    expect(valueAt(form, 'household[0].sex')).toBeUndefined();
  });

  it('drops what concerns a field changed since the check, keeps the rest', () => {
    const before = giulia();
    before.applicant.birth_date = '';
    before.household.push({ ...emptyMember(1), sex: 'M' });
    const checked = toForm(before).form;
    const after = giulia();
    after.household.push({ ...emptyMember(1), sex: 'M' });
    const now = toForm(after).form;
    const check: FormCheck = {
      problems: [problem('applicant.birth_date'), problem('applicant.surname'), problem('household[0].sex')],
      warnings: [problem('filed_at')],
    };
    const current = stillCurrent(check, checked, now);
    expect(current?.problems.map((p) => p.field)).toEqual(['applicant.surname', 'household[0].sex']);
    expect(current?.warnings.map((w) => w.field)).toEqual(['filed_at']);
  });

  it('keeps everything when nothing changed or nothing was checked', () => {
    const { form } = toForm(giulia());
    const check: FormCheck = { problems: [problem('applicant.name')], warnings: [] };
    expect(stillCurrent(check, form, form)).toEqual(check);
    expect(stillCurrent(null, form, form)).toBeNull();
  });
});
