// Loader fuzz at scale: at least a million generated and mutated models (YAML, JSON, .scw, as
// text and as the bytes of a file) through the model loaders, counting crashes, hangs (over
// 2 s) and problems without a path or a line, with a few examples of each.
//   npx tsx bench/fuzz/run.ts [--count N] [--seed S] [--workers W] [--start I]
//                             [--pool P] [--big CHARS] [--whole-seed P] [--examples K]
// Defaults: 1,000,000 cases, seed 16, one worker process, a pool of 1,000 starting texts,
// blow-ups up to 500,000 characters, the whole seed model in one case of 2,000.
// Case `i` of seed `s` is always the same input: replay one with --start i --count 1.
// The cases run in child processes (--workers of them, each a slice of the range) that report
// every 500 cases; a child that stops reporting for 30 s is stopped, its current case is
// counted as a hang, and a new child goes on from the next case. A child that dies (the
// process itself crashed) counts its current case as a crash.
import { fork } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runCase, Tally } from "./check.js";
import { FuzzCases } from "./generate.js";

const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const count = opt("--count", 1_000_000);
const seed = opt("--seed", 16);
const first = opt("--start", 0);
const workers = Math.max(1, opt("--workers", 1));
const genOpts = {
  pool: opt("--pool", 1000),
  big: opt("--big", 500_000),
  wholeSeed: opt("--whole-seed", 0.0005),
};
const keep = opt("--examples", 5);
const REPORT_EVERY = 500;
const STALL_MS = 30_000;
const self = fileURLToPath(import.meta.url);

interface FromChild {
  /** Cases done so far in this child's slice, and their tally since the last report. */
  next: number;
  tally: Tally;
}

if (args[0] === "--child") await child();
else await main();

/** A child: runs cases [from, to), writes the current index to its file before each case. */
async function child(): Promise<void> {
  const [from, to, file] = [Number(args[1]), Number(args[2]), args[3]];
  const cases = new FuzzCases(seed, genOpts);
  const fd = openSync(file, "w");
  const at = Buffer.alloc(8);
  let tally = new Tally(keep);
  for (let i = from; i < to; i++) {
    at.writeDoubleLE(i);
    writeSync(fd, at, 0, 8, 0);
    const c = cases.get(i);
    tally.add(c, await runCase(c));
    if ((i + 1 - from) % REPORT_EVERY === 0 || i + 1 === to) {
      process.send?.({ next: i + 1, tally } satisfies FromChild);
      tally = new Tally(keep);
      // Let the report go out before the next batch.
      await new Promise((r) => setImmediate(r));
    }
  }
  closeSync(fd);
  process.disconnect?.();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "muscat-fuzz-"));
  const total = new Tally(keep);
  const started = performance.now();
  let done = 0;
  let lastPrint = 0;
  const progress = (force = false) => {
    const now = performance.now();
    if (!force && now - lastPrint < 10_000) return;
    lastPrint = now;
    const s = (now - started) / 1000;
    process.stderr.write(
      `${done}/${count} cases, ${s.toFixed(0)} s (${(done / s).toFixed(0)}/s): crashes ${total.crashes}, hangs ${total.hangs}, without path ${total.pathless}, without line ${total.lineless}\n`,
    );
  };

  // A case that stopped or killed its child, rebuilt here to name it.
  let cases: FuzzCases | undefined;
  const replayable = (index: number) => {
    cases ??= new FuzzCases(seed, genOpts);
    const c = cases.get(index);
    return { ...c, label: `${c.label}; replay with --start ${index} --count 1` };
  };

  // One slice of the range per worker; a slice restarts after a stopped or dead child.
  const runSlice = (from: number, to: number, w: number): Promise<void> =>
    new Promise((resolve) => {
      if (from >= to) return resolve();
      const file = path.join(dir, `at-${w}`);
      const proc = fork(self, ["--child", String(from), String(to), file, ...args]);
      let next = from;
      let heard = performance.now();
      let over = false;
      const current = () => {
        try {
          return readFileSync(file).readDoubleLE(0);
        } catch {
          return next;
        }
      };
      const restart = (index: number) => {
        over = true;
        clearInterval(watch);
        done += index + 1 - next;
        progress();
        resolve(runSlice(index + 1, to, w));
      };
      proc.on("message", (m: FromChild) => {
        heard = performance.now();
        const t = Object.assign(new Tally(keep), m.tally);
        total.merge(t);
        done += m.next - next;
        next = m.next;
        progress();
      });
      const watch = setInterval(() => {
        if (over || performance.now() - heard < STALL_MS) return;
        const index = current();
        proc.kill("SIGKILL");
        total.addStopped(replayable(index), performance.now() - heard);
        restart(index);
      }, 1000);
      proc.on("exit", (code, signal) => {
        if (over) return;
        clearInterval(watch);
        if (next >= to && code === 0) {
          over = true;
          return resolve();
        }
        const index = current();
        total.add(replayable(index), {
          crash: `the process died (exit ${code}, signal ${signal})`,
          ms: performance.now() - heard,
          problems: 0,
          model: false,
          pathless: [],
          lineless: [],
          silent: false,
        });
        restart(index);
      });
    });

  process.stderr.write(
    `fuzzing ${count} cases from #${first}, seed ${seed}, ${workers} worker(s), pool ${genOpts.pool}, blow-ups up to ${genOpts.big} characters\n`,
  );
  const per = Math.ceil(count / workers);
  await Promise.all(
    Array.from({ length: workers }, (_, w) =>
      runSlice(first + w * per, Math.min(first + count, first + (w + 1) * per), w),
    ),
  );
  progress(true);
  rmSync(dir, { recursive: true, force: true });
  const secs = (performance.now() - started) / 1000;
  console.log(`seed ${seed}, cases #${first}–#${first + count - 1}, ${secs.toFixed(0)} s`);
  console.log(total.report());
  process.exitCode = total.failures() > 0 ? 1 : 0;
}
