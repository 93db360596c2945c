// The screens the sidebar offers, in order, and how a location hash maps to one of them. A screen
// joins this list when its commands exist (Domande, Sincronizzazione, Graduatoria, Impostazioni).

export type ScreenId = 'home';

export interface Screen {
  id: ScreenId;
  /** The hash path, `#/` + this. */
  path: string;
  /** Sidebar label, Italian. */
  label: string;
}

export const screens: readonly Screen[] = [{ id: 'home', path: '', label: 'Home' }];

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
