// Starting the application server: open (and migrate) the store in the data directory, mark
// runs a killed server left behind as failed, load the seed model on first start, then serve
// the API and the built UI on host:port (127.0.0.1 by default). Binding to a non-loopback host
// requires a token (MUSCAT_TOKEN), since the API can change models.

import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { InputError } from "../errors.js";
import { openStore, type Store, seedIfEmpty } from "../store/index.js";
import { createApp } from "./app.js";
import { DEFAULT_HOST, DEFAULT_PORT } from "./defaults.js";
import { JobQueue } from "./jobs.js";
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
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  store: Store;
  queue: JobQueue;
  /** Runs marked failed at start (left over by a killed server). */
  recovered: number;
  seeded?: string;
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
  const store = await openStore(o.dataDir);
  if (!store) throw new ServeError(`cannot open the store in ${o.dataDir}`);
  const queue = new JobQueue(store, { concurrency: o.concurrency });
  const recovered = await queue.recover();
  const seeded = o.seedText ? await seedIfEmpty(store, o.seedText) : undefined;
  const app = createApp({ store, queue, version: o.version, token: o.token, allowedHosts: extra });
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
    await store.close();
    throw e;
  });
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
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((r) => {
        server.close(() => r());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await queue.close();
      await store.close();
    },
  };
}
