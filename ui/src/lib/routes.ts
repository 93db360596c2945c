// The screens of the window, in sidebar order, and how a location hash maps to one of them.

export type ScreenId =
  | 'home'
  | 'domande'
  | 'nuova-domanda'
  | 'sincronizzazione'
  | 'graduatoria'
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
}

export const screens: readonly Screen[] = [
  { id: 'home', path: '', label: 'Home' },
  { id: 'domande', path: 'domande', label: 'Domande' },
  { id: 'nuova-domanda', path: 'domande/nuova', label: 'Nuova domanda', parent: 'domande' },
  { id: 'sincronizzazione', path: 'sincronizzazione', label: 'Sincronizzazione' },
  { id: 'graduatoria', path: 'graduatoria', label: 'Graduatoria', capofilaOnly: true },
  { id: 'impostazioni', path: 'impostazioni', label: 'Impostazioni' },
];

export const defaultScreen: ScreenId = 'home';

/** `#/domande/` → the screen at `domande`; an empty hash is the home screen; `null` if unknown. */
export function screenFromHash(hash: string): ScreenId | null {
  const path = hash.replace(/^#?\/?/, '').replace(/\/+$/, '');
  return screens.find((screen) => screen.path === path)?.id ?? null;
}

export function hashOf(id: ScreenId): string {
  const screen = screens.find((candidate) => candidate.id === id);
  return `#/${screen?.path ?? ''}`;
}

/** The sidebar's entries for this install: no sub-screens, capofila screens at the capofila. */
export function sidebarScreens(isCapofila: boolean): Screen[] {
  return screens.filter((s) => s.parent === undefined && (isCapofila || !s.capofilaOnly));
}

/** The sidebar entry to mark as current while `id` is shown. */
export function sidebarCurrent(id: ScreenId): ScreenId {
  return screens.find((s) => s.id === id)?.parent ?? id;
}
