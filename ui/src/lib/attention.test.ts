import { describe, expect, it } from 'vitest';
import type { Overview } from './api';
import { attentionItems } from './attention';

function overview(changes: Partial<Overview> = {}, capofila = false): Overview {
  return {
    install: {
      comune: capofila ? '089017' : '089009',
      comune_name: capofila ? 'Siracusa' : 'Floridia',
      district_id: 'D48',
      district_name: 'Distretto 48',
      capofila: '089017',
      is_capofila: capofila,
      db_path: '/tmp/x.db',
    },
    fingerprint: 'AAAA-BBBB',
    applications: 0,
    unsent_applications: 0,
    awaiting_applications: 0,
    enrolled_comuni: [],
    capofila_trusted: true,
    last_export: null,
    last_import: null,
    last_import_batch: [],
    bandi: [
      {
        id: 'SC-2026-1',
        title: 'Servizio civico',
        opens: '2026-01-10',
        closes: '2026-03-31',
        ranking_number: null,
        ranking_stage: null,
        ranking_published_at: null,
      },
    ],
    last_backup_at: null,
    backup_due: false,
    waiting_start: [],
    answers_overdue: [],
    accreditation_expiring: [],
    cases_due: [],
    services_to_review: 0,
    ...changes,
  };
}

const texts = (o: Overview) => attentionItems(o).map((i) => `${i.kind}: ${i.text}`);

describe('attentionItems at a comune', () => {
  it('asks for the capofila key first, and to send what is not sent', () => {
    const items = attentionItems(overview({ capofila_trusted: false, applications: 3, unsent_applications: 3 }));
    expect(items[0]?.text).toContain('chiave del capofila');
    expect(items[0]?.href).toBe('#/impostazioni');
    expect(items[1]?.text).toBe('3 domande non ancora inviate al capofila.');
    expect(items[1]?.href).toBe('#/sincronizzazione');
  });

  it('uses the singular for one application', () => {
    expect(texts(overview({ applications: 1, unsent_applications: 1 }))).toContain(
      'todo: 1 domanda non ancora inviata al capofila.',
    );
  });

  it('reassures when everything was received', () => {
    expect(texts(overview({ applications: 4 }))).toContain(
      'ok: Tutte le domande registrate sono state ricevute dal capofila.',
    );
  });

  it('says a ranking was received, with its stage', () => {
    const o = overview();
    o.bandi[0] = {
      ...o.bandi[0]!,
      ranking_number: 2,
      ranking_stage: 'definitive',
      ranking_published_at: '2026-04-20T09:00:00+02:00',
    };
    expect(texts(o)).toContain(
      'ok: Bando SC-2026-1: graduatoria definitiva n. 2 pubblicata il 20/04/2026 09:00.',
    );
  });

  it('reports a refused bundle with its reason', () => {
    const refused = {
      at: '2026-04-01T10:00:00+02:00',
      actor: 'op',
      file_name: 'D48-pub.sportello',
      sender: '089017',
      bundle_seq: 3,
      outcome: 'refused',
      code: 'bad_signature',
      message: 'firma non valida',
      summary: null,
    };
    const items = attentionItems(overview({ last_import: refused, last_import_batch: [refused] }));
    expect(items[0]?.text).toBe(
      "Il file ricevuto l'ultima volta è stato rifiutato: D48-pub.sportello (firma non valida).",
    );
  });
});

describe('attentionItems at the capofila', () => {
  it('asks for enrolments and for the ranking', () => {
    const found = texts(overview({}, true));
    expect(found[0]).toContain('Nessun comune ha ancora aderito');
    expect(found).toContain('todo: Bando SC-2026-1: graduatoria non ancora pubblicata.');
    expect(found.some((t) => t.includes('inviate'))).toBe(false);
  });

  it('reminds that a provisional ranking awaits the definitive one', () => {
    const o = overview({ enrolled_comuni: ['089009'] }, true);
    o.bandi[0] = { ...o.bandi[0]!, ranking_number: 1, ranking_stage: 'provisional', ranking_published_at: null };
    const items = attentionItems(o);
    expect(items).toHaveLength(1);
    expect(items[0]?.kind).toBe('todo');
    expect(items[0]?.text).toBe(
      'Bando SC-2026-1: graduatoria provvisoria n. 1 pubblicata. Dopo le opposizioni, pubblicare la definitiva.',
    );
  });

  it('asks for a bando when there is none', () => {
    expect(texts(overview({ bandi: [], enrolled_comuni: ['089009'] }, true))).toEqual([
      'todo: Nessun bando: importare il file del bando.',
    ]);
  });
});

