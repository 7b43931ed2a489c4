// Start-up benchmark: whole `muscat` processes against node's own start (`node -e 0`), timed in
// the same run, alternating command and baseline so that the machine's drift hits both alike.
//   npx tsx bench/startup/run.ts [--runs N] [--no-build]
// Builds dist/ first (as `npm ci` does through `prepare`) unless --no-build, then for each
// command prints the median, min and max wall time over N runs (default 11), the ratio of the
// medians to node's, and the median peak RSS (separate runs with a preload that reads
// process.resourceUsage().maxRSS at exit, so the timed runs are unmodified).
// Targets (issue 12): --help ≤ 3×; scenarios on the seed model ≤ 4× and ≤ 80 MiB;
// scenarios on iain_bench_50x50 (ScenarioWizard .scw, --format sl) ≤ 3×.
// The model cache (src/model/cache.ts) lives in a fresh folder: one untimed run fills it, as
// any earlier run of the same file would; the "no cache" row shows a first run's cost.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { exportScw, matrixToBlocks } from "../../src/model/scw.js";
import type { Factor, Model } from "../../src/model/types.js";

const args = process.argv.slice(2);
const runs = args.includes("--runs") ? Number(args[args.indexOf("--runs") + 1]) : 11;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = path.join(root, "bin", "muscat.js");
const work = mkdtempSync(path.join(tmpdir(), "muscat-startup-"));
const cacheDir = path.join(work, "cache");

if (!args.includes("--no-build")) {
  process.stderr.write("building dist/ (tsup)…\n");
  execFileSync(path.join(root, "node_modules", ".bin", "tsup"), ["--silent"], {
    cwd: root,
    stdio: "inherit",
  });
}

// iain_bench_50x50 as ScenarioWizard wrote it: a .scw project (15 descriptors, 50 states).
const cases = JSON.parse(readFileSync(path.resolve(root, "../shared/fixtures/cib/cases.json"), "utf8")).cases;
const iain = cases.find((c: { id: string }) => c.id === "iain_bench_50x50");
const factors: Factor[] = iain.descriptors.map((d: { name: string; variants: string[] }, i: number) => ({
  id: `d${i + 1}`,
  name: d.name,
  short: d.name,
  owners: [],
  exogenous: false,
  keywords: [],
  states: d.variants.map((v, k) => ({ id: `v${k + 1}`, label: v, short: v, keywords: [] })),
}));
const iainModel = {
  format: "muscat/1",
  id: "iain-bench-50x50",
  title: "bench_50x50",
  asOf: "2025-01-01",
  scale: { min: -3, max: 3 },
  sources: [],
  actors: [],
  factors,
  impacts: matrixToBlocks(factors, iain.matrix),
  stakes: [],
  issues: [],
} as unknown as Model;
const iainScw = path.join(work, "bench_50x50.scw");
writeFileSync(iainScw, exportScw(iainModel));

interface Row {
  name: string;
  argv: string[];
  env?: Record<string, string>;
  target?: { ratio: number; rssMiB?: number };
  check?: (stdout: string) => string | undefined;
}
const muscat = (...a: string[]) => [bin, ...a];
const rows: Row[] = [
  { name: "node -e 0 (baseline)", argv: ["-e", "0"] },
  { name: "muscat --help", argv: muscat("--help"), target: { ratio: 3 } },
  {
    name: "muscat scenarios (seed model)",
    argv: muscat("scenarios", "--format", "json"),
    target: { ratio: 4, rssMiB: 80 },
    check: (out) => (JSON.parse(out).scenarios.length > 0 ? undefined : "no scenarios"),
  },
  {
    name: "muscat scenarios bench_50x50.scw --format sl",
    argv: muscat("scenarios", iainScw, "--format", "sl"),
    target: { ratio: 3 },
    check: (out) => {
      const n = (out.match(/^\s*\d+\s*$/m) ?? [""])[0].trim();
      return n === String(iain.expected.consistent_count) ? undefined : `solution list says ${n} scenarios`;
    },
  },
  {
    name: "muscat scenarios (seed model, no cache: a first run)",
    argv: muscat("scenarios", "--format", "json"),
    env: { MUSCAT_CACHE: "off" },
  },
];

const env = (r: Row, extra: Record<string, string> = {}) => ({
  ...process.env,
  MUSCAT_CACHE: cacheDir,
  ...r.env,
  ...extra,
});
function once(r: Row): { ms: number; stdout: string } {
  const t = performance.now();
  const p = spawnSync(process.execPath, r.argv, {
    cwd: root,
    env: env(r),
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  const ms = performance.now() - t;
  if (p.status !== 0) throw new Error(`${r.name}: exit ${p.status}\n${p.stderr}`);
  return { ms, stdout: p.stdout };
}
function rss(r: Row): number {
  const out = path.join(work, "rss.txt");
  rmSync(out, { force: true });
  const preload = path.join(root, "bench", "startup", "rss.mjs");
  const p = spawnSync(process.execPath, ["--import", preload, ...r.argv], {
    cwd: root,
    env: env(r, { MUSCAT_RSS_OUT: out }),
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (p.status !== 0) throw new Error(`${r.name}: exit ${p.status}\n${p.stderr}`);
  return Number(readFileSync(out, "utf8").trim()) / 1024;
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Warm-up: fills the model cache and the OS file cache; checks each command's output.
for (const r of rows) {
  const msg = r.check?.(once(r).stdout);
  if (msg) throw new Error(`${r.name}: ${msg}`);
}
const times = rows.map(() => [] as number[]);
const mems = rows.map(() => [] as number[]);
for (let i = 0; i < runs; i++) {
  process.stderr.write(`\rrun ${i + 1}/${runs}`);
  // Alternate: baseline, command, baseline, command… in a rotating order.
  for (let k = 1; k < rows.length; k++) {
    const j = 1 + ((k - 1 + i) % (rows.length - 1));
    times[0].push(once(rows[0]).ms);
    times[j].push(once(rows[j]).ms);
  }
  for (let k = 0; k < rows.length; k++) mems[k].push(rss(rows[k]));
}
process.stderr.write("\n");

const base = median(times[0]);
const fmt = (x: number) => x.toFixed(0);
const lines: string[][] = [
  ["command", "median ms", "min–max ms", "× node", "target", "peak RSS MiB", "verdict"],
];
rows.forEach((r, k) => {
  const m = median(times[k]);
  const ratio = m / base;
  const mem = median(mems[k]);
  const ok =
    !r.target || (ratio <= r.target.ratio && (r.target.rssMiB === undefined || mem <= r.target.rssMiB));
  lines.push([
    r.name,
    fmt(m),
    `${fmt(Math.min(...times[k]))}–${fmt(Math.max(...times[k]))}`,
    k === 0 ? "1.00" : ratio.toFixed(2),
    r.target ? `≤ ${r.target.ratio}×${r.target.rssMiB ? `, ≤ ${r.target.rssMiB} MiB` : ""}` : "",
    mem.toFixed(1),
    r.target ? (ok ? "meets" : "MISSES") : "",
  ]);
});
const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => l[c].length)));
console.log(`start-up, ${runs} runs each (alternating with the baseline), node ${process.version}`);
for (const l of lines) console.log(l.map((x, c) => x.padEnd(widths[c])).join("  "));
rmSync(work, { recursive: true, force: true });
