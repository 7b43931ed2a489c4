// muscat worker — runs parts of other machines' runs from a Redis queue (src/workers/), and the
// --redis option of the commands whose work splits into parts (scenarios, simulate, robust,
// sensitivity, succession --basins, beliefs, forecast).
// Without --redis or MUSCAT_REDIS, those commands run on this machine's threads as before.
import { Option } from "commander";
import type { CommandContext } from "./command.js";
import { CliError, EXIT_OK, EXIT_USAGE, type Io } from "./io.js";

/** `--redis <url>`: the queue to run the parts on (else MUSCAT_REDIS, else this machine). */
export const redisOption = () =>
  new Option(
    "--redis <url>",
    "run the parts on a Redis queue served by `muscat worker`s (redis://host:port; default $MUSCAT_REDIS)",
  ).argParser(checkRedisUrl);

export function checkRedisUrl(v: string): string {
  if (!/^rediss?:\/\/[^\s]+$/.test(v))
    throw new CliError(`--redis: expected redis://host:port or rediss://host:port; got '${v}'`, EXIT_USAGE);
  return v;
}

/** The queue of a command: its --redis, else $MUSCAT_REDIS (checked), else none. */
export function redisOf(o: object): string | undefined {
  const flag = (o as { redis?: unknown }).redis;
  if (typeof flag === "string") return flag;
  const env = process.env.MUSCAT_REDIS;
  return env ? checkRedisUrl(env) : undefined;
}

async function cmdWorker(
  o: { redis?: string; concurrency: number; lockMs: number; quiet?: boolean },
  io: Io,
) {
  const url = redisOf(o);
  if (!url) throw new CliError("muscat worker needs --redis <url> or MUSCAT_REDIS", EXIT_USAGE);
  const { startQueueWorker } = await import("../workers/queue-worker.js");
  const { safeUrl } = await import("../workers/queue.js");
  const { startJobRunner } = await import("../server/queue-job-runner.js");
  const log =
    (what: string) =>
    (e: { kind: string; id: string; detail?: string }): void => {
      if (!o.quiet && e.kind !== "start")
        io.err(`${new Date().toISOString()} ${what} ${e.id} ${e.kind}${e.detail ? `: ${e.detail}` : ""}`);
    };
  const jobs = await startJobRunner({
    url,
    concurrency: o.concurrency,
    lockMs: o.lockMs,
    onEvent: log("job"),
  });
  const handle = await startQueueWorker({
    url,
    concurrency: o.concurrency,
    lockMs: o.lockMs,
    onEvent: log("part"),
  });
  io.err(
    `muscat worker: ${o.concurrency} thread${o.concurrency === 1 ? "" : "s"} on ${safeUrl(url)} (Ctrl-C to stop)`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  io.err("muscat worker: finishing the running parts…");
  await Promise.all([handle.close(), jobs.close()]);
  io.err(`muscat worker: stopped after ${handle.done()} parts`);
  return EXIT_OK;
}

const whole = (name: string, min: number, max: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CliError(`--${name}: must be a whole number from ${min} to ${max}; got '${v}'`, EXIT_USAGE);
  return n;
};

export function registerQueueCommands({ program, io, run }: CommandContext): void {
  program
    .command("worker")
    .description(
      "run parts of other machines' runs (scenarios, simulate, robust, sensitivity, basins, forecast…) and the app's jobs from a Redis queue (see docs/scale-out.md)",
    )
    .addOption(redisOption())
    .addOption(
      new Option("--concurrency <n>", "parts at once (threads)")
        .argParser(whole("concurrency", 1, 256))
        .default(1),
    )
    .addOption(
      new Option("--lock-ms <ms>", "a part's lock: a dead worker's part is retried after this long")
        .argParser(whole("lock-ms", 1000, 600_000))
        .default(30_000),
    )
    .option("-q, --quiet", "no line per part")
    .action((opts) => run(() => cmdWorker(opts, io)));
}
