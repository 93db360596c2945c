// The window's keyboard: which key does what, and when. Pure, so that it is tested without a
// window; App.svelte and the new-application form only act on the answers.

/** The parts of a keydown the decisions need. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/** What the focused element is, as far as keys are concerned. */
export type Target =
  /** A one-line text field (text, email, tel, number…). */
  | 'text'
  /** A multi-line text field: Enter writes a new line. */
  | 'textarea'
  | 'checkbox'
  | 'select'
  /** A button or a link: Enter presses it. */
  | 'button'
  /** Anything else (the page, a heading). */
  | 'other';

const TEXT_INPUTS = new Set(['text', 'search', 'email', 'tel', 'url', 'number', 'password', 'date', '']);

/** What kind of `Target` an element is, from its tag, its type and whether it is editable. */
export function targetKind(tag: string, type: string | null, editable = false): Target {
  switch (tag.toLowerCase()) {
    case 'textarea':
      return 'textarea';
    case 'select':
      return 'select';
    case 'button':
    case 'a':
    case 'summary':
      return 'button';
    case 'input': {
      const t = (type ?? '').toLowerCase();
      if (t === 'checkbox' || t === 'radio') return 'checkbox';
      if (t === 'button' || t === 'submit' || t === 'reset' || t === 'file') return 'button';
      return TEXT_INPUTS.has(t) ? 'text' : 'other';
    }
    default:
      return editable ? 'text' : 'other';
  }
}

/** Ctrl on Linux and Windows, ⌘ on a Mac. */
const command = (k: KeyPress) => (k.ctrlKey || k.metaKey) && !k.altKey;

/** The window's shortcuts. */
export type Shortcut = 'new-application' | 'search' | 'help';

/** What the window knows when a key is pressed. */
export interface WindowState {
  /** Someone is logged in and the window shows its screens. */
  loggedIn: boolean;
  /** The operator's role may file applications (the «Nuova domanda» screen is offered). */
  mayFile: boolean;
  /** The operator's role sees the list of applications. */
  maySearch: boolean;
  /** A dialog is open: its keys are its own. */
  dialogOpen: boolean;
}

/**
 * The shortcut a key press asks for, or `null`: Ctrl+N a new application, Ctrl+F the search of
 * Domande (both also from inside a field), F1 or `?` the list of shortcuts (`?` only when not
 * typing in a field, where it is a character).
 */
export function shortcutFor(k: KeyPress, target: Target, state: WindowState): Shortcut | null {
  if (!state.loggedIn || state.dialogOpen) return null;
  const key = k.key.toLowerCase();
  if (command(k) && !k.shiftKey && key === 'n') return state.mayFile ? 'new-application' : null;
  if (command(k) && !k.shiftKey && key === 'f') return state.maySearch ? 'search' : null;
  if (k.key === 'F1' && !k.ctrlKey && !k.metaKey && !k.altKey) return 'help';
  const typing = target === 'text' || target === 'textarea' || target === 'select';
  if (k.key === '?' && !k.ctrlKey && !k.metaKey && !k.altKey && !typing) return 'help';
  return null;
}

/** What a key does inside the new-application form. */
export type FormKey = 'save' | 'next' | null;

/**
 * Ctrl+Enter saves from anywhere in the form; Enter in a one-line field (or on a checkbox, where
 * the browser would otherwise send the form) moves to the next field, like Tab, and never sends
 * the form. Elsewhere a key keeps its usual effect (`null`): Enter presses a button, opens a
 * select, writes a new line in a text area.
 */
export function formKey(k: KeyPress, target: Target): FormKey {
  if (k.key !== 'Enter' || k.altKey) return null;
  if (k.ctrlKey || k.metaKey) return 'save';
  if (k.shiftKey) return null;
  return target === 'text' || target === 'checkbox' ? 'next' : null;
}

/** The field after `current` in `fields` (in page order), or `null` when it is the last one. */
export function nextField<T>(fields: readonly T[], current: T): T | null {
  const at = fields.indexOf(current);
  return at >= 0 && at + 1 < fields.length ? fields[at + 1]! : null;
}

/** The list the help dialog shows, in Italian. */
export const SHORTCUT_LIST: readonly { keys: string; what: string }[] = [
  { keys: 'Ctrl+N', what: 'Nuova domanda' },
  { keys: 'Ctrl+F', what: 'Cerca tra le domande' },
  { keys: 'Invio', what: 'Nel modulo della domanda: passa al campo successivo' },
  { keys: 'Ctrl+Invio', what: 'Nel modulo della domanda: registra la domanda' },
  { keys: 'F1 oppure ?', what: 'Questo elenco delle scorciatoie' },
  { keys: 'Esc', what: 'Chiude questo elenco' },
];
