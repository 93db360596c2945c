// What the Backup card says: the proposed file name and the size of a backup written.

/** `sportello-089009-2026-12-01.backup`: the comune and the day, so backups sort by date. */
export function backupFileName(comune: string, today: Date): string {
  const day = [
    today.getFullYear(),
    String(today.getMonth() + 1).padStart(2, '0'),
    String(today.getDate()).padStart(2, '0'),
  ].join('-');
  return `sportello-${comune}-${day}.backup`;
}

/** A size as a clerk reads it: `850 KB`, `12,4 MB`. */
export function readableSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} MB`;
}
