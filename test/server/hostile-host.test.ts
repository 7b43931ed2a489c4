// The host guard against DNS rebinding (guard.ts): how Host names are read, loopback names and
// same-origin writes served, and names an operator allows answered only with a token. The
// refusals (foreign Host, foreign Origin on writes, tried / refused) are in the hostile-request
// suite (hostile-requests.test.ts).

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

  it("serves loopback names; the foreign ones are in the hostile-request suite", async () => {
    const port = server.port;
    for (const host of ["localhost", `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`])
      expect((await call(port, "GET", "/api/models", { host })).status, host).toBe(200);
    const host = `127.0.0.1:${port}`;
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
