// The hostile-request suite: a real server on a port (with a token and a built-UI folder) sent
// what an attacker or a broken client sends, class by class — oversize and unbounded bodies,
// malformed and deep JSON, wrong types, unknown ids, path traversal, foreign Host and Origin,
// missing and wrong tokens, and the job limits. Every request must be refused with its class's
// status (never a 500, never a leak), and afterwards the server still answers and the store
// holds exactly what it held. Each class prints tried / refused.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLimits } from "../../src/server/limits.js";
import { type RunningServer, startServer } from "../../src/server/serve.js";
import { STORE_FILE } from "../../src/store/paths.js";
import { seedModelPath } from "../helpers/paths.js";

const TOKEN = "hostile-suite-t0ken";
const SECRET = "THE-SECRET-OUTSIDE-THE-UI-FOLDER";

interface Call {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body in chunks without a Content-Length (a stream with no declared size). */
  chunked?: boolean;
}

function send(
  port: number,
  c: Call,
): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      host: `127.0.0.1:${port}`,
      authorization: `Bearer ${TOKEN}`,
      ...(c.body !== undefined ? { "content-type": "application/json" } : {}),
      ...c.headers,
    };
    for (const [k, v] of Object.entries(headers)) if (v === "") delete headers[k];
    const r = request({ host: "127.0.0.1", port, method: c.method, path: c.path, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(parts).toString("utf8"),
          headers: res.headers,
        }),
      );
    });
    // A server may close the connection on an oversize body before reading it all.
    r.on("error", (e: NodeJS.ErrnoException) =>
      e.code === "ECONNRESET" || e.code === "EPIPE"
        ? resolve({ status: 413, text: "", headers: {} })
        : reject(e),
    );
    if (c.body !== undefined) {
      if (c.chunked) {
        const b = Buffer.from(c.body);
        for (let i = 0; i < b.length; i += 256 * 1024) r.write(b.subarray(i, i + 256 * 1024));
      } else r.write(c.body);
    }
    r.end();
  });
}

