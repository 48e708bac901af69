import type { PropsWithChildren } from "react";
import "./app.scss";

/** The app root; pages render inside. */
function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
