// First: it configures zod before any schema is built.
import "@govinfo/shared/schemas/browser";
import type { PropsWithChildren } from "react";
import { privacy } from "./stores/privacy";
import "./app.scss";

// Taro's H5 tab bar links are `href="javascript:;"`, which the Content-Security-Policy (rightly) refuses
// to run, logging a console error on every tab tap; the tab's own click handler does the navigation.
if (process.env.TARO_ENV === "h5") {
  document.addEventListener(
    "click",
    (event) => {
      const target = event.target as Element | null;
      if (target?.closest?.('a[href^="javascript:"]')) event.preventDefault();
    },
    true,
  );
}

// Before any page can call a privacy API, WeChat's consent flow has its listener.
if (process.env.TARO_ENV === "weapp") privacy.install();

/** The app root; pages render inside. */
function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
