// The kill -9 suite: a real `muscat serve` process is killed with SIGKILL at least 50 times at
// random moments (a seeded stream; the seed is printed) while several writes are in flight at
// once: model saves (PUT on the latest version, sometimes two racing on the same version),
// one-value edits (PATCH), new models (POST), corpus adds (several at once, large and small)
// and engine runs. A round starts the server, reads a model (which warms it up), fires the
// writes, and kills the server after a random number of answers (0-3) and a random 0-300 ms.
// Every write is recorded as acknowledged (a 2xx answer came back) or not. After each kill,
// with no server running, the store is opened read-only and checked (kill-helpers.ts):
// integrity, every model old-or-new with every acknowledged version intact and versions
// contiguous, every document whole, acknowledged runs present. The server is then started again
// on the same directory (it takes over the dead holder's lock) and every run the killed server
// left queued or running must now be failed. Two data directories ("lanes") run side by side.
// MUSCAT_KILL_SEED, MUSCAT_KILLS and MUSCAT_KILL_TRACE=1 (a time-stamped log) change a run.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { prepareDocument } from "../../src/evidence/document.js";
import { parsePath, setInModelText } from "../../src/model/edit.js";
import { makeRng, type Rng } from "../../src/random.js";
import { addDocuments, createModel, openStore, STORE_FILE, saveModelVersion } from "../../src/store/index.js";
import { createRun } from "../../src/store/runs.js";
import { seedModelPath } from "../helpers/paths.js";
import {
  type Answer,
  call,
  checkKilledStore,
  killHard,
  type Ledger,
  newLedger,
  type Served,
  sha256,
  startServe,
  toyModel,
  trace,
} from "./kill-helpers.js";

const SEED = Number(process.env.MUSCAT_KILL_SEED ?? 16_007);
const KILLS = Number(process.env.MUSCAT_KILLS ?? 52);
const LANES = 2;
/** The longest wait between firing a round's requests and the kill (ms). */
const MAX_DELAY = Number(process.env.MUSCAT_KILL_DELAY ?? 300);

