/**
 * The busy flag and error line of a dialog that submits: one place decides that a second click waits,
 * that the last error is cleared on a new attempt, and that a failure ends up in the dialog's alert.
 */
import { useState } from "react";
import { errorText } from "../components/PageShell.tsx";

/** Runs a submission with `busy` set; a failure becomes `error` (`describe` may return null when it showed it). */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (
    work: () => Promise<void>,
    describe: (caught: unknown) => string | null = errorText,
  ): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (caught) {
      setError(describe(caught));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, submit };
}
