import { describe, expect, it } from 'vitest';
import { emptyDraft, emptyMember } from './applicationForm';
import { draftFromJson, draftSummary, isBlankDraft } from './drafts';

describe('drafts', () => {
  it('a form as it opens is blank, whatever its bando; anything typed is not', () => {
    expect(isBlankDraft(emptyDraft(''))).toBe(true);
    expect(isBlankDraft(emptyDraft('SC-2026-1'))).toBe(true);
    const typed = emptyDraft('SC-2026-1');
    typed.applicant.surname = 'R';
    expect(isBlankDraft(typed)).toBe(false);
    const ticked = emptyDraft();
    ticked.resident = true;
    expect(isBlankDraft(ticked)).toBe(false);
    const member = emptyDraft();
    member.household.push(emptyMember(1));
    expect(isBlankDraft(member)).toBe(false);
  });

  it('a stored draft reads back as it was saved, and an older one takes the missing fields empty', () => {
    const d = emptyDraft('SC-2026-1');
    d.applicant.surname = 'Rossi';
    d.household.push({ ...emptyMember(7), name: 'Lucia' });
    const back = draftFromJson(JSON.stringify(d))!;
    expect(back.applicant.surname).toBe('Rossi');
    expect(back.household[0]!.name).toBe('Lucia');
    expect(back.household[0]!.key).toBe(1);
    expect(isBlankDraft(draftFromJson(JSON.stringify(emptyDraft('X')))!)).toBe(true);

    const older = draftFromJson('{"bando":"SC-2026-1","applicant":{"surname":"Rossi"},"household":[{"name":"Lucia"}]}')!;
    expect(older.applicant.name).toBe('');
    expect(older.isee.kind).toBe('ordinario');
    expect(older.household[0]!.relation).toBe('');
    expect(draftFromJson('[1]')).toBeNull();
    expect(draftFromJson('non è JSON')).toBeNull();
  });

  it('Home names the applicant and when the draft was last changed, in Italian time', () => {
    const d = emptyDraft();
    d.applicant.surname = 'Rossi';
    d.applicant.name = 'Mario ';
    const now = new Date('2026-03-02T15:00:00+01:00');
    expect(draftSummary(d, '2026-03-02T10:42:00+01:00', now)).toBe(
      'Bozza di domanda di Rossi Mario, modificata alle 10:42',
    );
    expect(draftSummary(d, '2026-03-01T09:05:00Z', now)).toBe(
      'Bozza di domanda di Rossi Mario, modificata il 01/03/2026 alle 10:05',
    );
    expect(draftSummary(emptyDraft(), null, now)).toBe('Bozza di domanda (richiedente non ancora scritto)');
  });
});