describe('the backup reminder', () => {
  it('asks for a first backup, then for a new one once the last is old', () => {
    expect(texts(overview({ backup_due: true }))).toContain(
      'todo: Nessun backup ancora: farne uno su una chiavetta, da conservare lontano dal computer.',
    );
    const old = texts(overview({ backup_due: true, last_backup_at: '2026-11-20T10:15:00+01:00' }));
    expect(old).toContain("todo: L'ultimo backup è del 20/11/2026 10:15: farne uno nuovo su una chiavetta.");
  });

  it('says nothing while the last backup is recent or the operator may not make one', () => {
    const recent = texts(overview({ backup_due: false, last_backup_at: '2026-11-30T10:15:00+01:00' }));
    expect(recent.some((t) => t.includes('backup'))).toBe(false);
  });
});

describe('sent and waiting, not sent, refused files', () => {
  const entry = (file_name: string, outcome: string, message: string | null = null) => ({
    at: '2026-11-30T10:00:00+01:00',
    actor: 'm.rossi',
    file_name,
    sender: '089017',
    bundle_seq: 1,
    outcome,
    code: outcome === 'refused' ? 'bad_signature' : null,
    message,
    summary: null,
  });

  it('tells applications sent and waiting from applications not sent', () => {
    const after = texts(overview({ applications: 2, unsent_applications: 0, awaiting_applications: 2 }));
    expect(after).toContain(
      'ok: 2 domande inviate al capofila, in attesa della sua conferma: arriva con il suo prossimo pacchetto.',
    );
    expect(after.some((t) => t.includes('non ancora inviate'))).toBe(false);
    const both = texts(overview({ applications: 3, unsent_applications: 1, awaiting_applications: 2 }));
    expect(both).toContain('todo: 1 domanda non ancora inviata al capofila.');
  });

  it('names the one refused file of a batch', () => {
    const [a, b, c] = [
      entry('a.sportello', 'applied'),
      entry('b.sportello', 'refused', 'firma non valida'),
      entry('c.sportello', 'applied'),
    ];
    const said = texts(overview({ last_import_batch: [a, b, c], last_import: c }));
    expect(said).toContain(
      'todo: Dei 3 file ricevuti l\'ultima volta, 1 è stato rifiutato: b.sportello (firma non valida).',
    );
    const alone = texts(overview({ last_import_batch: [b], last_import: b }));
    expect(alone).toContain("todo: Il file ricevuto l'ultima volta è stato rifiutato: b.sportello (firma non valida).");
    expect(texts(overview({ last_import_batch: [a] })).some((t) => t.includes('rifiutat'))).toBe(false);
  });

  it('lists who nears the 60 days without starting the servizio civico', () => {
    const lines = texts(
      overview({
        waiting_start: [
          { bando: 'SC-2026-1', application_code: 'AAAAA-BBBBB', days_since_filing: 63, over_target: true },
          { bando: 'SC-2026-1', application_code: 'CCCCC-DDDDD', days_since_filing: 52, over_target: false },
        ],
      }),
    );
    expect(lines).toContain(
      'todo: Servizio civico: 2 persone non hanno ancora iniziato il servizio e si avvicinano ai 60 giorni dalla domanda (1 già oltre): AAAAA-BBBBB (63 giorni), CCCCC-DDDDD (52 giorni).',
    );
  });

  it('asks to record the decadenza of calls left unanswered', () => {
    expect(texts(overview({ answers_overdue: ['AAAAA-BBBBB'] }))).toContain(
      'todo: Servizio civico: 1 chiamato non ha risposto nei termini (AAAAA-BBBBB): registrarne la decadenza fa chiamare il successivo idoneo.',
    );
  });

  it('says one more call left unanswered as one, not as a count', () => {
    const codes = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6'];
    expect(texts(overview({ answers_overdue: codes }))).toContain(
      'todo: Servizio civico: 6 chiamati non hanno risposto nei termini (C1, C2, C3, C4, C5 e un altro): registrarne la decadenza fa chiamare il successivo idoneo.',
    );
  });

  it('names five of many calls left unanswered and counts the others', () => {
    const codes = Array.from({ length: 1205 }, (_, i) => `C${String(i).padStart(4, '0')}`);
    expect(texts(overview({ answers_overdue: codes }))).toContain(
      'todo: Servizio civico: 1.205 chiamati non hanno risposto nei termini (C0000, C0001, C0002, C0003, C0004 e altri 1.200): registrarne la decadenza fa chiamare il successivo idoneo.',
    );
  });
});

