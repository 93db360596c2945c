// The screens of the window, in sidebar order, and how a location hash maps to one of them.
import type { Role } from './bindings';

export type ScreenId =
  | 'home'
  | 'domande'
  | 'nuova-domanda'
  | 'domanda'
  | 'correggi-domanda'
  | 'opposizioni'
  | 'civico'
  | 'civico-progetto'
  | 'civico-presenze'
  | 'civico-pagamenti'
  | 'civico-reclami'
  | 'civico-comuni'
  | 'sportello'
  | 'sportello-istruttorie'
  | 'sportello-servizi'
  | 'sportello-statistiche'
  | 'accreditamento'
  | 'registro-enti'
  | 'verifica-attestato'
  | 'monitoraggio'
  | 'monitoraggio-schede'
  | 'invio-siuss'
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
  { id: 'opposizioni', path: 'opposizioni', label: 'Opposizioni', roles: FRONT_OFFICE },
  { id: 'civico', path: 'civico', label: 'Servizio civico', roles: FRONT_OFFICE },
  {
    id: 'civico-progetto',
    // `civico/<codice domanda>/progetto`.
    path: 'civico/:codice/progetto',
    label: 'Progetto individualizzato',
    parent: 'civico',
    roles: FRONT_OFFICE,
  },
  {
    id: 'civico-presenze',
    // `civico/<codice domanda>/presenze`.
    path: 'civico/:codice/presenze',
    label: 'Presenze',
    parent: 'civico',
    roles: FRONT_OFFICE,
  },
  { id: 'civico-pagamenti', path: 'civico/pagamenti', label: 'Pagamenti', parent: 'civico', roles: FRONT_OFFICE },
  { id: 'civico-reclami', path: 'civico/reclami', label: 'Reclami', parent: 'civico', roles: FRONT_OFFICE },
  {
    id: 'civico-comuni',
    path: 'civico/comuni',
    label: 'Chiamate dei comuni',
    parent: 'civico',
    capofilaOnly: true,
    roles: FRONT_OFFICE,
  },
  { id: 'sportello', path: 'sportello', label: 'Sportello', roles: FRONT_OFFICE },
  {
    id: 'sportello-istruttorie',
    path: 'sportello/istruttorie',
    label: 'Istruttorie',
    parent: 'sportello',
    roles: FRONT_OFFICE,
  },
  { id: 'sportello-servizi', path: 'sportello/servizi', label: 'Mappa dei servizi', parent: 'sportello', roles: FRONT_OFFICE },
  {
    id: 'sportello-statistiche',
    path: 'sportello/statistiche',
    label: 'Statistiche dello sportello',
    parent: 'sportello',
    roles: FRONT_OFFICE,
  },
  {
    id: 'accreditamento',
    path: 'accreditamento',
    label: 'Accreditamento',
    capofilaOnly: true,
    roles: MANAGERS,
  },
  { id: 'registro-enti', path: 'enti-accreditati', label: 'Enti accreditati' },
  {
    id: 'verifica-attestato',
    path: 'enti-accreditati/verifica',
    label: 'Verifica attestato',
    parent: 'registro-enti',
  },
  // The indicators are for every role (figures, never people); the forms are filled by the
  // managers of the actions and read by everyone; the SIUSS flow carries personal data.
  { id: 'monitoraggio', path: 'monitoraggio', label: 'Monitoraggio' },
  {
    id: 'monitoraggio-schede',
    path: 'monitoraggio/schede',
    label: 'Schede di monitoraggio',
    parent: 'monitoraggio',
  },
  { id: 'invio-siuss', path: 'monitoraggio/siuss', label: 'Invio SIUSS', parent: 'monitoraggio', roles: MANAGERS },
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
  const parts = path.split('/').map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return '';
    }
  });
  for (const screen of screens) {
    const pattern = screen.path.split('/');
    if (!pattern.includes(':codice') || pattern.length !== parts.length) continue;
    let code: string | null = null;
    const matches = pattern.every((segment, i) => {
      if (segment !== ':codice') return segment === parts[i];
      code = parts[i] ?? '';
      return APPLICATION_CODE.test(code);
    });
    if (matches) return { screen: screen.id, code };
  }
  return null;
}

/** The address of a screen about one application (`domanda`, `correggi-domanda`, the project
 * and attendance of a participant). */
export function hashWithCode(id: ScreenId, code: string): string {
  const screen = screens.find((candidate) => candidate.id === id);
  return `#/${(screen?.path ?? '').replace(':codice', encodeURIComponent(code))}`;
}

/** The address of one application's screen. */
export function hashOfApplication(code: string): string {
  return hashWithCode('domanda', code);
}

/** The address of the correction of one application. */
export function hashOfCorrection(code: string): string {
  return hashWithCode('correggi-domanda', code);
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
