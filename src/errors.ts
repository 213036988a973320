// Errors that end the whole run. Everything else is data on one package.

/** Bad input from the user: a missing or corrupt lockfile, a bad flag. Exit code 2. */
export class InputError extends Error {
  override name = "InputError";
}

/** The run could not complete for a reason outside the user's input. Exit code 3. */
export class RuntimeFailure extends Error {
  override name = "RuntimeFailure";
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
