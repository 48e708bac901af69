/**
 * One action of a page or dialog (publish, withdraw, register a result…): busy while it runs, a success
 * message and what follows when it worked, the server's message when it did not.
 */
import { App } from "antd";
import { useState } from "react";
import { errorText } from "../components/PageShell.tsx";

/** `run(action, done)` shows `done` and calls `then` (by default `after`, e.g. a list's reload) with the result. */
export function useAction(after?: () => void) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async <T>(
    action: () => Promise<T>,
    done: string,
    then: (result: T) => void = () => after?.(),
  ) => {
    setBusy(true);
    try {
      const result = await action();
      message.success(done);
      then(result);
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}
