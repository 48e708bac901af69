/**
 * MongoDB's duplicate-key refusal (E11000): how a unique index tells a concurrent or repeated insert that
 * the record already exists. One test for it, used wherever that race is expected and handled.
 */

/** True when `error` is the server's duplicate-key error. */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === 11000;
}

/** A `.catch` handler: a duplicate key becomes `conflict()` (a 409 naming what exists); other errors pass on. */
export function duplicateKeyAs(conflict: () => Error): (error: unknown) => never {
  return (error) => {
    if (isDuplicateKey(error)) throw conflict();
    throw error;
  };
}
