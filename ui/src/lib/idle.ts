// The idle lock: after some minutes without keyboard or mouse activity the window locks. One
// timer, moved on only when it fires, so that a moving mouse costs a clock read, not a timer.

/** What the login screen says after the window locked itself. */
export function lockNotice(minutes: number): string {
  return `Sessione bloccata dopo ${minutes} minuti di inattività: entrare di nuovo per continuare.`;
}

/** The events that count as the operator being at the keyboard. */
export const ACTIVITY_EVENTS = ['keydown', 'mousedown', 'mousemove', 'wheel', 'touchstart'] as const;

export class IdleLock {
  readonly #onLock: () => void;
  #idleMs = 0;
  #lastActivity = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** `onLock` runs once each time the window has been idle for the minutes `start` was given. */
  constructor(onLock: () => void) {
    this.#onLock = onLock;
  }

  /** Starts counting from now (again, if it was running). */
  start(minutes: number): void {
    this.stop();
    this.#idleMs = minutes * 60_000;
    this.#lastActivity = Date.now();
    this.#wait(this.#idleMs);
  }

  /** The operator did something: the count starts again. */
  activity(): void {
    this.#lastActivity = Date.now();
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  get running(): boolean {
    return this.#timer !== null;
  }

  #wait(ms: number): void {
    this.#timer = setTimeout(() => this.#check(), ms);
  }

  #check(): void {
    const idle = Date.now() - this.#lastActivity;
    if (idle >= this.#idleMs) {
      this.#timer = null;
      this.#onLock();
    } else {
      this.#wait(this.#idleMs - idle);
    }
  }
}

/** Counts every activity event on `target` for `lock`; returns what stops listening. */
export function watchActivity(target: EventTarget, lock: IdleLock): () => void {
  const seen = () => lock.activity();
  for (const name of ACTIVITY_EVENTS) {
    target.addEventListener(name, seen, { passive: true, capture: true });
  }
  return () => {
    for (const name of ACTIVITY_EVENTS) target.removeEventListener(name, seen, { capture: true });
  };
}
