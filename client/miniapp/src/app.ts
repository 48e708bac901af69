// First: it configures zod before any schema is built.
import "@govinfo/shared/schemas/browser";
import type { PropsWithChildren } from "react";
import { privacy } from "./stores/privacy";
import "./app.scss";

// Before any page can call a privacy API, WeChat's consent flow has its listener.
if (process.env.TARO_ENV === "weapp") privacy.install();

/** The app root; pages render inside. */
function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
