// What the kill -9 suite (kill-suite.test.ts) uses: a real `muscat serve` child process on a
// data directory, started and killed with SIGKILL; JSON requests that record whether an answer
// came back; the ledger of every write sent (acknowledged or not); and the check of a killed
// server's store, read-only while no server runs: SQLite's integrity and foreign-key checks,
// every model old-or-new (each version is the text acknowledged for it or a save that was sent
// without an answer, versions contiguous, nothing acknowledged lost), every document whole, and
// the runs the killed server left queued or running (to be found failed after the restart).
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { STORE_FILE } from "../../src/store/paths.js";
import { repoRoot } from "../helpers/paths.js";

export interface Served {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

/** Starts `muscat serve --port 0 --data DIR` and waits for the address it prints. */
export function startServe(dir: string): Promise<Served> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(repoRoot, "src/cli/main.ts"), "serve", "--port", "0", "--data", dir],
    { cwd: repoRoot, env: { ...process.env, MUSCAT_TOKEN: "" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the server on ${dir} did not start within 60 s: ${err}`));
    }, 60_000);
    child.stdout?.on("data", (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[0], exited });
      }
    });
    child.stderr?.on("data", (d) => {
      err += d;
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server on ${dir} exited (${code}) before it answered: ${err}`));
    });
  });
}

/** SIGKILL, then wait until the process is gone. */
export async function killHard(s: Served): Promise<void> {
  s.child.kill("SIGKILL");
  await s.exited;
}

export interface Answer {
  /** 0: no answer came back (the server was killed first). */
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
  data: any;
  error?: string;
}

/** With MUSCAT_KILL_TRACE=1, every answer, start and kill is printed with a time stamp. */
export function trace(m: string): void {
  if (process.env.MUSCAT_KILL_TRACE) console.log(`${(performance.now() / 1000).toFixed(3)} ${m}`);
}