describe("hostile requests against a real server", () => {
  let server: RunningServer;
  let dir: string;
  let seedHash: string;
  const tally: string[] = [];

  /** Sends every call of a class; each must get one of `statuses` and pass `ok`; prints tried / refused. */
  async function refuseAll(
    name: string,
    calls: Call[],
    statuses: number[],
    ok: (r: { status: number; text: string; headers: Record<string, unknown> }) => boolean = () => true,
  ) {
    let refused = 0;
    for (const c of calls) {
      const r = await send(server.port, c);
      const good = statuses.includes(r.status) && ok(r);
      if (good) refused++;
      expect(good, `${name}: ${c.method} ${c.path.slice(0, 80)} → ${r.status} ${r.text.slice(0, 200)}`).toBe(
        true,
      );
    }
    const line = `${name}: tried ${calls.length}, refused ${refused}`;
    tally.push(line);
    console.log(line);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "muscat-hostile-"));
    const ui = join(dir, "ui");
    mkdirSync(ui);
    writeFileSync(join(ui, "index.html"), "<!doctype html><title>Muscat UI</title>");
    writeFileSync(join(dir, "secret.txt"), SECRET);
    server = await startServer({
      dataDir: join(dir, "data"),
      port: 0,
      token: TOKEN,
      staticDir: ui,
      seedText: readFileSync(seedModelPath, "utf8"),
      version: "test",
      limits: parseLimits(["maxQueued=2", "maxQueuedPerModel=2"]),
    });
    seedHash = JSON.parse(
      (await send(server.port, { method: "GET", path: "/api/models/oman-2025" })).text,
    ).hash;
  });
  afterAll(async () => {
    await server?.close();
    console.log(`hostile-request suite:\n  ${tally.join("\n  ")}`);
    rmSync(dir, { recursive: true, force: true });
  });

  it("oversize bodies: 413, declared or streamed", async () => {
    const model = JSON.stringify({ text: `# ${"x".repeat(2 * 1024 * 1024 + 10)}\nid: big\n` });
    const doc = JSON.stringify({ text: "a".repeat(11 * 1024 * 1024 + 10) });
    const small = JSON.stringify({ pad: "x".repeat(70 * 1024) });
    await refuseAll(
      "oversize bodies",
      [
        { method: "POST", path: "/api/models", body: model },
        { method: "POST", path: "/api/models", body: model, chunked: true },
        { method: "PUT", path: "/api/models/oman-2025", body: model },
        { method: "PATCH", path: "/api/models/oman-2025", body: model, chunked: true },
        { method: "POST", path: "/api/documents", body: doc },
        { method: "POST", path: "/api/documents", body: doc, chunked: true },
        { method: "POST", path: "/api/models/oman-2025/runs", body: small },
        { method: "POST", path: "/api/models/oman-2025/runs", body: small, chunked: true },
        { method: "POST", path: "/api/runs/1/cancel", body: small },
        { method: "POST", path: "/api/models/oman-2025/vintages", body: small },
        { method: "PUT", path: "/api/models/oman-2025/resolutions", body: small, chunked: true },
      ],
      [413],
    );
  });

  it("malformed JSON: 400 with a message, never a 500", async () => {
    const bodies = [
      "{not json",
      '{"text": "id: x"',
      "",
      "null",
      "[]",
      '"a string"',
      "42",
      '{"text": "\\ud800"}',
      Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      "\u0000\u0001\u0002",
      '{"text": 1e999999}',
      '{"__proto__": {"polluted": 1}, "text": 5}',
    ];
    const calls: Call[] = [];
    for (const body of bodies)
      for (const path of ["/api/models", "/api/models/oman-2025/runs", "/api/documents"])
        calls.push({ method: "POST", path, body });
    calls.push({
      method: "POST",
      path: "/api/models",
      body: '{"text":"id: x"}',
      headers: { "content-type": "text/plain" },
    });
    await refuseAll("malformed JSON", calls, [400, 415, 422], (r) => r.text.includes("error"));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("deep JSON: refused without exhausting the stack", async () => {
    const deep = (n: number) => `{"text": ${"[".repeat(n)}${"]".repeat(n)}}`;
    const deepObj = (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;
    await refuseAll(
      "deep JSON",
      [
        { method: "POST", path: "/api/models", body: deep(100_000) },
        { method: "POST", path: "/api/models/oman-2025/runs", body: deep(20_000) },
        {
          method: "POST",
          path: "/api/models/oman-2025/runs",
          body: `{"engine":"simulate","options":${deepObj(20_000)}}`,
        },
        { method: "POST", path: "/api/documents", body: deepObj(100_000) },
        { method: "PUT", path: "/api/models/oman-2025/resolutions", body: `{"resolutions":${deep(20_000)}}` },
      ],
      [400, 413],
    );
  });

  it("wrong types: 400 naming the field", async () => {
    const calls: Call[] = [
      { method: "POST", path: "/api/models", body: JSON.stringify({ text: 5 }) },
      { method: "POST", path: "/api/models", body: JSON.stringify({ text: ["id: x"] }) },
      { method: "POST", path: "/api/models", body: JSON.stringify({ text: "id: x", message: { a: 1 } }) },
      {
        method: "PUT",
        path: "/api/models/oman-2025",
        body: JSON.stringify({ text: "id: x", baseVersion: "1" }),
      },
      {
        method: "PUT",
        path: "/api/models/oman-2025",
        body: JSON.stringify({ text: "id: x", baseVersion: -1 }),
      },
      { method: "POST", path: "/api/models/oman-2025/runs", body: JSON.stringify({ engine: 3 }) },
      { method: "POST", path: "/api/models/oman-2025/runs", body: JSON.stringify({ engine: "nosuch" }) },
      {
        method: "POST",
        path: "/api/models/oman-2025/runs",
        body: JSON.stringify({ engine: "simulate", options: [] }),
      },
      {
        method: "POST",
        path: "/api/models/oman-2025/runs",
        body: JSON.stringify({ engine: "simulate", options: { runs: "many" } }),
      },
      {
        method: "POST",
        path: "/api/models/oman-2025/runs",
        body: JSON.stringify({ engine: "simulate", options: { runs: 1e12 } }),
      },
      {
        method: "POST",
        path: "/api/models/oman-2025/runs",
        body: JSON.stringify({ engine: "simulate", options: { seed: -1 } }),
      },
      {
        method: "POST",
        path: "/api/models/oman-2025/runs",
        body: JSON.stringify({ engine: "simulate", options: { bogus: 1 } }),
      },
      {
        method: "POST",
        path: "/api/models/oman-2025/runs",
        body: JSON.stringify({ engine: "simulate", fresh: "yes" }),
      },
      {
        method: "POST",
        path: "/api/models/oman-2025/runs",
        body: JSON.stringify({ engine: "simulate", version: 1.5 }),
      },
      { method: "POST", path: "/api/documents", body: JSON.stringify({ text: 7 }) },
      {
        method: "PUT",
        path: "/api/models/oman-2025/resolutions",
        body: JSON.stringify({ resolutions: "yes" }),
      },
    ];
    await refuseAll("wrong types", calls, [400], (r) => /body\.|options|path/.test(r.text));
  });

  it("unknown ids: 404 (or 400 for ids that cannot be ids)", async () => {
    const calls: Call[] = [
      "/api/models/nosuch",
      "/api/models/nosuch/versions",
      "/api/models/nosuch/matrix",
      "/api/models/nosuch/runs",
      "/api/models/oman-2025?version=999",
      "/api/runs/999999",
      "/api/runs/999999/report",
      "/api/documents/nosuch",
      "/api/vintages/nosuch",
      "/api/models/oman-2025/export?version=999",
      "/api/nosuch",
    ].map((path) => ({ method: "GET", path }));
    calls.push(
      { method: "POST", path: "/api/runs/999999/cancel" },
      { method: "DELETE", path: "/api/models/nosuch" },
      { method: "POST", path: "/api/models/nosuch/runs", body: JSON.stringify({ engine: "simulate" }) },
      { method: "GET", path: "/api/models/' OR 1=1 --".replaceAll(" ", "%20") },
      { method: "GET", path: "/api/runs/1;DROP%20TABLE%20runs" },
    );
    await refuseAll("unknown ids", calls, [400, 404]);
  });

  it("path traversal: nothing outside the UI folder or the store is served", async () => {
    const paths = [
      "/../secret.txt",
      "/..%2fsecret.txt",
      "/%2e%2e/secret.txt",
      "/%2e%2e%2fsecret.txt",
      "/assets/../../secret.txt",
      "/assets/%2e%2e/%2e%2e/secret.txt",
      "/..%5csecret.txt",
      "/%252e%252e/secret.txt",
      "/secret.txt%00.html",
      "/....//secret.txt",
      "/api/models/..%2F..%2Fsecret.txt",
      "/api/documents/..%2F..%2Fsecret.txt",
      "/api/models/%2e%2e",
      "/api/runs/..%2F1",
    ];
    // Each is refused (4xx) or answered with the UI's index page (the browser's routes), never the secret.
    await refuseAll(
      "path traversal",
      paths.map((path) => ({ method: "GET", path })),
      [200, 400, 403, 404],
      (r) => !r.text.includes(SECRET) && (r.status !== 200 || r.text.includes("Muscat UI")),
    );
  });

  it("foreign Host (DNS rebinding) and foreign Origin on writes: 403", async () => {
    const hosts = [
      "evil.example.com",
      "evil.example.com:4747",
      "127.0.0.1.nip.io",
      "localhost.evil.com",
      "0.0.0.0",
    ];
    const calls: Call[] = [];
    for (const host of hosts)
      for (const [method, path, body] of [
        ["GET", "/api/models", undefined],
        ["GET", "/api/models/oman-2025", undefined],
        ["DELETE", "/api/models/oman-2025", undefined],
        ["POST", "/api/models", JSON.stringify({ text: "id: x\ntitle: X\n" })],
        ["GET", "/", undefined],
      ] as const)
        calls.push({ method, path, body, headers: { host } });
    await refuseAll("foreign Host", calls, [403]);
    const origins = [
      "http://evil.example.com",
      "https://evil.example.com:443",
      "null",
      "file://",
      "http://localhost.evil.com",
    ];
    await refuseAll(
      "foreign Origin on writes",
      origins.flatMap((origin) => [
        {
          method: "POST",
          path: "/api/models",
          body: JSON.stringify({ text: "id: y\n" }),
          headers: { origin },
        },
        { method: "DELETE", path: "/api/models/oman-2025", headers: { origin } },
        {
          method: "POST",
          path: "/api/models/oman-2025/runs",
          body: JSON.stringify({ engine: "simulate" }),
          headers: { origin },
        },
      ]),
      [403],
    );
  });

  it("missing and wrong tokens: 401 on every endpoint but health", async () => {
    const paths = [
      "/api/models",
      "/api/models/oman-2025",
      "/api/models/oman-2025/matrix",
      "/api/runs/1",
      "/api/documents",
      "/api/openapi.json",
    ];
    const bad = [
      "",
      "Bearer",
      "Bearer wrong",
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Basic ${TOKEN}`,
      `bearer  ${"x".repeat(10_000)}`,
    ];
    const calls: Call[] = [];
    for (const authorization of bad) {
      for (const path of paths) calls.push({ method: "GET", path, headers: { authorization } });
      calls.push({
        method: "POST",
        path: "/api/models",
        body: JSON.stringify({ text: "id: z\n" }),
        headers: { authorization },
      });
      calls.push({ method: "DELETE", path: "/api/models/oman-2025", headers: { authorization } });
    }
    await refuseAll("missing or wrong token", calls, [401]);
    expect(
      (await send(server.port, { method: "GET", path: "/api/health", headers: { authorization: "" } }))
        .status,
    ).toBe(200);
  });

  it("the job limits: 422 for an option the model refutes, 413 past the model size, 429 past the queue", async () => {
    const post = (options: Record<string, unknown>, engine = "simulate"): Call => ({
      method: "POST",
      path: "/api/models/oman-2025/runs",
      body: JSON.stringify({ engine, options }),
    });
    await refuseAll(
      "options against the model",
      [
        post({ given: ["talks=nosuch"] }),
        post({ given: ["nofactor=x"] }),
        post({ fix: ["talks"] }),
        post({ date: "1999-01-01" }, "beliefs"),
        post({ questions: ["nosuch"] }, "forecast"),
        post({ issue: "nosuch" }, "bargain"),
        post({ condition: "talks" }, "outlook"),
      ],
      [422],
      (r) => JSON.parse(r.text).problems?.[0]?.path?.startsWith("body.options"),
    );
    const wide = `id: wide\ntitle: Wide\nasOf: 2025-04-15\nactors: []\nfactors:\n${Array.from({ length: 110 }, (_, j) => `  - { id: f${j}, name: F${j}, states: [{ id: a, label: A }, { id: b, label: B }] }`).join("\n")}\nimpacts: []\n`;
    expect(
      (await send(server.port, { method: "POST", path: "/api/models", body: JSON.stringify({ text: wide }) }))
        .status,
    ).toBe(201);
    await refuseAll(
      "model size",
      ["scenarios", "sensitivity", "explain", "stakes"].map((engine) => ({
        method: "POST",
        path: "/api/models/wide/runs",
        body: JSON.stringify({ engine }),
      })),
      [413],
      (r) => r.text.includes("--limit maxScenarios="),
    );
    const long = (seed: number) => post({ runs: 10_000_000, steps: 500, chunkSize: 2000, seed });
    const accepted = [await send(server.port, long(1)), await send(server.port, long(2))];
    for (const a of accepted) expect(a.status).toBe(202);
    await refuseAll(
      "queue cap",
      [long(3), long(4), long(5)],
      [429],
      (r) => r.headers["retry-after"] === "10",
    );
    for (const a of accepted)
      await send(server.port, { method: "POST", path: `/api/runs/${JSON.parse(a.text).runId}/cancel` });
  }, 60_000);

  it("afterwards: the server answers, the seed model is unchanged and the store is intact", async () => {
    expect((await send(server.port, { method: "GET", path: "/api/health" })).status).toBe(200);
    const seed = JSON.parse((await send(server.port, { method: "GET", path: "/api/models/oman-2025" })).text);
    expect(seed.hash).toBe(seedHash);
    expect(seed.version).toBe(1);
    const ids = JSON.parse((await send(server.port, { method: "GET", path: "/api/models" })).text).map(
      (m: { id: string }) => m.id,
    );
    expect(ids.sort()).toEqual(["oman-2025", "wide"]);
    const db = new SQLite(join(dir, "data", STORE_FILE), { readonly: true, fileMustExist: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      db.close();
    }
  });
});
