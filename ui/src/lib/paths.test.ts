import { describe, expect, it } from 'vitest';
import { baseName, joinPath, safeFileName } from './paths';

describe('joinPath', () => {
  it('puts one separator between folder and name', () => {
    expect(joinPath('/home/op/Sportello', '/', 'a.pdf')).toBe('/home/op/Sportello/a.pdf');
    expect(joinPath('/home/op/Sportello/', '/', 'a.pdf')).toBe('/home/op/Sportello/a.pdf');
    expect(joinPath('C:\\Utenti\\op', '\\', 'a.pdf')).toBe('C:\\Utenti\\op\\a.pdf');
  });
});

describe('baseName', () => {
  it('keeps the file name of Unix and Windows paths', () => {
    expect(baseName('/tmp/posta/D48-up-000001.sportello')).toBe('D48-up-000001.sportello');
    expect(baseName('C:\\posta\\b.sportello')).toBe('b.sportello');
    expect(baseName('solo-nome')).toBe('solo-nome');
  });
});

describe('safeFileName', () => {
  it('replaces characters file systems refuse', () => {
    expect(safeFileName('2026/0000001')).toBe('2026-0000001');
    expect(safeFileName('SC 2026: "prova"')).toBe('SC-2026-prova');
  });
});
