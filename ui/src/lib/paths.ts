// File names the window proposes: inside the documents folder the app reports, with the
// system's separator, never with characters a file system refuses.

/** `dir` + `name`, with exactly one separator between them. */
export function joinPath(dir: string, separator: string, name: string): string {
  const trimmed = dir.endsWith(separator) ? dir.slice(0, -separator.length) : dir;
  return `${trimmed}${separator}${name}`;
}

/** The last part of a path, whichever separator it uses. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

/** Text made safe as part of a file name: `2026/0000001` → `2026-0000001`. */
export function safeFileName(text: string): string {
  return text.replace(/[\\/:*?"<>|\s]+/g, '-').replace(/^-+|-+$/g, '');
}