const dirs: string[] = [];
const live: Served[] = [];
afterAll(async () => {
  for (const s of live) if (s.child.exitCode === null && s.child.signalCode === null) await killHard(s);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Tally {
  kills: number;
  acked: number;
  unacked: number;
  refused: number;
  unackedCommitted: number;
  unackedAbsent: number;
  modelsChecked: number;
  versionsChecked: number;
  docsChecked: number;
  runsAcked: number;
  runsFailed: number;
  integrityOk: number;
  integrityChecks: number;
  /** Models and documents in the stores at the end. */
  modelsAtEnd: number;
  docsAtEnd: number;
}

const tally = (): Tally => ({
  kills: 0,
  acked: 0,
  unacked: 0,
  refused: 0,
  unackedCommitted: 0,
  unackedAbsent: 0,
  modelsChecked: 0,
  versionsChecked: 0,
  docsChecked: 0,
  runsAcked: 0,
  runsFailed: 0,
  integrityOk: 0,
  integrityChecks: 0,
  modelsAtEnd: 0,
  docsAtEnd: 0,
});

const seedText = readFileSync(seedModelPath, "utf8");
const WORDS = "talks sanctions leverage enrichment oil tanker strait envoy ceasefire drone".split(" ");

/** One round's writers against one server; they stop at the first request left unanswered. */
class Round {
  alive = true;
  /** Requests answered so far this round, and who waits for a count. */
  answers = 0;
  private waiters: { n: number; go: () => void }[] = [];
  constructor(
    readonly s: Served,
    readonly ledger: Ledger,
    readonly rng: Rng,
    readonly t: Tally,
    readonly tag: string,
    readonly problems: string[],
  ) {}

  /** Resolves once `n` requests of the round have been answered (or after `capMs`). */
  afterAnswers(n: number, capMs: number): Promise<void> {
    return new Promise((go) => {
      if (this.answers >= n) return go();
      const timer = setTimeout(go, capMs);
      this.waiters.push({
        n,
        go: () => {
          clearTimeout(timer);
          go();
        },
      });
    });
  }

  /** Counts an answer: true when acknowledged (2xx); a refusal other than 409 or 429 is a problem. */
  private answered(a: Answer, what: string): boolean {
    if (a.status === 0) {
      this.alive = false;
      this.t.unacked++;
      return false;
    }
    this.answers++;
    for (const w of this.waiters.filter((w) => w.n <= this.answers)) w.go();
    this.waiters = this.waiters.filter((w) => w.n > this.answers);
    if (a.status >= 200 && a.status < 300) {
      this.t.acked++;
      return true;
    }
    this.t.refused++;
    // 409: a save on a version that is no longer the latest; 429: the job queue is full.
    if (a.status !== 409 && a.status !== 429)
      this.problems.push(`${this.tag}: ${what} answered ${a.status}: ${JSON.stringify(a.data)}`);
    return false;
  }

  private sentence(): string {
    return Array.from({ length: this.rng.int(0, 14) }, () => WORDS[this.rng.int(0, WORDS.length - 1)]).join(
      " ",
    );
  }

  private pad(): string {
    return `# pad ${"x".repeat(this.rng.int(0, 40_000))}\n`;
  }

  /** Saves (PUT) or one-value edits (PATCH) of one model, one after the other. */
  async edit(id: string, steps: number): Promise<void> {
    const book = this.ledger.models.get(id);
    if (!book) return;
    for (let i = 0; i < steps && this.alive; i++) {
      const base = book.latest;
      const old = book.versions.get(base) ?? "";
      const title = `Kill suite ${this.tag} ${id} step ${i}`;
      const patch = this.rng.next() < 0.35;
      const text = patch
        ? setInModelText(old, parsePath("title"), title)
        : this.pad() + old.replace(/^# pad x*\n/, "").replace(/^title: .*$/m, `title: ${title}`);
      const sent = { base, text };
      book.pending.push(sent);
      const a = patch
        ? await call(this.s.url, "PATCH", `api/models/${id}`, {
            baseVersion: base,
            path: "title",
            value: title,
          })
        : await call(this.s.url, "PUT", `api/models/${id}`, { text, baseVersion: base });
      if (a.status === 0) return void this.answered(a, "save");
      book.pending.splice(book.pending.indexOf(sent), 1);
      if (!this.answered(a, `save of ${id} on version ${base}`)) return;
      if (a.data.version !== base + 1)
        this.problems.push(`${this.tag}: save of ${id} on ${base} gave ${a.data.version}`);
      book.versions.set(a.data.version, text);
      book.latest = Math.max(book.latest, a.data.version);
    }
  }

  /** Two saves of one model on the same version at once: at most one may be acknowledged. */
  async race(id: string): Promise<void> {
    const book = this.ledger.models.get(id);
    if (!book) return;
    const base = book.latest;
    const old = book.versions.get(base) ?? "";
    const texts = [0, 1].map((k) => old.replace(/^title: .*$/m, `title: Race ${this.tag} ${k}`));
    const sent = texts.map((text) => ({ base, text }));
    book.pending.push(...sent);
    const answers = await Promise.all(
      texts.map((text) => call(this.s.url, "PUT", `api/models/${id}`, { text, baseVersion: base })),
    );
    answers.forEach((a, k) => {
      if (a.status === 0) return void this.answered(a, "race");
      book.pending.splice(book.pending.indexOf(sent[k]), 1);
      if (!this.answered(a, `racing save of ${id}`)) return;
      book.versions.set(a.data.version, texts[k]);
      book.latest = Math.max(book.latest, a.data.version);
    });
    if (answers.every((a) => a.status === 200))
      this.problems.push(`${this.tag}: two saves of ${id} on version ${base} were both acknowledged`);
  }

  async create(id: string): Promise<void> {
    const text = this.pad() + toyModel(id, `Kill suite model ${id}`);
    const book = { id, versions: new Map<number, string>(), latest: 0, pending: [{ base: 0, text }] };
    this.ledger.models.set(id, book);
    const a = await call(this.s.url, "POST", "api/models", { text });
    if (a.status !== 0) book.pending = [];
    if (!this.answered(a, `creation of ${id}`)) return;
    book.versions.set(1, text);
    book.latest = 1;
  }

  /**
   * Corpus adds, one after the other: new documents, and new versions of documents added before
   * (same file name); `tiny` documents have at most 5 lines.
   */
  async addDocs(chain: number, count: number, tiny = false): Promise<void> {
    for (let i = 0; i < count && this.alive; i++) {
      const known = [...this.ledger.docs.values()].filter((d) => d.known);
      const fileName =
        known.length && this.rng.next() < 0.3
          ? known[this.rng.int(0, known.length - 1)].fileName
          : `${this.tag}-c${chain}-d${i}.txt`;
      const most = tiny ? 5 : this.rng.next() < 0.2 ? 3000 : 300;
      const lines = Array.from({ length: this.rng.int(1, most) }, () => this.sentence());
      const text = `${this.tag} chain ${chain} document ${i}\n${lines.join("\n")}\n`;
      const prepared = prepareDocument(new TextEncoder().encode(text), fileName);
      const book = {
        id: prepared.id,
        text: prepared.text,
        fileName,
        lineCount: prepared.lines.length,
        keptCount: prepared.clean.cleanedToOriginal.length,
        blocks: prepared.clean.blocks.length,
        known: false,
        ackedVersion: undefined as number | undefined,
      };
      if (prepared.text !== text)
        this.problems.push(`${this.tag}: the document text was changed when prepared`);
      if (!this.ledger.docs.has(book.id)) this.ledger.docs.set(book.id, book);
      const a = await call(this.s.url, "POST", "api/documents", { text, fileName });
      if (!this.answered(a, `document ${fileName}`)) return;
      if (a.data.id !== book.id)
        this.problems.push(`${this.tag}: document id ${a.data.id}, expected ${book.id}`);
      const b = this.ledger.docs.get(book.id);
      if (b) {
        b.ackedVersion = a.data.version;
        b.known = true;
      }
    }
  }

  /** Engine runs (simulate or scenarios) on models of the lane: acknowledged with 202. */
  async runs(count: number): Promise<void> {
    const ids = [...this.ledger.models.values()].filter((m) => m.latest > 0).map((m) => m.id);
    for (let i = 0; i < count && this.alive; i++) {
      // mostly the small models (a run of the seed model is submitted more slowly)
      const small = ids.filter((m) => m !== "oman-2025");
      const from = small.length && this.rng.next() < 0.8 ? small : ids;
      const id = from[this.rng.int(0, from.length - 1)];
      const body =
        this.rng.next() < 0.75
          ? { engine: "simulate", options: { runs: this.rng.int(1000, 400_000), seed: this.rng.int(1, 1e9) } }
          : { engine: "scenarios", options: {} };
      const a = await call(this.s.url, "POST", `api/models/${id}/runs`, { ...body, fresh: true });
      if (!this.answered(a, `run of ${id}`)) return;
      this.ledger.runsAcked.add(a.data.runId);
      this.t.runsAcked++;
    }
  }
}

/** After a restart: the runs the killed server left queued or running are failed now. */
async function checkRecovered(
  s: Served,
  inFlight: number[],
  where: string,
  problems: string[],
): Promise<number> {
  let failed = 0;
  for (const id of inFlight) {
    const a = await call(s.url, "GET", `api/runs/${id}`);
    if (a.status === 200 && a.data.status === "failed" && /interrupted/.test(a.data.error ?? "")) failed++;
    else
      problems.push(
        `${where}: run ${id}, in flight at the kill, is ${a.status} ${a.data?.status ?? ""} after the restart`,
      );
  }
  return failed;
}

async function lane(k: number, kills: number, t: Tally, problems: string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `muscat-kill-suite-${k}-`));
  dirs.push(dir);
  const rng = makeRng(SEED, k);
  const ledger = newLedger();
  ledger.models.set("oman-2025", {
    id: "oman-2025",
    versions: new Map([[1, seedText]]),
    latest: 1,
    pending: [],
  });
  let inFlight: number[] = [];
  for (let round = 0; round <= kills; round++) {
    const where = `lane ${k} round ${round}`;
    const s = await startServe(dir);
    live.push(s);
    trace(`${where}: serving`);
    t.runsFailed += await checkRecovered(s, inFlight, where, problems);
    if (round === kills) {
      s.child.kill("SIGTERM");
      await s.exited;
    } else {
      // Warm up (the first model read starts the server's validation) so that the round's
      // writes are answered, and the kills land among answered and unanswered writes.
      await call(s.url, "GET", "api/models/oman-2025");
      const r = new Round(s, ledger, rng, t, `l${k}r${round}`, problems);
      const models = [...ledger.models.keys()];
      const pick = () => models[rng.int(0, models.length - 1)];
      const work: Promise<void>[] = [];
      const a = pick();
      work.push(r.edit(a, rng.int(1, 6)));
      const b = pick();
      if (b !== a) work.push(rng.next() < 0.3 ? r.race(b) : r.edit(b, rng.int(1, 4)));
      for (let c = rng.int(0, 2); c > 0; c--) work.push(r.create(`k${k}-${round}-${c}`));
      // Several corpus adds at once: one's commit and answer can be apart while another is
      // being prepared, so a kill can fall between them.
      for (let c = rng.int(1, 3); c > 0; c--) work.push(r.addDocs(c, rng.int(1, 4)));
      // and now and then a burst of small ones at once
      if (rng.next() < 0.5) for (let c = 10; c < 20; c++) work.push(r.addDocs(c, 1, true));
      if (rng.next() < 0.85) work.push(r.runs(rng.int(1, 3)));
      // The kill: after a random number of answers (the machine's speed does not decide how far
      // the round got), then a random delay.
      await r.afterAnswers(rng.int(0, 3), 5_000);
      await new Promise((w) => setTimeout(w, rng.int(0, MAX_DELAY)));
      trace(`${where}: kill`);
      await killHard(s);
      t.kills++;
      r.alive = false;
      await Promise.all(work);
    }
    const c = checkKilledStore(dir, ledger, where, problems);
    t.integrityChecks++;
    if (c.integrityOk) t.integrityOk++;
    t.modelsChecked += c.modelsChecked;
    t.versionsChecked += c.versionsChecked;
    t.docsChecked += c.docsChecked;
    t.unackedCommitted += c.unackedCommitted;
    t.unackedAbsent += c.unackedAbsent;
    inFlight = c.inFlightRuns;
    if (round === kills && inFlight.length)
      problems.push(`${where}: runs ${inFlight.join(",")} still queued or running after a clean stop`);
  }
  t.modelsAtEnd += ledger.models.size;
  t.docsAtEnd += ledger.docs.size;
}

it(`survives ${KILLS} kill -9s during saves, corpus adds and runs (seed ${SEED})`, async () => {
  const started = Date.now();
  const t = tally();
  const problems: string[] = [];
  const per = Math.ceil(KILLS / LANES);
  await Promise.all(Array.from({ length: LANES }, (_, k) => lane(k, per, t, problems)));
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `kill suite (seed ${SEED}): ${t.kills} kills in ${secs} s; writes acknowledged ${t.acked}, ` +
      `unacknowledged ${t.unacked} (${t.unackedCommitted} found committed, ${t.unackedAbsent} not), ` +
      `refused (409/429) ${t.refused}; models checked ${t.modelsChecked} times (${t.versionsChecked} versions; ${t.modelsAtEnd} models at the end), ` +
      `documents checked ${t.docsChecked} times (${t.docsAtEnd} at the end); runs acknowledged ${t.runsAcked}, marked failed after a kill ${t.runsFailed}; ` +
      `integrity ok ${t.integrityOk}/${t.integrityChecks}; problems ${problems.length}`,
  );
  expect(problems.slice(0, 20)).toEqual([]);
  expect(t.kills).toBeGreaterThanOrEqual(50);
  expect(t.integrityOk).toBe(t.integrityChecks);
  // the kills landed while writes were in flight, and some writes were acknowledged
  expect(t.unacked).toBeGreaterThan(0);
  expect(t.acked).toBeGreaterThan(0);
  expect(t.runsFailed).toBeGreaterThan(0);
}, 900_000);

