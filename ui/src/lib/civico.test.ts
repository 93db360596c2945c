import { describe, expect, it } from 'vitest';
import { callStateLabel, gridMove, monthGrid, monthLabel, monthsBetween, readHours, step } from './civico';

describe('monthGrid', () => {
  it('starts on Monday and holds every day once', () => {
    // 1 June 2026 is a Monday; 1 November 2026 a Sunday.
    const june = monthGrid('2026-06');
    expect(june[0]![0]).toEqual({ day: '2026-06-01', date: 1, weekday: 0 });
    expect(june.flat().filter((c) => c !== null)).toHaveLength(30);
    const november = monthGrid('2026-11');
    expect(november[0]!.slice(0, 6)).toEqual([null, null, null, null, null, null]);
    expect(november[0]![6]).toEqual({ day: '2026-11-01', date: 1, weekday: 6 });
    expect(november.every((week) => week.length === 7)).toBe(true);
  });

  it('knows February of a leap year', () => {
    expect(monthGrid('2028-02').flat().filter((c) => c !== null)).toHaveLength(29);
    expect(monthGrid('2027-02').flat().filter((c) => c !== null)).toHaveLength(28);
  });
});

describe('monthsBetween', () => {
  it('lists the months of a project across a year', () => {
    expect(monthsBetween('2026-11-15', '2027-02-14')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsBetween('2026-06-01', '2026-06-30')).toEqual(['2026-06']);
  });
});

describe('gridMove', () => {
  it('moves a day with left and right and a week with up and down, within the month', () => {
    expect(gridMove(0, 'ArrowRight', 30)).toBe(1);
    expect(gridMove(0, 'ArrowLeft', 30)).toBeNull();
    expect(gridMove(3, 'ArrowDown', 30)).toBe(10);
    expect(gridMove(3, 'ArrowUp', 30)).toBeNull();
    expect(gridMove(25, 'ArrowDown', 30)).toBeNull();
    expect(gridMove(5, 'Tab', 30)).toBeNull();
  });
});

describe('readHours', () => {
  it('reads a comma or a dot, empty as none, and refuses the rest', () => {
    expect(readHours('3,5')).toBe(3.5);
    expect(readHours(' 4 ')).toBe(4);
    expect(readHours('')).toBe(0);
    expect(readHours('tre')).toBeNull();
    expect(readHours('-1')).toBeNull();
  });
});

describe('labels', () => {
  it('name states and steps in Italian, the month too', () => {
    expect(callStateLabel('IN_SERVIZIO')).toBe('In servizio');
    expect(step('ended').note?.required).toBe(true);
    expect(step('called').action).toBe('Chiama');
    expect(monthLabel('2026-06')).toBe('giugno 2026');
  });
});
