import { describe, expect, it } from 'vitest';
import { backupFileName, readableSize } from './backup';

describe('backup', () => {
  it('names a backup by comune and day, zero-padded', () => {
    expect(backupFileName('089009', new Date(2026, 0, 5))).toBe('sportello-089009-2026-01-05.backup');
    expect(backupFileName('089017', new Date(2026, 11, 31))).toBe('sportello-089017-2026-12-31.backup');
  });

  it('says sizes in KB up to a megabyte, then MB with a decimal comma', () => {
    expect(readableSize(10)).toBe('1 KB');
    expect(readableSize(296355)).toBe('289 KB');
    expect(readableSize(13 * 1024 * 1024 + 400 * 1024)).toBe('13,4 MB');
  });
});
