// What the server tests share: a store in a temporary folder with the seed model, a job queue,
// the app (requests through Hono's app.request, no port), and a run started and awaited.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/server/app.js";
import { JobQueue } from "../../src/server/jobs.js";
import type { JobLimits } from "../../src/server/limits.js";
import { openStore, seedIfEmpty } from "../../src/store/index.js";
import { seedModelPath } from "../helpers/paths.js";

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field in the tests
type Json = any;

export interface TestServer {
  req: (
    method: string,
    path: string,
    body?: unknown,
  ) => Promise<{ status: number; data: Json; response: Response }>;
  raw: (method: string, path: string) => Promise<Response>;
  /** Starts a run of the seed model and waits until it is done (throws if it fails). */
  finished: (body: Record<string, unknown>) => Promise<{ status: number; data: Json; run: Json }>;
  close: () => Promise<void>;
}

export async function startTestServer(
  prefix: string,
  opts: { limits?: JobLimits; concurrency?: number } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const store = (await openStore(dir))!;
  const queue = new JobQueue(store, { progressEveryMs: 50, ...opts });
  await seedIfEmpty(store, readFileSync(seedModelPath, "utf8"));
  const app = createApp({ store, queue, version: "test" });
  const raw = async (method: string, path: string, body?: unknown): Promise<Response> =>
    app.request(path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const req: TestServer["req"] = async (method, path, body) => {
    const response = await raw(method, path, body);
    return { status: response.status, data: await response.clone().json(), response };
  };
  return {
    req,
    raw: (method, path) => raw(method, path),
    finished: async (body) => {
      const r = await req("POST", "/api/models/oman-2025/runs", body);
      for (let i = 0; i < 1200; i++) {
        const g = await req("GET", `/api/runs/${r.data.runId}`);
        if (g.data.status === "done") return { ...r, run: g.data };
        if (g.data.status !== "queued" && g.data.status !== "running")
          throw new Error(`run ${r.data.runId} ${g.data.status}`);
        await new Promise((s) => setTimeout(s, 50));
      }
      throw new Error("run did not finish");
    },
    close: async () => {
      await queue.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
