import { describe, expect, it } from 'vitest';
import { bars, contactJson, emptyContact, formField, momentOf } from './frontOffice';

describe('contactJson', () => {
  it('sends an anonymous information with its defaults and no moment', () => {
    const form = emptyContact(new Date(2026, 2, 2, 10, 15), '089009');
    form.area = '3';
    expect(contactJson(form)).toEqual({
      channel: 'sportello',
      interlocutor: 'utente',
      sent_by: 'spontaneo',
      person: { anonymous: true, residence_istat: '089009' },
      needs: [{ area: 3 }],
      answer: 'informazione',
      services: [],
      unmet_need: false,
    });
  });

  it('sends an identified istruttoria with its case, and the moment once edited', () => {
    const form = emptyContact(new Date(2026, 2, 2, 10, 15), '');
    Object.assign(form, {
      anonymous: false,
      codiceFiscale: ' bncgli92m55d636b ',
      surname: 'Bianchi',
      name: 'Giulia',
      area: '3',
      answer: 'istruttoria',
      caseKind: 'contributo',
      timeEdited: true,
    });
    const json = contactJson(form);
    expect(json.person).toEqual({ codice_fiscale: 'BNCGLI92M55D636B', surname: 'Bianchi', name: 'Giulia' });
    expect(json.case).toEqual({ kind: 'contributo' });
    expect(String(json.at)).toMatch(/^2026-03-02T10:15:00[+-]\d{2}:\d{2}$/);
  });
});

describe('helpers', () => {
  it('reads a moment only when it is a real one', () => {
    expect(momentOf('31/02/2026', '10:00')).toBeNull();
    expect(momentOf('2/3/2026', '9.05')).toMatch(/^2026-03-02T09:05:00/);
  });

  it('names the field of a problem without its index', () => {
    expect(formField('needs[0].area')).toBe('needs.area');
    expect(formField('person.codice_fiscale')).toBe('person.codice_fiscale');
  });

  it('scales the bars to the largest value', () => {
    expect(bars([['a', 2], ['b', 4], ['c', 0]]).map((b) => b.share)).toEqual([0.5, 1, 0]);
    expect(bars([['a', 0]])[0]?.share).toBe(0);
  });
});
