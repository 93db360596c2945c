import { describe, expect, it } from 'vitest';
import { hashOf, screenFromHash, screens } from './routes';

describe('screenFromHash', () => {
  it('opens the home screen on an empty or root hash', () => {
    expect(screenFromHash('')).toBe('home');
    expect(screenFromHash('#')).toBe('home');
    expect(screenFromHash('#/')).toBe('home');
  });

  it('finds every screen from its own hash, with or without a trailing slash', () => {
    for (const screen of screens) {
      expect(screenFromHash(hashOf(screen.id))).toBe(screen.id);
      expect(screenFromHash(`${hashOf(screen.id)}/`)).toBe(screen.id);
    }
  });

  it('knows no screen at an unknown path', () => {
    expect(screenFromHash('#/non-esiste')).toBeNull();
    expect(screenFromHash('#contenuto')).toBeNull();
  });
});

describe('screens', () => {
  it('have distinct ids and paths', () => {
    expect(new Set(screens.map((s) => s.id)).size).toBe(screens.length);
    expect(new Set(screens.map((s) => s.path)).size).toBe(screens.length);
  });
});
