// Edit-to-kernel latency in the app, measured in the browser (issue 14: ≤ 100 ms for models up
// to the seed model's size). In the Build view, one judgment of the seed model is typed again
// and again (alternating two values), and the time from the keystroke (the input event) to the
// new kernel on screen (the live panel's answer for that edit) is taken inside the page.
// Baseline in the same run: the same edit the way the app did it before, over the server — a
// PATCH of the judgment, then a scenarios run polled until done, as the Scenarios view does.
//   npx tsx bench/ui/edit-latency.ts [--edits N]
// Prints the median, min and max of each and the ratio of the medians.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../../src/report/pdf.js";
import { startServer } from "../../src/server/serve.js";

// The page's globals, for the function evaluated in the browser (this file compiles for Node).
// biome-ignore-start lint/suspicious/noExplicitAny: browser globals seen from a Node file
declare const document: any;
declare const HTMLInputElement: any;
declare const MutationObserver: any;
declare const requestAnimationFrame: (f: () => void) => void;
declare class Event {
  constructor(type: string, init?: { bubbles?: boolean });
}
// biome-ignore-end lint/suspicious/noExplicitAny: browser globals seen from a Node file

const args = process.argv.slice(2);
const edits = args.includes("--edits") ? Number(args[args.indexOf("--edits") + 1]) : 20;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const summary = (xs: number[]) =>
  `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, n ${xs.length})`;

process.stderr.write("building the app (vite)…\n");
execFileSync(
  path.join(root, "node_modules", ".bin", "vite"),
  ["build", "--config", "web/vite.config.ts", "--logLevel", "warn"],
  {
    cwd: root,
    stdio: "inherit",
  },
);
const dataDir = mkdtempSync(path.join(tmpdir(), "muscat-bench-ui-"));
const server = await startServer({
  dataDir,
  host: "127.0.0.1",
  port: 0,
  staticDir: path.join(root, "web", "dist"),
  seedText: readFileSync(path.join(root, "models", "oman-2025.yaml"), "utf8"),
  version: "bench",
});
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${server.url}/#build`);
  await page.locator("[data-testid=live-count]").waitFor();
  const label = "talks=breakthrough on us-force=restraint";
  const instant: number[] = [];
  for (let i = 0; i < edits + 2; i++) {
    const value = i % 2 ? "+3" : "-3";
    const ms = await page.evaluate(
      ({ label, value }) =>
        new Promise<number>((resolve) => {
          const input = document.querySelector(`input[aria-label="${label}"]`);
          const out = document.querySelector("[data-testid=live-count]")!.closest(".live-panel")!;
          input.focus();
          const t0 = performance.now();
          const seen = new MutationObserver(() => {
            if (out.getAttribute("aria-busy") === "false") {
              seen.disconnect();
              requestAnimationFrame(() => resolve(performance.now() - t0));
            }
          });
          seen.observe(out, { attributes: true, subtree: true, childList: true, characterData: true });
          const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
          set.call(input, value);
          input.dispatchEvent(new Event("input", { bubbles: true }));
        }),
      { label, value },
    );
    if (i >= 2) instant.push(ms); // the first two warm the worker and the parser
  }
  // Baseline: the same edit over the server, as the app's other views do it.
  const api = (method: string, p: string, body?: unknown) =>
    fetch(new URL(p, server.url), {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then((r) => r.json() as Promise<Record<string, unknown>>);
  const model = (await api("GET", "/api/models/oman-2025")) as {
    version: number;
    model: { impacts: { from: unknown; to: unknown }[] };
  };
  const idx = model.model.impacts.findIndex(
    (m) =>
      JSON.stringify(m.from) === JSON.stringify({ factor: "talks", state: "breakthrough" }) &&
      JSON.stringify(m.to) === JSON.stringify({ factor: "us-force", state: "restraint" }),
  );
  let version = model.version;
  const viaServer: number[] = [];
  for (let i = 0; i < Math.min(edits, 10); i++) {
    const t0 = performance.now();
    const saved = await api("PATCH", "/api/models/oman-2025", {
      baseVersion: version,
      path: `impacts[${idx}].strength`,
      value: i % 2 ? 3 : -3,
    });
    version = saved.version as number;
    const { runId } = await api("POST", "/api/models/oman-2025/runs", {
      engine: "scenarios",
      options: { basins: true },
    });
    for (;;) {
      const r = await api("GET", `/api/runs/${runId}`);
      if (r.status !== "queued" && r.status !== "running") break;
      await new Promise((s) => setTimeout(s, 20));
    }
    viaServer.push(performance.now() - t0);
  }
  console.log(`edit → kernel on screen, in the browser (web worker): ${summary(instant)}`);
  console.log(`edit → kernel over the server (PATCH + scenarios run): ${summary(viaServer)}`);
  console.log(`ratio of medians (browser / server): ${(median(instant) / median(viaServer)).toFixed(3)}`);
  console.log(`target: median ≤ 100 ms — ${median(instant) <= 100 ? "met" : "NOT met"}`);
} finally {
  await browser.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
