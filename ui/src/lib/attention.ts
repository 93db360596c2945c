// What the Home screen asks the operator to do next, from the install's overview. The order is
// the order of the work: trust first, then sending and receiving, then the rankings.
import type { Overview } from './api';
import { formatCount, formatDate, formatDateTime } from './format';
import { hashOf } from './routes';
import { stageLabel } from './labels';

export interface AttentionItem {
  /** `todo` needs doing; `ok` reassures that nothing is pending. */
  kind: 'todo' | 'ok';
  text: string;
  /** Where to go to do it. */
  href?: string;
  action?: string;
}

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Those left after the five named: ` e altre 3`, ` e un'altra` (`feminine`), ` e altri 3`, ` e un altro`. */
function andOthers(left: number, feminine: boolean): string {
  if (left <= 0) return '';
  if (left === 1) return feminine ? " e un'altra" : ' e un altro';
  return ` e ${feminine ? 'altre' : 'altri'} ${formatCount(left)}`;
}

export function attentionItems(o: Overview): AttentionItem[] {
  const items: AttentionItem[] = [];
  const capofila = o.install.is_capofila;
  const settings = hashOf('impostazioni');
  const sync = hashOf('sincronizzazione');

  if (capofila && o.enrolled_comuni.length === 0) {
    items.push({
      kind: 'todo',
      text: 'Nessun comune ha ancora aderito: accettare i file di adesione dei comuni.',
      href: settings,
      action: 'Vai alle impostazioni',
    });
  }
  if (!capofila && !o.capofila_trusted) {
    items.push({
      kind: 'todo',
      text: 'Manca la chiave del capofila: accettare il file del distretto per poter inviare le domande.',
      href: settings,
      action: 'Vai alle impostazioni',
    });
  }

  const refused = o.last_import_batch.filter((e) => e.outcome === 'refused');
  if (refused.length > 0) {
    const which = refused.map((e) => `${e.file_name} (${e.message ?? 'vedere lo storico'})`).join('; ');
    const batch = o.last_import_batch.length;
    items.push({
      kind: 'todo',
      text:
        batch === 1
          ? `Il file ricevuto l'ultima volta è stato rifiutato: ${which}.`
          : `Dei ${batch} file ricevuti l'ultima volta, ${refused.length === 1 ? '1 è stato rifiutato' : `${refused.length} sono stati rifiutati`}: ${which}.`,
      href: sync,
      action: 'Vedi lo storico',
    });
  }

  if (!capofila) {
    if (o.unsent_applications > 0) {
      items.push({
        kind: 'todo',
        text: `${plural(o.unsent_applications, 'domanda non ancora inviata', 'domande non ancora inviate')} al capofila.`,
        href: sync,
        action: 'Esporta il pacchetto',
      });
    }
    if (o.awaiting_applications > 0) {
      items.push({
        kind: 'ok',
        text: `${plural(o.awaiting_applications, 'domanda inviata', 'domande inviate')} al capofila, in attesa della sua conferma: arriva con il suo prossimo pacchetto.`,
      });
    } else if (o.unsent_applications === 0 && o.applications > 0) {
      items.push({ kind: 'ok', text: 'Tutte le domande registrate sono state ricevute dal capofila.' });
    }
  }

  if (o.answers_overdue.length > 0) {
    items.push({
      kind: 'todo',
      text:
        `Servizio civico: ${plural(o.answers_overdue.length, 'chiamato non ha', 'chiamati non hanno')} risposto nei termini ` +
        `(${o.answers_overdue.slice(0, 5).join(', ')}${andOthers(o.answers_overdue.length - 5, false)}): ` +
        'registrarne la decadenza fa chiamare il successivo idoneo.',
    });
  }

  if (o.waiting_start.length > 0) {
    const over = o.waiting_start.filter((w) => w.over_target).length;
    const codes = o.waiting_start.slice(0, 5).map((w) => `${w.application_code} (${formatCount(w.days_since_filing)} giorni)`);
    const more = andOthers(o.waiting_start.length - 5, true);
    items.push({
      kind: 'todo',
      text:
        `Servizio civico: ${plural(o.waiting_start.length, 'persona non ha', 'persone non hanno')} ancora iniziato ` +
        `il servizio e ${o.waiting_start.length === 1 ? 'si avvicina' : 'si avvicinano'} ai 60 giorni dalla domanda` +
        `${over > 0 ? ` (${formatCount(over)} già oltre)` : ''}: ${codes.join(', ')}${more}.`,
    });
  }

  if (o.cases_due.length > 0) {
    const overdue = o.cases_due.filter((c) => c.overdue).length;
    const named = o.cases_due.slice(0, 5).map((c) => `n. ${c.id} (${c.kind}, ${c.overdue ? 'scaduta il' : 'scade il'} ${formatDate(c.due_on)})`);
    const more = andOthers(o.cases_due.length - 5, true);
    items.push({
      kind: 'todo',
      text:
        `Sportello: ${plural(o.cases_due.length, 'istruttoria', 'istruttorie')} in scadenza entro 3 giorni o scadute` +
        `${overdue ? ` (${plural(overdue, 'scaduta', 'scadute')})` : ''}: ${named.join('; ')}${more}.`,
      href: hashOf('sportello-istruttorie'),
      action: 'Vai alle istruttorie',
    });
  }

  if (capofila && o.services_to_review > 0) {
    items.push({
      kind: 'todo',
      text: `Mappa dei servizi: ${plural(o.services_to_review, 'servizio senza ente o non rivisto', 'servizi senza ente o non rivisti')} da 12 mesi.`,
      href: hashOf('sportello-servizi'),
      action: 'Vai alla mappa',
    });
  }

  if (o.accreditation_expiring.length > 0) {
    const named = o.accreditation_expiring.slice(0, 5).map((e) => {
      return `${e.what} di ${e.legal_name} (${e.register_number}) il ${formatDate(e.expires)}`;
    });
    const more = andOthers(o.accreditation_expiring.length - 5, true);
    items.push({
      kind: 'todo',
      text:
        `Enti accreditati: ${plural(o.accreditation_expiring.length, 'scadenza', 'scadenze')} entro 30 giorni ` +
        `(documenti) o 90 (iscrizioni): ${named.join('; ')}${more}.`,
    });
  }

  if (o.backup_due) {
    items.push({
      kind: 'todo',
      text: o.last_backup_at
        ? `L'ultimo backup è del ${formatDateTime(o.last_backup_at)}: farne uno nuovo su una chiavetta.`
        : 'Nessun backup ancora: farne uno su una chiavetta, da conservare lontano dal computer.',
      href: settings,
      action: 'Fai il backup',
    });
  }

  if (o.bandi.length === 0) {
    items.push(
      capofila
        ? {
            kind: 'todo',
            text: 'Nessun bando: importare il file del bando.',
            href: settings,
            action: 'Vai alle impostazioni',
          }
        : { kind: 'todo', text: 'Nessun bando: i bandi arrivano con il file del distretto del capofila.' },
    );
  }
  for (const b of o.bandi) {
    if (b.ranking_stage === null) {
      items.push(
        capofila
          ? {
              kind: 'todo',
              text: `Bando ${b.id}: graduatoria non ancora pubblicata.`,
              href: hashOf('graduatoria'),
              action: 'Vai alla graduatoria',
            }
          : { kind: 'ok', text: `Bando ${b.id}: graduatoria non ancora ricevuta dal capofila.` },
      );
    } else {
      const when = b.ranking_published_at ? ` il ${formatDateTime(b.ranking_published_at)}` : '';
      const text = `Bando ${b.id}: graduatoria ${stageLabel(b.ranking_stage)} n. ${b.ranking_number ?? '?'} pubblicata${when}.`;
      items.push(
        capofila && b.ranking_stage === 'provisional'
          ? {
              kind: 'todo',
              text: `${text} Dopo le opposizioni, pubblicare la definitiva.`,
              href: hashOf('graduatoria'),
              action: 'Vai alla graduatoria',
            }
          : { kind: 'ok', text },
      );
    }
  }
  return items;
}