describe('accreditation', () => {
  it('lists the providers documents and registrations near their expiry at the capofila', () => {
    const items = attentionItems(
      overview(
        {
          accreditation_expiring: [
            {
              register_number: 'ACC-2026-001',
              legal_name: 'Coop. Aurora',
              document: 'durc',
              what: 'DURC (regolarità contributiva)',
              expires: '2026-12-20',
            },
            {
              register_number: 'ACC-2026-002',
              legal_name: 'Coop. Iride',
              document: null,
              what: 'Iscrizione al registro',
              expires: '2027-02-01',
            },
          ],
        },
        true,
      ),
    );
    const item = items.find((i) => i.text.startsWith('Enti accreditati'));
    expect(item?.kind).toBe('todo');
    expect(item?.text).toContain('2 scadenze');
    expect(item?.text).toContain('DURC (regolarità contributiva) di Coop. Aurora (ACC-2026-001) il 20/12/2026');
    expect(item?.text).toContain('Iscrizione al registro di Coop. Iride');
  });
});

describe('front office', () => {
  it('lists the cases due within 3 days or overdue, with where to work them', () => {
    const items = attentionItems(
      overview({
        cases_due: [
          { id: 4, kind: 'Contributo economico', due_on: '2026-11-28', overdue: true, assigned_to: null },
          { id: 7, kind: 'Istruttoria generica', due_on: '2026-12-02', overdue: false, assigned_to: 'bruna' },
        ],
      }),
    );
    const item = items.find((i) => i.text.startsWith('Sportello'));
    expect(item?.text).toContain('2 istruttorie');
    expect(item?.text).toContain('(1 scaduta)');
    expect(item?.text).toContain('n. 4 (Contributo economico, scaduta il 28/11/2026)');
    expect(item?.href).toBe('#/sportello/istruttorie');
  });

  it('names five cases and tells one more as one, many more as a count', () => {
    const cases = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: i + 1,
        kind: 'Istruttoria generica',
        due_on: '2026-11-28',
        overdue: true,
        assigned_to: null,
      }));
    const text = (n: number) => attentionItems(overview({ cases_due: cases(n) })).find((i) => i.text.startsWith('Sportello'))?.text;
    expect(text(6)).toMatch(/scaduta il 28\/11\/2026\) e un'altra\.$/);
    expect(text(1206)).toContain('Sportello: 1.206 istruttorie in scadenza entro 3 giorni o scadute (1.206 scadute)');
    expect(text(1206)).toMatch(/ e altre 1\.201\.$/);
  });

  it('tells the capofila how many entries of the map to review', () => {
    const at = (capofila: boolean) =>
      attentionItems(overview({ services_to_review: 3 }, capofila)).find((i) => i.text.startsWith('Mappa'));
    expect(at(true)?.text).toContain('3 servizi senza ente o non rivisti');
    expect(at(false)).toBeUndefined();
  });
});
