/**
 * Free TCP ports for tests that must name a port up front (child processes, config).
 */
import { createServer } from "node:net";

/** Returns a port that was free on 127.0.0.1 a moment ago; the OS rarely hands it out again at once. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
