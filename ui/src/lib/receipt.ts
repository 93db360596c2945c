// Saving an application's receipt: the operator chooses where, the app writes the PDF, the
// window opens it. One flow for the list and the application's own screen.
import { openDocument, printReceipt } from './api';
import { PDF_FILTER, chooseSaveFile } from './dialogs';
import { safeFileName } from './paths';
import { session } from './session.svelte';

/** The path the receipt was saved to, or `null` when the operator cancelled the dialog. */
export async function saveReceipt(applicationCode: string, caseNumber: string): Promise<string | null> {
  const out = await chooseSaveFile(
    'Salva la ricevuta',
    session.proposedPath(`ricevuta-${safeFileName(caseNumber)}.pdf`),
    [PDF_FILTER],
  );
  if (!out) return null;
  const saved = await printReceipt(applicationCode, out);
  await openDocument(saved);
  return saved;
}
