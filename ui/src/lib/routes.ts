// The screens of the window, in sidebar order, and how a location hash maps to one of them.
import type { Role } from './bindings';

export type ScreenId =
  | 'home'
  | 'domande'
  | 'nuova-domanda'
  | 'domanda'
  | 'correggi-domanda'
  | 'sincronizzazione'
  | 'graduatoria'
  | 'attivita'
  | 'impostazioni';

export interface Screen {
  id: ScreenId;
  /** The hash path, `#/` + this. */
  path: string;
  /** Sidebar label and window heading, Italian. */
  label: string;
  /** A screen reached from another one (the sidebar marks that one as current). */
  parent?: ScreenId;
  /** Shown only at the capofila. */
  capofilaOnly?: boolean;
  /** Shown only to these roles (to every role when absent). The app decides what each role may
   * do (`sportello_domain::roles`); this only spares an operator screens it would refuse. */
  roles?: readonly Role[];
}

/** Who files and reads applications with their personal data. */
const FRONT_OFFICE: readonly Role[] = ['operatore', 'responsabile', 'coordinatore'];
/** Who exchanges bundles and manages the install's keys. */
const MANAGERS: readonly Role[] = ['responsabile', 'coordinatore'];
/** Who reads the rankings and the audit trail: the managers and the revisore. */
const REVIEWERS: readonly Role[] = ['responsabile', 'coordinatore', 'revisore'];

export const screens: readonly Screen[] = [
  { id: 'home', path: '', label: 'Home' },
  { id: 'domande', path: 'domande', label: 'Domande', roles: FRONT_OFFICE },
  {
    id: 'nuova-domanda',
    path: 'domande/nuova',
    label: 'Nuova domanda',
    parent: 'domande',
    roles: FRONT_OFFICE,
  },
  {
    id: 'domanda',
    // `domande/<codice domanda>`: the application is the route's parameter.
    path: 'domande/:codice',
    label: 'Domanda',
    parent: 'domande',
    roles: FRONT_OFFICE,
  },
  {
    id: 'correggi-domanda',
    // `domande/<codice domanda>/correggi`.
    path: 'domande/:codice/correggi',
    label: 'Correzione della domanda',
    parent: 'domande',
    roles: MANAGERS,
  },
  { id: 'sincronizzazione', path: 'sincronizzazione', label: 'Sincronizzazione', roles: MANAGERS },
  {
    id: 'graduatoria',
    path: 'graduatoria',
    label: 'Graduatoria',
    capofilaOnly: true,
    roles: REVIEWERS,
  },
  { id: 'attivita', path: 'attivita', label: 'Attività', roles: REVIEWERS },
  { id: 'impostazioni', path: 'impostazioni', label: 'Impostazioni', roles: MANAGERS },
];

export const defaultScreen: ScreenId = 'home';

/** An application code as the app makes it (`ABCDE-23456`). */
const APPLICATION_CODE = /^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/;

/** `#/domande/` → the screen at `domande`; an empty hash is the home screen; `null` if unknown. */
export function screenFromHash(hash: string): ScreenId | null {
  return routeFromHash(hash)?.screen ?? null;
}

/** The screen of a hash and its parameter (the application code of `#/domande/<codice>`). */
export function routeFromHash(hash: string): { screen: ScreenId; code: string | null } | null {
  const path = hash.replace(/^#?\/?/, '').replace(/\/+$/, '');
  const found = screens.find((screen) => screen.path === path);
  if (found) return { screen: found.id, code: null };
  const rest = path.startsWith('domande/') ? decodeURIComponent(path.slice('domande/'.length)) : '';
  const [code = '', action] = rest.split('/');
  if (!APPLICATION_CODE.test(code)) return null;
  if (action === undefined) return { screen: 'domanda', code };
  return action === 'correggi' ? { screen: 'correggi-domanda', code } : null;
}

/** The address of one application's screen. */
export function hashOfApplication(code: string): string {
  return `#/domande/${encodeURIComponent(code)}`;
}

/** The address of the correction of one application. */
export function hashOfCorrection(code: string): string {
  return `${hashOfApplication(code)}/correggi`;
}

export function hashOf(id: ScreenId): string {
  const screen = screens.find((candidate) => candidate.id === id);
  return `#/${screen?.path ?? ''}`;
}

/** Whether the screen `id` is offered at this install to an operator with `role`. */
export function screenShown(id: ScreenId, isCapofila: boolean, role: Role): boolean {
  const screen = screens.find((s) => s.id === id);
  return (
    screen !== undefined &&
    (isCapofila || !screen.capofilaOnly) &&
    (screen.roles === undefined || screen.roles.includes(role))
  );
}

/** The sidebar's entries for this install and role: no sub-screens, capofila screens at the
 * capofila, each role's own. */
export function sidebarScreens(isCapofila: boolean, role: Role): Screen[] {
  return screens.filter((s) => s.parent === undefined && screenShown(s.id, isCapofila, role));
}

/** The sidebar entry to mark as current while `id` is shown. */
export function sidebarCurrent(id: ScreenId): ScreenId {
  return screens.find((s) => s.id === id)?.parent ?? id;
}
