// Starting the application server: lock the data directory (one server per directory), open
// (and migrate) the store, bind host:port (127.0.0.1 by default), then mark runs a killed server
// left behind as failed and load the seed model on first start before answering requests. Binding to a non-loopback host
// requires a token (MUSCAT_TOKEN), since the API can change models.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import lockfile from "proper-lockfile";
import { InputError } from "../errors.js";
import { openStore, type Store, seedIfEmpty } from "../store/index.js";
import { createApp } from "./app.js";
import { DEFAULT_HOST, DEFAULT_PORT } from "./defaults.js";
import { JobQueue, type Jobs } from "./jobs.js";
import type { JobLimits } from "./limits.js";
import { staticHandler } from "./static.js";

export { DEFAULT_HOST, DEFAULT_PORT };

export interface ServeOptions {
  dataDir: string;
  host?: string;
  port?: number;
  token?: string;
  /** Host names to answer besides the loopback ones (needs a token); the bound host is added. */
  allowedHosts?: string[];
  /** Folder of the built UI (web/dist); when missing, a short page points to the API docs. */
  staticDir?: string;
  /** Text of the seed model, stored as the first model when the store has none. */
  seedText?: string;
  version: string;
  concurrency?: number;
  /** Job limits (size, time, queue caps); default DEFAULT_LIMITS. */
  limits?: JobLimits;
  /** Run the jobs on this Redis queue (`muscat worker`s) instead of in this process. */
  redis?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  store: Store;
  queue: Jobs;
  /** Runs marked failed at start (left over by a killed server). */
  recovered: number;
  seeded?: string;
  /** The Redis queue the jobs run on (password hidden), when there is one. */
  redis?: string;
  close(): Promise<void>;
}

export class ServeError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "ServeError";
  }
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const host = o.host ?? DEFAULT_HOST;
  const port = o.port ?? DEFAULT_PORT;
  if (!isLoopback(host) && !o.token)
    throw new ServeError(`binding to ${host} (not this machine only) needs a token: set MUSCAT_TOKEN`);
  const extra = (o.allowedHosts ?? []).map((h) => h.toLowerCase());
  if (extra.some((h) => !isLoopback(h)) && !o.token)
    throw new ServeError(`answering to ${extra.join(", ")} needs a token: set MUSCAT_TOKEN`);
  // The bound host is a name the server answers to (not the wildcard addresses).
  if (!isLoopback(host) && host !== "0.0.0.0" && host !== "::") extra.push(host.toLowerCase());
  // One server per data directory: the lock comes before anything touches the store. A lock
  // whose holder died goes stale (no refresh for 10 s) and is taken over.
  mkdirSync(o.dataDir, { recursive: true });
  const release = await lockDataDir(o.dataDir);
  const store = await openStore(o.dataDir).catch(async (e) => {
    await release();
    throw e;
  });
  if (!store) {
    await release();
    throw new ServeError(`cannot open the store in ${o.dataDir}`);
  }
  let queue: Jobs;
  if (o.redis) {
    const { QueueJobs, serverId } = await import("./queue-jobs.js");
    const q = new QueueJobs(store, { url: o.redis, server: serverId(o.dataDir), limits: o.limits });
    try {
      await q.start();
    } catch (e) {
      await store.close();
      await release();
      throw new ServeError((e as Error).message);
    }
    queue = q;
  } else queue = new JobQueue(store, { concurrency: o.concurrency, limits: o.limits });
  // Requests wait until the runs a stopped server left are recovered and the seed is loaded,
  // which happens only once the port is bound.
  let startUp: (v?: unknown) => void = () => {};
  const ready = new Promise((r) => {
    startUp = r;
  });
  const app = createApp({ store, queue, version: o.version, token: o.token, allowedHosts: extra, ready });
  app.get("*", staticHandler(o.staticDir));
  const server = await new Promise<ReturnType<typeof serve>>((resolveServer, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolveServer(s));
    s.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        new ServeError(
          e.code === "EADDRINUSE"
            ? `port ${port} on ${host} is in use: choose another with --port`
            : e.message,
        ),
      ),
    );
  }).catch(async (e) => {
    await queue.close();
    await store.close();
    await release();
    throw e;
  });
  const recovered = await queue.recover();
  const seeded = o.seedText ? await seedIfEmpty(store, o.seedText) : undefined;
  startUp();
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  let closed = false;
  return {
    url: `http://${shownHost}:${addr.port}/`,
    port: addr.port,
    host,
    store,
    queue,
    recovered,
    seeded,
    redis: o.redis ? (await import("../workers/queue.js")).safeUrl(o.redis) : undefined,
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((r) => {
        server.close(() => r());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await queue.close();
      await store.close();
      await release();
    },
  };
}

/**
 * Takes the data directory's lock (proper-lockfile: an atomic mkdir of DIR/server.lock, kept
 * fresh every 2 s, stale after 10 s) and writes this process's id beside it. A lock whose
 * holder is no longer running (its process id is gone: a server killed with SIGKILL) is taken
 * over at once; a live holder makes this server refuse to start, changing nothing.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = join(dataDir, "server.lock");
  const pidPath = join(dataDir, "server.pid");
  const take = () =>
    lockfile.lock(dataDir, {
      lockfilePath: lockPath,
      stale: 10_000,
      update: 2_000,
      realpath: false,
      onCompromised: (e) => console.error(`muscat: the data directory lock was lost: ${e.message}`),
    });
  let release: () => Promise<void>;
  try {
    release = await take();
  } catch (e) {
    if ((e as { code?: string }).code !== "ELOCKED") throw e;
    const pid = Number(existsSync(pidPath) ? readFileSync(pidPath, "utf8").trim() : Number.NaN);
    if (Number.isInteger(pid) && pid > 0 && (pid === process.pid || alive(pid)))
      throw new ServeError(
        `another Muscat server (process ${pid}) is using the data directory ${dataDir}: stop it first, or start this one with another --data`,
      );
    if (!Number.isInteger(pid) || pid <= 0)
      throw new ServeError(
        `the data directory ${dataDir} is locked (${lockPath}) by a server that left no process id: if none is running, remove ${lockPath}`,
      );
    // The holder is gone (killed): take its lock over.
    rmSync(lockPath, { recursive: true, force: true });
    release = await take();
  }
  writeFileSync(pidPath, String(process.pid));
  return async () => {
    rmSync(pidPath, { force: true });
    await release().catch(() => {});
  };
}

/** Whether a process with this id is running (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
