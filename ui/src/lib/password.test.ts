import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_CHARS, passwordProblem, repetitionProblem } from './password';

describe('passwordProblem', () => {
  it('wants at least ten characters', () => {
    expect(MIN_PASSWORD_CHARS).toBe(10);
    expect(passwordProblem('')).toBe('la password deve avere almeno 10 caratteri');
    expect(passwordProblem('123456789')).toBe('la password deve avere almeno 10 caratteri');
    expect(passwordProblem('1234567890')).toBeNull();
  });

  it('counts characters, not UTF-16 units, as the app does', () => {
    expect(passwordProblem('è'.repeat(9))).not.toBeNull();
    expect(passwordProblem('😀'.repeat(9))).not.toBeNull();
    expect(passwordProblem('😀'.repeat(10))).toBeNull();
  });

  it('refuses spaces at either end, not inside', () => {
    const message = 'la password non può iniziare o finire con uno spazio';
    expect(passwordProblem(' spazio davanti')).toBe(message);
    expect(passwordProblem('spazio dietro ')).toBe(message);
    expect(passwordProblem('spazio in mezzo')).toBeNull();
  });
});

describe('repetitionProblem', () => {
  it('says nothing until the repetition is typed, then whether it matches', () => {
    expect(repetitionProblem('una password', '')).toBeNull();
    expect(repetitionProblem('una password', 'una passwor')).toBe('le due password sono diverse');
    expect(repetitionProblem('una password', 'una password')).toBeNull();
  });
});
