/**
 * The applicant's session (bearer token) and the 适老化 large-text switch, with change listeners.
 */
import { useEffect, useState } from "react";
import { readStored, writeStored } from "../storage";

type Listener = () => void;
const listeners = new Set<Listener>();
let token: string | null = null;
let largeText: boolean | null = null;

function notify(): void {
  for (const listener of listeners) listener();
}

/** Session state shared by every page. */
export const session = {
  token(): string {
    if (token === null) token = readStored("token");
    return token;
  },
  setToken(value: string): void {
    token = value;
    writeStored("token", value);
    notify();
  },
  isLargeText(): boolean {
    if (largeText === null) largeText = readStored("largeText");
    return largeText;
  },
  setLargeText(value: boolean): void {
    largeText = value;
    writeStored("largeText", value);
    notify();
  },
};

/** Re-renders on session changes; returns whether logged in and the large-text mode. */
export function useSession(): { isLoggedIn: boolean; isLargeText: boolean } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((n) => n + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return { isLoggedIn: session.token() !== "", isLargeText: session.isLargeText() };
}
