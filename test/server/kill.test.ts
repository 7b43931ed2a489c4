// Kill the server (SIGKILL) during a long run and start it again on the same data directory:
// the store is intact (integrity check, the model and its versions), and the run is marked
// failed. A real child process on 127.0.0.1 with a random free port.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { repoRoot } from "../helpers/paths.js";

const dir = mkdtempSync(join(tmpdir(), "muscat-kill-"));
const children: ChildProcess[] = [];

function start(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(repoRoot, "src/cli/main.ts"), "serve", "--port", "0", "--data", dir],
    {
      cwd: repoRoot,
      env: { ...process.env, MUSCAT_TOKEN: "" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 45_000);
    child.stdout?.on("data", (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[0] });
      }
    });
    child.stderr?.on("data", (d) => {
      err += d;
    });
    child.on("exit", (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

it("marks a run failed after a kill -9 and keeps the store intact", async () => {
  const first = await start();
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
  const api = (p: string, init?: RequestInit): Promise<any> =>
    fetch(new URL(p, first.url), init).then((r) => r.json());
  const models = await api("api/models");
  expect(models.map((m: { id: string }) => m.id)).toEqual(["oman-2025"]);
  const saved = await api("api/models/oman-2025");
  const put = await api("api/models/oman-2025", {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      text: saved.text.replace(/^title: .*$/m, "title: Saved before the kill"),
      baseVersion: 1,
    }),
  });
  expect(put.version).toBe(2);
  const { runId } = await api("api/models/oman-2025/runs", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      engine: "simulate",
      options: {
        runs: 10_000_000,
        steps: 1000,
        given: ["talks=breakthrough,us-focus=focused,russia-leverage=weaker,western-unity=cohesive"],
      },
    }),
  });
  let status = "";
  for (let i = 0; i < 300 && status !== "running"; i++) {
    status = (await api(`api/runs/${runId}`)).status;
    if (status !== "running") await new Promise((r) => setTimeout(r, 100));
  }
  expect(status).toBe("running");
  first.child.kill("SIGKILL");
  await new Promise((r) => first.child.once("exit", r));

  const second = await start();
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
  const api2 = (p: string): Promise<any> => fetch(new URL(p, second.url)).then((r) => r.json());
  const run = await api2(`api/runs/${runId}`);
  expect(run.status).toBe("failed");
  expect(run.error).toMatch(/interrupted/);
  const m = await api2("api/models/oman-2025");
  expect(m.version).toBe(2);
  expect(m.title).toBe("Saved before the kill");
  expect((await api2("api/models/oman-2025/versions")).length).toBe(2);
  second.child.kill("SIGTERM");
  await new Promise((r) => second.child.once("exit", r));
  const db = new SQLite(join(dir, "muscat.db"), { readonly: true });
  expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
  expect(db.pragma("foreign_key_check")).toEqual([]);
  db.close();
}, 120_000);
