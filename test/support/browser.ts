/** One way to open Debian's Chromium for the browser tests: a fresh profile in a temporary directory. */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Headless Chromium in Chinese at the given viewport, its first page with a 15 s default timeout. */
export async function launchTestBrowser(
  profilePrefix: string,
  viewport: { width: number; height: number },
): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing`);
  const userDir = mkdtempSync(join(tmpdir(), `${profilePrefix}-`));
  const context = await chromium.launchPersistentContext(userDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    locale: "zh-CN",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--no-first-run",
      "--lang=zh-CN",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(userDir, { recursive: true, force: true });
    },
  };
}

/**
 * Types into an antd searchable select and takes the first matching option with Enter: the search
 * leaves it active, and Enter works even while the dropdown still animates, where a click can miss.
 */
export async function typeAndPickOption(page: Page, select: Locator, text: string): Promise<void> {
  await select.click();
  await page.keyboard.type(text);
  await page.locator(".ant-select-item-option").filter({ hasText: text }).first().waitFor();
  await page.keyboard.press("Enter");
}
