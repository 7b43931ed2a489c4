// What the browser tests share: the app built for each test file, the real server on a fresh
// data directory with the seed model, Debian's Chromium driven by playwright-core, and helpers
// to call the API, open a view and save a screenshot (test-results/screenshots/).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { expect } from "vitest";
import { CHROMIUM, launchChromium } from "../../src/report/pdf.js";
import { modelWork } from "../../src/server/model-cache.js";
import { type RunningServer, startServer } from "../../src/server/serve.js";

export const ROOT = join(import.meta.dirname, "..", "..");
export const SHOTS = join(ROOT, "test-results", "screenshots");
export const enabled = existsSync(CHROMIUM) && process.env.MUSCAT_BROWSER_TESTS !== "0";
// In CI the browser tests must run: a missing Chromium is a failure, not a skip.
if (!enabled && process.env.CI === "true" && process.env.MUSCAT_BROWSER_TESTS !== "0")
  throw new Error(`CI: no Chromium at ${CHROMIUM}; .ci/run installs it with apt-get`);
if (!enabled) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

export interface Ui {
  base: string;
  page: Page;
  pageErrors: string[];
  api: <T>(method: string, path: string, body?: unknown) => Promise<{ status: number; data: T }>;
  shot: (name: string) => Promise<unknown>;
  openView: (title: string) => Promise<void>;
  close: () => Promise<void>;
}

/** Builds the app (once per process), starts a server and a browser page at 1280×800. */
export async function startUi(): Promise<Ui> {
  // Each test file builds into a folder of its own: files run in parallel, and one build must
  // not empty the folder another server is serving from.
  const dataDir = mkdtempSync(join(tmpdir(), "muscat-browser-"));
  const staticDir = join(dataDir, "web");
  execFileSync(
    join(ROOT, "node_modules", ".bin", "vite"),
    [
      "build",
      "--config",
      "web/vite.config.ts",
      "--logLevel",
      "error",
      "--outDir",
      staticDir,
      "--emptyOutDir",
    ],
    { cwd: ROOT, stdio: "inherit" },
  );
  mkdirSync(SHOTS, { recursive: true });
  const server: RunningServer = await startServer({
    dataDir,
    host: "127.0.0.1",
    port: 0,
    staticDir,
    seedText: readFileSync(join(ROOT, "models", "oman-2025.yaml"), "utf8"),
    version: "test",
  });
  // Start the model thread before the first page asks (under tsx it takes 1–3 s to start).
  await modelWork().validated(readFileSync(join(ROOT, "models", "oman-2025.yaml"), "utf8"));
  const browser: Browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(20_000);
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  const base = server.url;
  return {
    base,
    page,
    pageErrors,
    api: async <T>(method: string, path: string, body?: unknown) => {
      const res = await fetch(new URL(path, base), {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, data: (await res.json()) as T };
    },
    shot: (name) => page.screenshot({ path: join(SHOTS, `${name}.png`) }),
    openView: async (title) => {
      await page.getByRole("tab", { name: title }).click();
      await expect
        .poll(() => page.getByRole("tab", { name: title }).getAttribute("aria-selected"))
        .toBe("true");
    },
    close: async () => {
      await browser.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
