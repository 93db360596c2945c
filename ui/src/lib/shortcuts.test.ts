import { describe, expect, it } from 'vitest';
import { formKey, nextField, shortcutFor, targetKind, type KeyPress, type WindowState } from './shortcuts';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});
const operator: WindowState = { loggedIn: true, mayFile: true, maySearch: true, dialogOpen: false };

describe('targetKind', () => {
  it('tells fields, check boxes, selects and buttons apart', () => {
    expect(targetKind('INPUT', 'text')).toBe('text');
    expect(targetKind('input', null)).toBe('text');
    expect(targetKind('input', 'email')).toBe('text');
    expect(targetKind('input', 'checkbox')).toBe('checkbox');
    expect(targetKind('input', 'submit')).toBe('button');
    expect(targetKind('TEXTAREA', null)).toBe('textarea');
    expect(targetKind('SELECT', null)).toBe('select');
    expect(targetKind('BUTTON', 'button')).toBe('button');
    expect(targetKind('A', null)).toBe('button');
    expect(targetKind('MAIN', null)).toBe('other');
    expect(targetKind('DIV', null, true)).toBe('text');
  });
});

describe('shortcutFor', () => {
  it('opens a new application and the search with Ctrl, also from a field', () => {
    expect(shortcutFor(press('n', { ctrlKey: true }), 'other', operator)).toBe('new-application');
    expect(shortcutFor(press('N', { ctrlKey: true }), 'text', operator)).toBe('new-application');
    expect(shortcutFor(press('f', { ctrlKey: true }), 'text', operator)).toBe('search');
    expect(shortcutFor(press('f', { metaKey: true }), 'other', operator)).toBe('search');
  });

  it('leaves other combinations alone', () => {
    expect(shortcutFor(press('n'), 'other', operator)).toBeNull();
    expect(shortcutFor(press('n', { ctrlKey: true, shiftKey: true }), 'other', operator)).toBeNull();
    expect(shortcutFor(press('n', { ctrlKey: true, altKey: true }), 'other', operator)).toBeNull();
    expect(shortcutFor(press('a', { ctrlKey: true }), 'text', operator)).toBeNull();
  });

  it('offers only what the role may do', () => {
    const revisore = { ...operator, mayFile: false, maySearch: false };
    expect(shortcutFor(press('n', { ctrlKey: true }), 'other', revisore)).toBeNull();
    expect(shortcutFor(press('f', { ctrlKey: true }), 'other', revisore)).toBeNull();
    expect(shortcutFor(press('F1'), 'other', revisore)).toBe('help');
  });

  it('opens the help with F1 anywhere, with ? only when not typing', () => {
    expect(shortcutFor(press('F1'), 'text', operator)).toBe('help');
    expect(shortcutFor(press('?', { shiftKey: true }), 'other', operator)).toBe('help');
    expect(shortcutFor(press('?', { shiftKey: true }), 'button', operator)).toBe('help');
    expect(shortcutFor(press('?', { shiftKey: true }), 'text', operator)).toBeNull();
    expect(shortcutFor(press('?', { shiftKey: true }), 'textarea', operator)).toBeNull();
  });

  it('does nothing before login or while a dialog is open', () => {
    expect(shortcutFor(press('n', { ctrlKey: true }), 'other', { ...operator, loggedIn: false })).toBeNull();
    expect(shortcutFor(press('F1'), 'other', { ...operator, dialogOpen: true })).toBeNull();
  });
});

describe('formKey', () => {
  it('moves on with Enter from a one-line field or a check box', () => {
    expect(formKey(press('Enter'), 'text')).toBe('next');
    expect(formKey(press('Enter'), 'checkbox')).toBe('next');
  });

  it('saves with Ctrl+Enter from anywhere', () => {
    for (const target of ['text', 'textarea', 'checkbox', 'select', 'button', 'other'] as const) {
      expect(formKey(press('Enter', { ctrlKey: true }), target), target).toBe('save');
    }
    expect(formKey(press('Enter', { metaKey: true }), 'text')).toBe('save');
  });

  it('keeps the usual Enter of buttons, selects and text areas, and other keys', () => {
    expect(formKey(press('Enter'), 'button')).toBeNull();
    expect(formKey(press('Enter'), 'select')).toBeNull();
    expect(formKey(press('Enter'), 'textarea')).toBeNull();
    expect(formKey(press('Enter', { shiftKey: true }), 'text')).toBeNull();
    expect(formKey(press('Tab'), 'text')).toBeNull();
    expect(formKey(press(' '), 'checkbox')).toBeNull();
  });
});

describe('nextField', () => {
  it('gives the next one, none after the last', () => {
    expect(nextField(['a', 'b', 'c'], 'a')).toBe('b');
    expect(nextField(['a', 'b', 'c'], 'c')).toBeNull();
    expect(nextField(['a', 'b', 'c'], 'x')).toBeNull();
  });
});
