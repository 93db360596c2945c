// A new operator's password as it is typed: the app's own rule and words
// (`sportello_domain::roles::check_new_password`; src-tauri's tests check that the app's
// messages are the ones written here), and the repetition that must match.

/** The fewest characters of a password. */
export const MIN_PASSWORD_CHARS = 10;

/** What is wrong with `password`, in the app's words; `null` when nothing is. */
export function passwordProblem(password: string): string | null {
  // Characters, not UTF-16 units: the app counts `char`s.
  if ([...password].length < MIN_PASSWORD_CHARS) {
    return 'la password deve avere almeno 10 caratteri';
  }
  if (password.trim() !== password) {
    return 'la password non può iniziare o finire con uno spazio';
  }
  return null;
}

/** Whether the repetition differs from the password (nothing is said before it is typed). */
export function repetitionProblem(password: string, again: string): string | null {
  return again !== '' && again !== password ? 'le due password sono diverse' : null;
}
