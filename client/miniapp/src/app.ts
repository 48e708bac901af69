// First: it configures zod before any schema is built.
import "@govinfo/shared/schemas/browser";
import type { PropsWithChildren } from "react";
import "./app.scss";

/** The app root; pages render inside. */
function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
