import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleLock, lockNotice, watchActivity } from './idle';

const MINUTE = 60_000;

describe('IdleLock', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('locks after fifteen minutes without activity, once', () => {
    const locked = vi.fn();
    const lock = new IdleLock(locked);
    lock.start(15);
    vi.advanceTimersByTime(15 * MINUTE - 1);
    expect(locked).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(locked).toHaveBeenCalledOnce();
    expect(lock.running).toBe(false);
    vi.advanceTimersByTime(60 * MINUTE);
    expect(locked).toHaveBeenCalledOnce();
  });

  it('counts again from the last activity', () => {
    const locked = vi.fn();
    const lock = new IdleLock(locked);
    lock.start(15);
    vi.advanceTimersByTime(14 * MINUTE);
    lock.activity();
    vi.advanceTimersByTime(14 * MINUTE);
    lock.activity();
    vi.advanceTimersByTime(14 * MINUTE);
    expect(locked).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1 * MINUTE);
    expect(locked).toHaveBeenCalledOnce();
  });

  it('never locks once stopped (after logging out)', () => {
    const locked = vi.fn();
    const lock = new IdleLock(locked);
    lock.start(15);
    vi.advanceTimersByTime(10 * MINUTE);
    lock.stop();
    vi.advanceTimersByTime(60 * MINUTE);
    expect(locked).not.toHaveBeenCalled();
  });

  it('starts counting afresh when started again (the next login)', () => {
    const locked = vi.fn();
    const lock = new IdleLock(locked);
    lock.start(15);
    vi.advanceTimersByTime(15 * MINUTE);
    lock.start(15);
    vi.advanceTimersByTime(14 * MINUTE);
    expect(locked).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(1 * MINUTE);
    expect(locked).toHaveBeenCalledTimes(2);
  });
});

describe('watchActivity', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('takes keys and the mouse as activity until it stops listening', () => {
    const locked = vi.fn();
    const lock = new IdleLock(locked);
    const window = new EventTarget();
    const stop = watchActivity(window, lock);
    lock.start(15);
    for (const name of ['keydown', 'mousemove', 'mousedown', 'wheel']) {
      vi.advanceTimersByTime(10 * MINUTE);
      window.dispatchEvent(new Event(name));
    }
    expect(locked).not.toHaveBeenCalled();

    stop();
    vi.advanceTimersByTime(10 * MINUTE);
    window.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(5 * MINUTE);
    expect(locked).toHaveBeenCalledOnce();
  });
});

describe('lockNotice', () => {
  it('says why the window locked', () => {
    expect(lockNotice(15)).toBe(
      'Sessione bloccata dopo 15 minuti di inattività: entrare di nuovo per continuare.',
    );
  });
});