/** One JSON request; a request the server never answered (it was killed) gives status 0. */
export async function call(base: string, method: string, path: string, body?: unknown): Promise<Answer> {
  try {
    const r = await fetch(new URL(path, base), {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await r.text();
    trace(`${method} ${path} ${r.status}`);
    let data: unknown = text;
    try {
      data = JSON.parse(text);
    } catch {}
    return { status: r.status, data };
  } catch (e) {
    trace(`${method} ${path} unanswered`);
    return { status: 0, data: undefined, error: (e as Error).message };
  }
}

export const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

/** A small valid model (two factors, two impacts) with the given id and title. */
export function toyModel(id: string, title: string): string {
  return [
    "# A model the kill suite writes and overwrites.",
    `id: ${id}`,
    `title: ${title}`,
    "asOf: 2025-04-15",
    "actors: [{ id: a, name: A, kind: state }]",
    "factors:",
    "  - id: f",
    "    name: F",
    "    states: [{ id: x, label: X }, { id: y, label: Y }]",
    "  - id: g",
    "    name: G",
    "    states: [{ id: x, label: X }, { id: y, label: Y }, { id: z, label: Z }]",
    "impacts:",
    "  - from: f=x",
    "    to: g=y",
    "    strength: 2",
    "    rationale: f pushes g",
    "  - from: g=z",
    "    to: f=y",
    "    strength: -1",
    "    rationale: g holds f back",
    "",
  ].join("\n");
}

/** What the suite knows of one model: the text of each version in the store, and writes in flight. */
export interface ModelBook {
  id: string;
  /** Text of every version known to be stored (acknowledged, or found after a kill). */
  versions: Map<number, string>;
  /** Latest version known to be stored; 0 while its creation is unconfirmed. */
  latest: number;
  /** Writes sent without an answer: version `base + 1` with this text (base 0: the creation). */
  pending: { base: number; text: string }[];
}

/** A document sent: what the store must hold if it holds it. */
export interface DocBook {
  id: string;
  text: string;
  fileName: string;
  lineCount: number;
  keptCount: number;
  blocks: number;
  /** The version the server acknowledged (undefined: no answer yet). */
  ackedVersion?: number;
  /** Found in the store after a kill (or acknowledged): it must stay there. */
  known: boolean;
}

export interface Ledger {
  models: Map<string, ModelBook>;
  docs: Map<string, DocBook>;
  runsAcked: Set<number>;
  runsSeen: Set<number>;
}

export const newLedger = (): Ledger => ({
  models: new Map(),
  docs: new Map(),
  runsAcked: new Set(),
  runsSeen: new Set(),
});

export interface StoreCheck {
  integrityOk: boolean;
  modelsChecked: number;
  versionsChecked: number;
  docsChecked: number;
  /** Unacknowledged writes found committed / not committed. */
  unackedCommitted: number;
  unackedAbsent: number;
  /** Runs left queued or running by the killed server. */
  inFlightRuns: number[];
  runsChecked: number;
}

/**
 * Checks the store of a killed server (no server may be running) against the ledger; every
 * violation is pushed to `problems` with `where` in front. Then brings the ledger up to date:
 * unacknowledged writes found committed become known, the others are forgotten.
 */
export function checkKilledStore(dir: string, ledger: Ledger, where: string, problems: string[]): StoreCheck {
  const db = new SQLite(join(dir, STORE_FILE), { readonly: true, fileMustExist: true });
  const bad = (m: string) => problems.push(`${where}: ${m}`);
  const out: StoreCheck = {
    integrityOk: false,
    modelsChecked: 0,
    versionsChecked: 0,
    docsChecked: 0,
    unackedCommitted: 0,
    unackedAbsent: 0,
    inFlightRuns: [],
    runsChecked: 0,
  };
  try {
    const integrity = db.pragma("integrity_check", { simple: true });
    out.integrityOk = integrity === "ok";
    if (!out.integrityOk) bad(`integrity_check says ${String(integrity)}`);
    const fk = db.pragma("foreign_key_check") as unknown[];
    if (fk.length) bad(`foreign_key_check: ${JSON.stringify(fk.slice(0, 3))}`);
    checkModels(db, ledger, bad, out);
    checkDocuments(db, ledger, bad, out);
    checkRuns(db, ledger, bad, out);
  } finally {
    db.close();
  }
  return out;
}

type Bad = (m: string) => void;

function checkModels(db: SQLite.Database, ledger: Ledger, bad: Bad, out: StoreCheck): void {
  const rows = db.prepare("select id, title, latest_version from models").all() as {
    id: string;
    title: string;
    latest_version: number;
  }[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const r of rows)
    if (!ledger.models.has(r.id)) bad(`model '${r.id}' is in the store but was never sent`);
  const versionsOf = db.prepare(
    "select version, text, text_sha256, title from model_versions where model_id = ? order by version",
  );
  for (const [id, book] of [...ledger.models]) {
    const row = byId.get(id);
    const versions = versionsOf.all(id) as {
      version: number;
      text: string;
      text_sha256: string;
      title: string;
    }[];
    if (!row) {
      if (book.latest > 0) bad(`model '${id}' (acknowledged up to version ${book.latest}) is gone`);
      if (versions.length) bad(`model '${id}' has ${versions.length} versions but no model row`);
      out.unackedAbsent += book.pending.length;
      ledger.models.delete(id);
      continue;
    }
    out.modelsChecked++;
    const numbers = versions.map((v) => v.version);
    const contiguous = numbers.every((n, i) => n === i + 1);
    if (!contiguous) bad(`model '${id}': versions are not 1..n: ${numbers.join(",")}`);
    if (row.latest_version !== numbers.length)
      bad(`model '${id}': latest_version ${row.latest_version} but ${numbers.length} versions`);
    if (row.latest_version < book.latest)
      bad(`model '${id}': latest version ${row.latest_version} but version ${book.latest} was acknowledged`);
    const last = versions[versions.length - 1];
    if (last && row.title !== last.title)
      bad(`model '${id}': title '${row.title}' is not the latest version's '${last.title}'`);
    const committed = new Set<string>();
    for (const v of versions) {
      out.versionsChecked++;
      if (sha256(v.text) !== v.text_sha256)
        bad(`model '${id}' version ${v.version}: text does not match its sha256`);
      const known = book.versions.get(v.version);
      if (v.version <= book.latest) {
        if (known !== v.text) bad(`model '${id}' version ${v.version}: not the text acknowledged for it`);
        continue;
      }
      const sent = book.pending.find((p) => p.base === v.version - 1 && p.text === v.text);
      if (!sent)
        bad(
          `model '${id}' version ${v.version}: neither acknowledged nor a save sent on version ${v.version - 1}`,
        );
      else committed.add(sent.text);
      book.versions.set(v.version, v.text);
    }
    out.unackedCommitted += committed.size;
    out.unackedAbsent += book.pending.length - committed.size;
    book.latest = Math.max(book.latest, row.latest_version);
    book.pending = [];
  }
}

function checkDocuments(db: SQLite.Database, ledger: Ledger, bad: Bad, out: StoreCheck): void {
  const rows = db
    .prepare("select id, series, version, supersedes, text, line_count, kept_count from documents")
    .all() as {
    id: string;
    series: string;
    version: number;
    supersedes: string | null;
    text: string;
    line_count: number;
    kept_count: number;
  }[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const r of rows)
    if (!ledger.docs.has(r.id)) bad(`document ${r.id.slice(0, 12)} is in the store but was never sent`);
  const blocksOf = db.prepare("select count(*) as n from blocks where document_id = ?");
  const logOf = db.prepare("select count(*) as n from corpus_log where document_id = ?");
  for (const [id, d] of [...ledger.docs]) {
    const r = byId.get(id);
    const name = `document ${d.fileName} (${id.slice(0, 12)})`;
    if (!r) {
      if (d.known || d.ackedVersion !== undefined) bad(`${name} was acknowledged but is gone`);
      else out.unackedAbsent++;
      ledger.docs.delete(id);
      continue;
    }
    out.docsChecked++;
    if (!d.known && d.ackedVersion === undefined) out.unackedCommitted++;
    d.known = true;
    if (r.text !== d.text) bad(`${name}: the stored text is not the text sent`);
    if (r.line_count !== d.lineCount || r.kept_count !== d.keptCount)
      bad(`${name}: ${r.line_count} lines, ${r.kept_count} kept; expected ${d.lineCount}, ${d.keptCount}`);
    const blocks = (blocksOf.get(id) as { n: number }).n;
    if (blocks !== d.blocks)
      bad(`${name}: ${blocks} cleaning blocks stored, expected ${d.blocks} (half a document?)`);
    if ((logOf.get(id) as { n: number }).n < 1) bad(`${name}: no corpus log entry`);
    if (d.ackedVersion !== undefined && r.version !== d.ackedVersion)
      bad(`${name}: version ${r.version}, acknowledged as ${d.ackedVersion}`);
  }
  // Each series is versions 1..n, each superseding the one before.
  const series = new Map<string, typeof rows>();
  for (const r of rows) series.set(r.series, [...(series.get(r.series) ?? []), r]);
  for (const [s, list] of series) {
    list.sort((a, b) => a.version - b.version);
    list.forEach((r, i) => {
      if (r.version !== i + 1) bad(`series ${s}: versions ${list.map((x) => x.version).join(",")}`);
      const prev = i === 0 ? null : list[i - 1].id;
      if (r.supersedes !== prev)
        bad(`series ${s} version ${r.version} supersedes ${r.supersedes}, not ${prev}`);
    });
  }
}

function checkRuns(db: SQLite.Database, ledger: Ledger, bad: Bad, out: StoreCheck): void {
  const rows = db.prepare("select id, status, result is not null as has_result, error from runs").all() as {
    id: number;
    status: string;
    has_result: number;
    error: string | null;
  }[];
  const ids = new Set(rows.map((r) => r.id));
  for (const id of ledger.runsAcked) if (!ids.has(id)) bad(`run ${id} was acknowledged but is gone`);
  for (const r of rows) {
    out.runsChecked++;
    ledger.runsSeen.add(r.id);
    if (r.status === "queued" || r.status === "running") out.inFlightRuns.push(r.id);
    else if (r.status === "done" && !r.has_result) bad(`run ${r.id} is done without a result`);
    else if (r.status === "failed" && !r.error) bad(`run ${r.id} failed without an error`);
    else if (!["done", "failed", "cancelled"].includes(r.status)) bad(`run ${r.id} has status '${r.status}'`);
  }
}
