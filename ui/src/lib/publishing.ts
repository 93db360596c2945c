// What the publish confirmation says changes against the last published version.
import type { PublishChanges, RowChange } from './api';
import { outcomeLabel, stageLabel } from './labels';

function codes(list: readonly string[]): string {
  return list.length > 6 ? `${list.slice(0, 6).join(', ')} e altre ${list.length - 6}` : list.join(', ');
}

function place(position: number | null): string {
  return position === null ? '—' : `${position}ª`;
}

function moves(rows: readonly RowChange[], withOutcome: boolean): string {
  const shown = rows.slice(0, 6).map((r) =>
    withOutcome
      ? `${r.application_code} (${outcomeLabel(r.from_outcome).toLowerCase()} → ${outcomeLabel(r.to_outcome).toLowerCase()})`
      : `${r.application_code} (${place(r.from_position)} → ${place(r.to_position)})`,
  );
  return rows.length > 6 ? `${shown.join(', ')} e altre ${rows.length - 6}` : shown.join(', ');
}

/** One line per kind of change, in the coordinatore's words; the first says against what. */
export function changesSummary(c: PublishChanges): string[] {
  if (c.against_number === null || c.against_stage === null) {
    return [`Prima pubblicazione del bando: ${c.rows} domande in graduatoria.`];
  }
  const lines = [
    `Rispetto alla graduatoria ${stageLabel(c.against_stage)} n. ${c.against_number}: ${c.rows} domande in graduatoria.`,
  ];
  if (c.added.length > 0) lines.push(`Domande nuove (${c.added.length}): ${codes(c.added)}.`);
  if (c.removed.length > 0) lines.push(`Domande non più in graduatoria (${c.removed.length}): ${codes(c.removed)}.`);
  if (c.withdrawn.length > 0) lines.push(`Per rinuncia del richiedente (${c.withdrawn.length}): ${codes(c.withdrawn)}.`);
  if (c.outcome_changed.length > 0)
    lines.push(`Esito cambiato (${c.outcome_changed.length}): ${moves(c.outcome_changed, true)}.`);
  if (c.moved.length > 0) lines.push(`Posizione cambiata (${c.moved.length}): ${moves(c.moved, false)}.`);
  if (c.corrected.length > 0)
    lines.push(`Corrette dopo l'ultima pubblicazione (${c.corrected.length}): ${codes(c.corrected)}.`);
  if (c.late.length > 0) lines.push(`Presentate dopo la chiusura del bando (${c.late.length}): ${codes(c.late)}.`);
  if (c.objections_pending.length > 0)
    lines.push(
      `Opposizioni da decidere o da applicare (${c.objections_pending.length}): ${codes(c.objections_pending)}; la graduatoria definitiva le attende.`,
    );
  if (lines.length === 1) lines.push('Nessuna differenza: la nuova versione sarebbe uguale.');
  return lines;
}
