/**
 * Shared setup of the admin page's browser tests: the page is built once when missing (delete
 * client/admin/dist after changing the page), screenshots go to test-output/<name>/, and staff sign in
 * through the real login form.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";

/** The repository root. */
export const root = resolve(import.meta.dirname, "../..");

/** Builds client/admin/dist unless it is there. */
export function ensureAdminBuilt(): void {
  if (!existsSync(join(root, "client/admin/dist/index.html")))
    execFileSync("npx", ["vite", "build"], { cwd: join(root, "client/admin"), stdio: "inherit" });
}

/**
 * The screenshots folder of one test file (created), and a function taking a full-page screenshot.
 * @param folder the folder under test-output.
 * @param page the page to photograph.
 */
export function screenshots(folder: string, page: () => Page): (name: string) => Promise<unknown> {
  const dir = join(root, "test-output", folder);
  mkdirSync(dir, { recursive: true });
  return (name) => page().screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/**
 * Signs a staff member in through the login form (any earlier session in the browser is dropped first)
 * and waits for the 工作台.
 * @param page the browser page.
 * @param baseUrl the test server.
 * @param login the staff member's username and password.
 */
export async function signIn(
  page: Page,
  baseUrl: string,
  login: { username: string; password: string },
): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${baseUrl}/admin/`);
  await page.getByLabel("用户名").fill(login.username);
  await page.getByLabel("密码").fill(login.password);
  await page.getByRole("button", { name: /登\s*录/ }).click();
  await page.getByRole("heading", { name: "工作台" }).waitFor();
}
