import { describe, expect, it } from 'vitest';
import { PAGE, countText, moreText } from './listFilter';

describe('countText', () => {
  it('says how many applications, one or many', () => {
    expect(countText(1, 1)).toBe('1 domanda');
    expect(countText(60, 60)).toBe('60 domande');
    expect(countText(0, 0)).toBe('0 domande');
  });

  it('says of how many when the outcome narrows the search', () => {
    expect(countText(12, 60)).toBe('12 domande su 60');
    expect(countText(1, 15)).toBe('1 domanda su 15');
    expect(countText(1200, 15000)).toBe('1.200 domande su 15.000');
  });
});

describe('moreText', () => {
  it('offers the next page while rows are left, never more than a page', () => {
    expect(moreText(PAGE, 15000)).toBe(`Carica altre ${PAGE}, mostrate ${PAGE} di 15.000`);
    expect(moreText(100, 130)).toBe('Carica altre 30, mostrate 100 di 130');
    expect(moreText(100, 101)).toBe("Carica l'ultima, mostrate 100 di 101");
  });

  it('offers nothing once every row is shown', () => {
    expect(moreText(60, 60)).toBeNull();
    expect(moreText(0, 0)).toBeNull();
  });
});
