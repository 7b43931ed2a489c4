// The API's errors: a 4xx ApiError is a user error (an InputError) and keeps its JSON body; a
// server fault (5xx) is never an InputError, and the app answers it with its status and message.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError, isInputError } from "../../src/errors.js";
import { createApp, errorAnswer } from "../../src/server/app.js";
import { UNAVAILABLE } from "../../src/server/engines.js";
import { ApiError, problem, ServerFault } from "../../src/server/http.js";
import { JobQueue } from "../../src/server/jobs.js";
import { openStore, type Store, seedIfEmpty } from "../../src/store/index.js";
import { seedModelPath } from "../helpers/paths.js";

/** The answer of an app whose one route throws `e`, through the API's error handler. */
async function answerTo(e: unknown) {
  const app = new Hono();
  app.onError(errorAnswer);
  app.get("/boom", () => {
    throw e;
  });
  const r = await app.request("/boom");
  return { status: r.status, body: await r.json() };
}

describe("ApiError and ServerFault", () => {
  it("a 4xx ApiError is an InputError; a 5xx ServerFault is not", () => {
    for (const status of [400, 401, 404, 409, 413, 422] as const) {
      const e = new ApiError(status, "x");
      expect(e).toBeInstanceOf(InputError);
      expect(isInputError(e)).toBe(true);
    }
    for (const status of [500, 501] as const) {
      const e = new ServerFault(status, "x");
      expect(e).toBeInstanceOf(Error);
      expect(e).not.toBeInstanceOf(InputError);
      expect(isInputError(e)).toBe(false);
      expect(e.status).toBe(status);
    }
    // @ts-expect-error a 5xx status is not a user error, so ApiError does not take one
    new ApiError(500, "x");
  });

  it("the app answers each with its status, 4xx bodies unchanged", async () => {
    expect(await answerTo(new ApiError(404, "no run 7"))).toEqual({
      status: 404,
      body: { error: "no run 7" },
    });
    const problems = [problem("body.path", "bad path")];
    expect(await answerTo(new ApiError(400, "bad path", problems))).toEqual({
      status: 400,
      body: { error: "bad path", problems },
    });
    expect(await answerTo(new InputError("no factor 'x'", { code: "state-ref", path: "fix" }))).toEqual({
      status: 400,
      body: { error: "no factor 'x'", code: "state-ref", path: "fix" },
    });
    expect(await answerTo(new ServerFault(501, "not in this build"))).toEqual({
      status: 501,
      body: { error: "not in this build" },
    });
    expect(await answerTo(new TypeError("x is undefined"))).toEqual({
      status: 500,
      body: { error: "internal error: x is undefined" },
    });
  });
});

describe("an engine that is not in this build", () => {
  let dir: string;
  let store: Store;
  let queue: JobQueue;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "muscat-errors-"));
    store = (await openStore(dir))!;
    queue = new JobQueue(store);
    await seedIfEmpty(store, readFileSync(seedModelPath, "utf8"));
  });

  afterAll(async () => {
    delete UNAVAILABLE.simulate;
    await queue.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is a 501 server fault with its reason, and no run is queued", async () => {
    UNAVAILABLE.simulate = "simulate is not in this build";
    const app = createApp({ store, queue, version: "test" });
    const [model] = (await (await app.request("/api/models")).json()) as { id: string }[];
    const r = await app.request(`/api/models/${model.id}/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ engine: "simulate" }),
    });
    expect(r.status).toBe(501);
    expect(await r.json()).toEqual({ error: "simulate is not in this build" });
    expect(await (await app.request(`/api/models/${model.id}/runs`)).json()).toEqual([]);
  });
});
