// The application being typed, kept outside the screen and in the app: leaving the screen, an
// error while saving, or closing the window never loses what was typed. It is the operator's
// draft in the install's database (saved as it is typed, read back at the next start); filing
// the application deletes it there, and a new, empty one starts.
import { draftDiscard, draftRead, draftSave } from './api';
import { emptyDraft, emptyMember, type ApplicationDraft } from './applicationForm';
import { draftFromJson, isBlankDraft } from './drafts';

export class Draft {
  value = $state<ApplicationDraft>(emptyDraft());
  /** Kept in the app as the operator's draft: a new application's is, a correction's is not
   * (it starts from the application as filed, every time). */
  readonly #persist: boolean;

  constructor(persist = true) {
    this.#persist = persist;
  }
  /** Fields the operator has left at least once: their problems are shown. */
  touched = $state<Record<string, boolean>>({});
  /** After a save attempt every problem is shown. */
  submitted = $state(false);
  /** When the app last kept it (RFC 3339); `null` while the app holds none. */
  updatedAt = $state<string | null>(null);
  #nextKey = 1;
  /** The JSON the app holds, to save only what changed; `null` when it holds none. */
  #kept: string | null = null;
  /** While the form is being filed nothing is kept: filing deletes the app's draft, which a
   * save arriving after it would bring back. */
  filing = false;
  /** The reading of the app's draft at the first need after login. */
  #restoring: Promise<void> | null = null;

  addMember(): number {
    const key = this.#nextKey++;
    this.value.household.push(emptyMember(key));
    return this.value.household.length - 1;
  }

  /** Removes member `index`; what was touched moves with the members that follow. */
  removeMember(index: number): void {
    this.value.household.splice(index, 1);
    const moved: Record<string, boolean> = {};
    for (const [path, on] of Object.entries(this.touched)) {
      const m = /^household\[(\d+)\]\.(.*)$/.exec(path);
      if (!m) {
        moved[path] = on;
        continue;
      }
      const i = Number(m[1]);
      if (i < index) moved[path] = on;
      else if (i > index) moved[`household[${i - 1}].${m[2]}`] = on;
    }
    this.touched = moved;
  }

  /** The form as `start`: a filed application to correct. */
  load(start: ApplicationDraft): void {
    this.value = start;
    this.#nextKey = start.household.length + 1;
    this.touched = {};
    this.submitted = false;
  }

  /** A new, empty form: after filing (the app deleted the draft it was typed in). */
  reset(bando: string): void {
    this.value = emptyDraft(bando);
    this.touched = {};
    this.submitted = false;
    this.#kept = null;
    this.updatedAt = null;
  }

  /** Another operator logged in: nothing of the previous one's typing stays. */
  forget(): void {
    this.reset('');
    this.#restoring = null;
  }

  /** Reads the operator's draft from the app, once after login; what is typed here already
   * is newer and stays. */
  restore(): Promise<void> {
    if (!this.#persist) return Promise.resolve();
    this.#restoring ??= draftRead().then(
      (kept) => {
        if (kept === null || !isBlankDraft(this.value)) return;
        const d = draftFromJson(kept.draft);
        if (d === null) return;
        this.value = d;
        this.#nextKey = d.household.length + 1;
        this.touched = {};
        this.submitted = false;
        this.#kept = JSON.stringify(this.value);
        this.updatedAt = kept.updated_at;
      },
      () => {
        this.#restoring = null;
      },
    );
    return this.#restoring;
  }

  /** Keeps what is typed as the operator's draft, if it changed (a form with nothing typed
   * is not kept, unless it empties a draft kept before). */
  async save(): Promise<void> {
    if (!this.#persist) return;
    const json = JSON.stringify(this.value);
    if (this.filing || json === this.#kept || (this.#kept === null && isBlankDraft(this.value))) return;
    const before = this.#kept;
    this.#kept = json;
    try {
      this.updatedAt = (await draftSave(json)).updated_at;
    } catch {
      // Not kept: the next change tries again (the form in the window is untouched).
      this.#kept = before;
    }
  }

  /** «Scarta»: the draft goes, here and in the app. */
  async discard(): Promise<void> {
    await draftDiscard();
    this.reset('');
  }
}

export const draft = new Draft();
