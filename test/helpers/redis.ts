// Redis and `muscat worker` processes for the queue tests: a redis-server of our own on a free
// loopback port (no persistence unless asked), or the one CI started (MUSCAT_TEST_REDIS), and
// worker processes run from the TypeScript sources, so `kill -9` is a real crash.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { repoRoot } from "./paths.js";

export const REDIS_SERVER = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].find((p) =>
  existsSync(p),
);
export const haveRedis = Boolean(REDIS_SERVER || process.env.MUSCAT_TEST_REDIS);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Stops the server and starts it again on the same port (its data is lost without persistence). */
  restart(downMs?: number): Promise<void>;
}

const ping = (port: number) => {
  try {
    return (
      execFileSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8", timeout: 2000 }).trim() ===
      "PONG"
    );
  } catch {
    return false;
  }
};

async function waitFor(ok: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A redis-server of this test's own (required for restart), else CI's shared one. */
export async function startRedis(own = false): Promise<TestRedis> {
  if (!own && process.env.MUSCAT_TEST_REDIS) {
    const url = process.env.MUSCAT_TEST_REDIS;
    return {
      url,
      port: Number(new URL(url).port),
      stop: async () => {},
      restart: async () => {
        throw new Error("the shared Redis cannot be restarted by a test");
      },
    };
  }
  if (!REDIS_SERVER) throw new Error("redis-server is not installed (apt-get install redis-server)");
  const port = await freePort();
  let proc: ChildProcess | undefined;
  const up = async () => {
    proc = spawn(
      REDIS_SERVER,
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      {
        stdio: "ignore",
      },
    );
    await waitFor(() => ping(port), 10_000, `redis-server on port ${port}`);
  };
  const down = async () => {
    if (!proc || proc.exitCode !== null) return;
    const p = proc;
    const gone = new Promise((r) => p.once("exit", r));
    p.kill("SIGKILL");
    await gone;
  };
  await up();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: down,
    restart: async (downMs = 500) => {
      await down();
      await new Promise((r) => setTimeout(r, downMs));
      await up();
    },
  };
}

export interface TestWorker {
  proc: ChildProcess;
  log: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A `muscat worker` process on `url`; resolves once it is taking parts. */
export async function startWorker(
  url: string,
  opts: { concurrency?: number; lockMs?: number; env?: Record<string, string> } = {},
): Promise<TestWorker> {
  const args = [
    "--import",
    "tsx",
    join(repoRoot, "src", "cli", "main.ts"),
    "worker",
    "--redis",
    url,
    "--concurrency",
    String(opts.concurrency ?? 1),
    "--lock-ms",
    String(opts.lockMs ?? 30_000),
  ];
  const proc = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  proc.stderr?.on("data", (b) => {
    log += String(b);
  });
  await waitFor(
    () => /muscat worker: \d+ thread/.test(log) || proc.exitCode !== null,
    60_000,
    "the worker to start",
  );
  if (proc.exitCode !== null) throw new Error(`the worker exited: ${log}`);
  return {
    proc,
    log: () => log,
    kill: async (signal = "SIGTERM") => {
      if (proc.exitCode !== null) return;
      const gone = new Promise((r) => proc.once("exit", r));
      proc.kill(signal);
      await gone;
    },
  };
}
