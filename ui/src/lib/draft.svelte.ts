// The application being typed, kept outside the screen: leaving the screen, or an error while
// saving, never loses what was typed. Only a successful save starts a new, empty one.
import { emptyDraft, emptyMember, type ApplicationDraft } from './applicationForm';

class Draft {
  value = $state<ApplicationDraft>(emptyDraft());
  /** Fields the operator has left at least once: their problems are shown. */
  touched = $state<Record<string, boolean>>({});
  /** After a save attempt every problem is shown. */
  submitted = $state(false);
  #nextKey = 1;

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

  reset(bando: string): void {
    this.value = emptyDraft(bando);
    this.touched = {};
    this.submitted = false;
  }
}

export const draft = new Draft();