it("the store check accepts old-or-new and finds a lost version, a torn text, a mix, a half document, a lost run and a stray model", async () => {
  const dir = mkdtempSync(join(tmpdir(), "muscat-kill-check-"));
  dirs.push(dir);
  const store = (await openStore(dir))!;
  const ledger = newLedger();
  const a1 = toyModel("a", "A one");
  const a2 = toyModel("a", "A two");
  await createModel(store, a1);
  await saveModelVersion(store, "a", a2, 1);
  ledger.models.set("a", {
    id: "a",
    versions: new Map([
      [1, a1],
      [2, a2],
    ]),
    latest: 2,
    pending: [],
  });
  const b1 = toyModel("b", "B one");
  await createModel(store, b1);
  ledger.models.set("b", { id: "b", versions: new Map([[1, b1]]), latest: 1, pending: [] });
  // writes sent without an answer: c's creation was committed, a's third version was not
  const c1 = toyModel("c", "C one");
  await createModel(store, c1);
  ledger.models.set("c", { id: "c", versions: new Map(), latest: 0, pending: [{ base: 0, text: c1 }] });
  ledger.models.get("a")?.pending.push({ base: 2, text: toyModel("a", "A three") });
  const text = "a document\nwith two lines\n";
  const doc = prepareDocument(new TextEncoder().encode(text), "d.txt");
  await addDocuments(store, [doc]);
  ledger.docs.set(doc.id, {
    id: doc.id,
    text,
    fileName: "d.txt",
    lineCount: doc.lines.length,
    keptCount: doc.clean.cleanedToOriginal.length,
    blocks: doc.clean.blocks.length,
    ackedVersion: 1,
    known: true,
  });
  const hash = (await store.db.selectFrom("model_versions").select("hash").executeTakeFirstOrThrow()).hash;
  const run = {
    modelId: "a",
    version: 2,
    engine: "simulate",
    options: {},
    seed: 1,
    modelHash: hash,
    engineVersion: "1",
  };
  const runId = await createRun(store, run);
  ledger.runsAcked.add(runId);
  await store.close();

  // untouched: no problem, and the queued run is reported as in flight
  const clean: string[] = [];
  const ok = checkKilledStore(dir, ledger, "clean", clean);
  expect(clean).toEqual([]);
  expect(ok).toMatchObject({ integrityOk: true, modelsChecked: 3, versionsChecked: 4, docsChecked: 1 });
  expect(ok).toMatchObject({ unackedCommitted: 1, unackedAbsent: 1 });
  expect(ok.inFlightRuns).toEqual([runId]);
  expect(ledger.models.get("c")).toMatchObject({ latest: 1, pending: [] });
  expect(ledger.models.get("a")).toMatchObject({ latest: 2, pending: [] });

  // tampered as a broken store would be
  const raw = new SQLite(join(dir, STORE_FILE));
  raw.prepare("delete from model_versions where model_id = 'a' and version = 2").run();
  raw.prepare("update models set latest_version = 1 where id = 'a'").run();
  raw.prepare("update model_versions set text = text || 'x' where model_id = 'b'").run();
  raw.prepare("delete from blocks where document_id = ?").run(doc.id);
  raw.prepare("delete from runs").run();
  // a version 2 of c that is neither of the texts sent for it (as a mix of two saves would be)
  raw
    .prepare(
      "insert into model_versions (model_id, version, text, text_sha256, hash, title, message, created_at) " +
        "select model_id, 2, 'mixed', ?, hash, title, null, created_at from model_versions where model_id = 'c'",
    )
    .run(sha256("mixed"));
  raw.prepare("update models set latest_version = 2 where id = 'c'").run();
  ledger.models.get("c")?.pending.push({ base: 1, text: toyModel("c", "C two") });
  raw
    .prepare(
      "insert into models (id, title, latest_version, created_at, updated_at) values ('stray', 'S', 1, 'now', 'now')",
    )
    .run();
  raw.close();
  const problems: string[] = [];
  checkKilledStore(dir, ledger, "broken", problems);
  const expected = [
    /model 'a': latest version 1 but version 2 was acknowledged/,
    /model 'b' version 1: text does not match its sha256/,
    /model 'b' version 1: not the text acknowledged for it/,
    /cleaning blocks stored, expected .* \(half a document\?\)/,
    new RegExp(`run ${runId} was acknowledged but is gone`),
    /model 'stray' is in the store but was never sent/,
    /model 'c' version 2: neither acknowledged nor a save sent on version 1/,
  ];
  for (const e of expected)
    expect(
      problems.some((p) => e.test(p)),
      `${e} in ${problems.join("; ")}`,
    ).toBe(true);
});
