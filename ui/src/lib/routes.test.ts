import { describe, expect, it } from 'vitest';
import { hashOf, hashOfApplication, hashOfCorrection, hashWithCode, routeFromHash, screenFromHash, screenShown, screens, sidebarCurrent, sidebarScreens } from './routes';

describe('screenFromHash', () => {
  it('opens the home screen on an empty or root hash', () => {
    expect(screenFromHash('')).toBe('home');
    expect(screenFromHash('#')).toBe('home');
    expect(screenFromHash('#/')).toBe('home');
  });

  it('finds every screen from its own hash, with or without a trailing slash', () => {
    for (const screen of screens.filter((s) => !s.path.includes(':'))) {
      expect(screenFromHash(hashOf(screen.id))).toBe(screen.id);
      expect(screenFromHash(`${hashOf(screen.id)}/`)).toBe(screen.id);
    }
  });

  it('knows a sub-screen by its full path', () => {
    expect(screenFromHash('#/domande/nuova')).toBe('nuova-domanda');
    expect(screenFromHash('#/domande')).toBe('domande');
  });

  it('opens one application from its code, and only from a well-formed one', () => {
    expect(routeFromHash(hashOfApplication('WD9YV-R9EAY'))).toEqual({ screen: 'domanda', code: 'WD9YV-R9EAY' });
    expect(routeFromHash('#/domande/WD9YV-R9EAY/')).toEqual({ screen: 'domanda', code: 'WD9YV-R9EAY' });
    expect(routeFromHash('#/domande/nuova')).toEqual({ screen: 'nuova-domanda', code: null });
    expect(routeFromHash('#/domande/WD9YV-R9EA0')).toBeNull();
    expect(routeFromHash('#/domande/qualcosa')).toBeNull();
    expect(routeFromHash(hashOfCorrection('WD9YV-R9EAY'))).toEqual({ screen: 'correggi-domanda', code: 'WD9YV-R9EAY' });
    expect(routeFromHash('#/domande/WD9YV-R9EAY/altro')).toBeNull();
  });

  it("opens a participant's project and attendance from the application code", () => {
    expect(routeFromHash(hashWithCode('civico-progetto', 'WD9YV-R9EAY'))).toEqual({
      screen: 'civico-progetto',
      code: 'WD9YV-R9EAY',
    });
    expect(routeFromHash('#/civico/WD9YV-R9EAY/presenze/')).toEqual({ screen: 'civico-presenze', code: 'WD9YV-R9EAY' });
    expect(routeFromHash('#/civico/pagamenti')).toEqual({ screen: 'civico-pagamenti', code: null });
    expect(routeFromHash('#/civico/WD9YV-R9EA0/progetto')).toBeNull();
    expect(routeFromHash('#/civico/WD9YV-R9EAY')).toBeNull();
    expect(routeFromHash('#/domande/%E0%A4%A/progetto')).toBeNull();
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

describe('sidebarScreens', () => {
  it('offers the ranking only at the capofila', () => {
    const comune = sidebarScreens(false, 'responsabile').map((s) => s.id);
    const capofila = sidebarScreens(true, 'coordinatore').map((s) => s.id);
    expect(comune).toEqual([
      'home',
      'domande',
      'opposizioni',
      'civico',
      'sportello',
      'registro-enti',
      'monitoraggio',
      'sincronizzazione',
      'attivita',
      'impostazioni',
    ]);
    expect(capofila).toEqual([
      'home',
      'domande',
      'opposizioni',
      'civico',
      'sportello',
      'accreditamento',
      'registro-enti',
      'monitoraggio',
      'sincronizzazione',
      'graduatoria',
      'attivita',
      'impostazioni',
    ]);
  });

  it("offers each role the screens of its work", () => {
    const desk = ['home', 'domande', 'opposizioni', 'civico', 'sportello', 'registro-enti', 'monitoraggio'];
    expect(sidebarScreens(false, 'operatore').map((s) => s.id)).toEqual(desk);
    expect(sidebarScreens(true, 'operatore').map((s) => s.id)).toEqual(desk);
    expect(sidebarScreens(false, 'revisore').map((s) => s.id)).toEqual(['home', 'registro-enti', 'monitoraggio', 'attivita']);
    expect(sidebarScreens(true, 'revisore').map((s) => s.id)).toEqual(['home', 'registro-enti', 'monitoraggio', 'graduatoria', 'attivita']);
  });

  it('knows the sub-screens a role may reach', () => {
    expect(screenShown('nuova-domanda', false, 'operatore')).toBe(true);
    expect(screenShown('nuova-domanda', false, 'revisore')).toBe(false);
    expect(screenShown('graduatoria', false, 'coordinatore')).toBe(false);
  });

  it('opens the front office to the roles at the desk, its pages under it', () => {
    expect(screenFromHash('#/sportello/istruttorie')).toBe('sportello-istruttorie');
    expect(sidebarCurrent('sportello-statistiche')).toBe('sportello');
    expect(screenShown('sportello-servizi', false, 'operatore')).toBe(true);
    expect(screenShown('sportello', true, 'revisore')).toBe(false);
  });

  it('offers the audit trail to the roles that may read it, at every install', () => {
    for (const capofila of [false, true]) {
      expect(screenShown('attivita', capofila, 'responsabile')).toBe(true);
      expect(screenShown('attivita', capofila, 'revisore')).toBe(true);
      expect(screenShown('attivita', capofila, 'operatore')).toBe(false);
    }
    expect(screenShown('attivita', true, 'coordinatore')).toBe(true);
    expect(screenFromHash('#/attivita')).toBe('attivita');
    expect(screens.find((s) => s.id === 'attivita')?.label).toBe('Attività');
  });

  it('offers the accreditation at the capofila, the register and its verification everywhere', () => {
    expect(screenShown('accreditamento', true, 'coordinatore')).toBe(true);
    expect(screenShown('accreditamento', true, 'operatore')).toBe(false);
    expect(screenShown('accreditamento', false, 'coordinatore')).toBe(false);
    expect(screenShown('registro-enti', false, 'operatore')).toBe(true);
    expect(screenFromHash('#/enti-accreditati/verifica')).toBe('verifica-attestato');
    expect(sidebarCurrent('verifica-attestato')).toBe('registro-enti');
  });

  it('offers the indicators and the forms to every role, the SIUSS flow to the managers', () => {
    for (const capofila of [false, true]) {
      for (const role of ['operatore', 'responsabile', 'coordinatore', 'revisore'] as const) {
        expect(screenShown('monitoraggio', capofila, role)).toBe(true);
        expect(screenShown('monitoraggio-schede', capofila, role)).toBe(true);
      }
      expect(screenShown('invio-siuss', capofila, 'responsabile')).toBe(true);
      expect(screenShown('invio-siuss', capofila, 'operatore')).toBe(false);
      expect(screenShown('invio-siuss', capofila, 'revisore')).toBe(false);
    }
    expect(screenFromHash('#/monitoraggio/schede')).toBe('monitoraggio-schede');
    expect(sidebarCurrent('invio-siuss')).toBe('monitoraggio');
  });

  it('marks the parent of a sub-screen as current', () => {
    expect(sidebarCurrent('nuova-domanda')).toBe('domande');
    expect(sidebarCurrent('graduatoria')).toBe('graduatoria');
  });
});
