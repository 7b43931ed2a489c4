// DNS rebinding and cross-origin writes against a real server on a port: a request under a
// foreign Host name is refused (403) for reads, writes and the UI alike; a write whose Origin
// is another site is refused even under an allowed name; loopback names and the names an
// operator allows (with a token) are served. Counts of tried / refused are printed.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allowedHost, hostName } from "../../src/server/guard.js";
import { type RunningServer, startServer } from "../../src/server/serve.js";
import { seedModelPath } from "../helpers/paths.js";

function call(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const r = request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      let text = "";
      res.on("data", (d) => {
        text += d;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    r.on("error", reject);
    if (body) r.write(body);
    r.end();
  });
}

describe("host and origin guard", () => {
  let server: RunningServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "muscat-host-"));
    server = await startServer({
      dataDir: dir,
      port: 0,
      seedText: readFileSync(seedModelPath, "utf8"),
      version: "test",
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("parses Host names and allows only loopback ones by default", () => {
    expect(hostName("localhost:4747")).toBe("localhost");
    expect(hostName("[::1]:4747")).toBe("::1");
    expect(hostName("EVIL.example.com")).toBe("evil.example.com");
    expect(hostName("a b")).toBeNull();
    expect(hostName("")).toBeNull();
    expect(allowedHost("127.0.0.1", [])).toBe(true);
    expect(allowedHost("127.1.2.3", [])).toBe(true);
    expect(allowedHost("evil.example.com", [])).toBe(false);
    expect(allowedHost("muscat.lan", ["muscat.lan"])).toBe(true);
  });

  it("refuses foreign Host names on reads, writes and the UI; serves loopback names", async () => {
    const port = server.port;
    const model = JSON.stringify({ text: "id: x\ntitle: X\n" });
    const foreign = [
      "evil.example.com",
      "evil.example.com:4747",
      "127.0.0.1.nip.io",
      "localhost.evil.com",
      "0.0.0.0",
    ];
    let tried = 0;
    let refused = 0;
    for (const host of foreign)
      for (const [method, path, body] of [
        ["GET", "/api/models", undefined],
        ["GET", "/api/models/oman-2025", undefined],
        ["DELETE", "/api/models/oman-2025", undefined],
        ["POST", "/api/models", model],
        ["GET", "/", undefined],
      ] as const) {
        const r = await call(port, method, path, { host, "content-type": "application/json" }, body);
        tried++;
        if (r.status === 403) refused++;
        expect(r.status, `${method} ${path} as ${host}`).toBe(403);
      }
    console.log(`foreign Host: tried ${tried}, refused ${refused}`);
    for (const host of ["localhost", `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`])
      expect((await call(port, "GET", "/api/models", { host })).status, host).toBe(200);
    // the model is still there
    expect((await call(port, "GET", "/api/models/oman-2025", { host: "localhost" })).status).toBe(200);
  });

  it("refuses writes from a foreign Origin, allows reads and same-origin writes", async () => {
    const port = server.port;
    const host = `127.0.0.1:${port}`;
    let tried = 0;
    let refused = 0;
    for (const origin of [
      "http://evil.example.com",
      "https://evil.example.com:443",
      "null",
      "file://",
      "http://localhost.evil.com",
    ]) {
      const r = await call(
        port,
        "POST",
        "/api/models",
        { host, origin, "content-type": "application/json" },
        JSON.stringify({ text: "id: y\n" }),
      );
      tried++;
      if (r.status === 403) refused++;
      expect(r.status, origin).toBe(403);
      expect(JSON.parse(r.text).code).toBe("origin");
    }
    console.log(`foreign Origin on writes: tried ${tried}, refused ${refused}`);
    // reads from a foreign page are not blocked by Origin (the browser's same-origin policy keeps their answers from it)
    expect((await call(port, "GET", "/api/models", { host, origin: "http://evil.example.com" })).status).toBe(
      200,
    );
    // a same-origin write goes through to validation (422: an invalid model, not a refusal)
    const own = await call(
      port,
      "POST",
      "/api/models",
      { host, origin: `http://${host}`, "content-type": "application/json" },
      JSON.stringify({ text: "id: y\n" }),
    );
    expect(own.status).not.toBe(403);
  });

  it("answers to an allowed name only when started with it, and only with a token", async () => {
    const d = mkdtempSync(join(tmpdir(), "muscat-host-"));
    try {
      await expect(
        startServer({ dataDir: d, port: 0, version: "test", allowedHosts: ["muscat.lan"] }),
      ).rejects.toThrow(/needs a token/);
      const s = await startServer({
        dataDir: d,
        port: 0,
        version: "test",
        allowedHosts: ["muscat.lan"],
        token: "t0ken",
      });
      try {
        const auth = { authorization: "Bearer t0ken" };
        expect((await call(s.port, "GET", "/api/models", { host: "muscat.lan", ...auth })).status).toBe(200);
        expect((await call(s.port, "GET", "/api/models", { host: "other.lan", ...auth })).status).toBe(403);
      } finally {
        await s.close();
      }
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
