// muscat serve: the application — the HTTP API and the browser UI on one local URL, over the
// store in the data directory (--data DIR, else $MUSCAT_DATA, else ./data), with the seed model
// loaded on first start. Binds 127.0.0.1 unless told otherwise; another host needs MUSCAT_TOKEN.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_HOST, DEFAULT_PORT } from "../server/defaults.js";
import { resolveDataDir } from "../store/paths.js";
import type { CommandContext } from "./command.js";
import {
  CliError,
  defaultModelPath,
  displayPath,
  EXIT_USAGE,
  type Io,
  packageRoot,
  packageVersion,
} from "./io.js";
import { redisOf, redisOption } from "./queue.js";

export interface ServeCliOptions {
  port?: string;
  host?: string;
  data?: string;
  ui?: string;
  allowHost?: string[];
  limit?: string[];
  redis?: string;
}

export async function cmdServe(o: ServeCliOptions, io: Io): Promise<number> {
  const port = o.port === undefined ? DEFAULT_PORT : Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`--port must be an integer 0–65535; got '${o.port}'`, EXIT_USAGE);
  const host = o.host ?? DEFAULT_HOST;
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host))
    throw new CliError(`--host: '${host}' is not a host name or address`, EXIT_USAGE);
  const dataDir = resolveDataDir(o.data);
  const uiDir = o.ui ?? join(packageRoot(), "web", "dist");
  const seedPath = defaultModelPath();
  const token = process.env.MUSCAT_TOKEN || undefined;
  // Host names to answer besides the loopback ones (DNS rebinding guard): --allow-host, or
  // MUSCAT_ALLOWED_HOSTS (comma-separated).
  const allowedHosts = [
    ...(o.allowHost ?? []),
    ...(process.env.MUSCAT_ALLOWED_HOSTS ?? "").split(",").map((h) => h.trim()),
  ].filter(Boolean);
  for (const h of allowedHosts)
    if (!/^[A-Za-z0-9.:-]+$/.test(h))
      throw new CliError(`--allow-host: '${h}' is not a host name`, EXIT_USAGE);
  // Job limits: the defaults, then MUSCAT_LIMITS, then --limit (limits.ts says what each is).
  const { parseLimits } = await import("../server/limits.js");
  let limits: ReturnType<typeof parseLimits>;
  try {
    limits = parseLimits([...(process.env.MUSCAT_LIMITS ?? "").split(","), ...(o.limit ?? [])]);
  } catch (e) {
    throw new CliError((e as Error).message, EXIT_USAGE);
  }
  // The server, the store and their libraries load only for this command.
  const { ServeError, startServer } = await import("../server/serve.js");
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      dataDir,
      host,
      port,
      token,
      allowedHosts,
      staticDir: existsSync(join(uiDir, "index.html")) ? uiDir : undefined,
      seedText: existsSync(seedPath) ? readFileSync(seedPath, "utf8") : undefined,
      version: packageVersion(),
      limits,
      redis: redisOf(o),
    });
  } catch (e) {
    if (e instanceof ServeError) throw new CliError(e.message, EXIT_USAGE);
    throw e;
  }
  if (server.recovered)
    io.err(
      `${server.recovered} run${server.recovered === 1 ? "" : "s"} left unfinished by a stopped server marked failed`,
    );
  if (server.seeded) io.err(`loaded the seed model '${server.seeded}' into the new store`);
  if (!existsSync(join(uiDir, "index.html")))
    io.err(`the browser UI is not built (${displayPath(uiDir)} missing): serving the API only`);
  io.err(
    `data: ${displayPath(dataDir)}${token ? " · token required" : ""}${server.redis ? ` · jobs on the Redis queue at ${server.redis} (run \`muscat worker\`s)` : ""}`,
  );
  io.out(`Muscat is running at ${server.url}  (API docs: ${server.url}api/docs; Ctrl+C stops)`);
  await new Promise<void>((resolveStop) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      io.err("stopping…");
      server.close().then(resolveStop, resolveStop);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return 0;
}

export function registerServeCommands({ program, io, run }: CommandContext): void {
  program
    .command("serve")
    .description(
      "serve the application (API and browser UI) on a local URL, with the seed model on first start",
    )
    .option("--port <n>", `port (default ${DEFAULT_PORT}; 0 picks a free one)`)
    .option("--host <host>", `address to bind (default ${DEFAULT_HOST}; another host needs MUSCAT_TOKEN)`)
    .option(
      "--allow-host <name>",
      "a host name to answer to besides localhost/127.0.0.1/[::1] (repeatable; needs MUSCAT_TOKEN; or MUSCAT_ALLOWED_HOSTS)",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option(
      "--limit <name=value>",
      "raise or lower a job limit (repeatable; or MUSCAT_LIMITS=a=1,b=2): maxScenarios, maxCells, maxAuthors, runMinutes, runMinutes.<engine>, maxQueued, maxQueuedPerModel",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option("--data <dir>", "data directory holding the store (default $MUSCAT_DATA, else ./data)")
    .addOption(redisOption())
    .option("--ui <dir>", "folder of the built UI (default web/dist in the package)")
    .addHelpText(
      "after",
      "\nExamples:\n  muscat serve --port 4747 --data ~/muscat-data\n  muscat serve --limit maxScenarios=1e40 --limit runMinutes.scenarios=240\n",
    )
    .action((opts) => run(() => cmdServe(opts, io)));
}
