// The bodies of the evidence commands (muscat corpus add | list | show, evidence, ingest),
// loaded only when one of them runs: they need the store and the text-extraction libraries.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import pc from "picocolors";
import { InputError } from "../errors.js";
import type { BlockReport } from "../evidence/clean.js";
import { DOCUMENT_EXTENSIONS, type PreparedDocument, readDocument } from "../evidence/document.js";
import type { Draft, IngestResult } from "../evidence/ingest.js";
import { EvidenceInputError } from "../evidence/text.js";
import { type CorpusDocument, type LocatorCheck, verifyEvidence } from "../evidence/verify.js";
import { applyDrafts, decidedDraft } from "../evidence/write.js";
import { parseModelText } from "../model/load.js";
import { textLines } from "../model/validate.js";
import {
  addDocuments,
  corpusFromStore,
  findDocuments,
  getDocument,
  listDocuments,
  openStore,
  resolveDataDir,
  type Store,
  type StoredDocumentFull,
  StoreError,
} from "../store/index.js";
import {
  CliError,
  checkFormat,
  displayPath,
  EXIT_INVALID,
  EXIT_OK,
  EXIT_USAGE,
  type Io,
  json,
  loadForCommand,
  pad,
  writeFileAtomic,
} from "./io.js";

async function withStore<T>(
  dataFlag: string | undefined,
  create: boolean,
  f: (s: Store | undefined) => Promise<T>,
): Promise<T> {
  let store: Store | undefined;
  try {
    store = await openStore(resolveDataDir(dataFlag), { create });
  } catch (e) {
    if (e instanceof StoreError) throw new CliError(e.message, EXIT_INVALID);
    throw e;
  }
  try {
    return await f(store);
  } finally {
    await store?.close();
  }
}

/** Files a path stands for: the file itself, or the document files in a folder (recursively). */
export function documentFiles(path: string): { files: string[]; skipped: string[] } {
  const p = resolve(path);
  if (!existsSync(p)) throw new CliError(`${path}: no such file or folder`, EXIT_INVALID);
  if (statSync(p).isFile()) return { files: [p], skipped: [] };
  const files: string[] = [];
  const skipped: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith(".")) continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (DOCUMENT_EXTENSIONS[extname(e.name).toLowerCase()]) files.push(full);
      else skipped.push(full);
    }
  };
  walk(p);
  return { files, skipped };
}

/** Prepares every file; throws one CliError naming each bad file if any fails. */
async function prepareAll(files: string[]): Promise<PreparedDocument[]> {
  const docs: PreparedDocument[] = [];
  const bad: string[] = [];
  for (const f of files) {
    try {
      docs.push(await readDocument(f));
    } catch (e) {
      if (e instanceof EvidenceInputError) bad.push(`${displayPath(f)}: ${e.message.slice(f.length + 2)}`);
      else throw e;
    }
  }
  if (bad.length)
    throw new CliError(
      `nothing was added: ${bad.length} of ${files.length} file${files.length === 1 ? "" : "s"} cannot be added\n  ${bad.join("\n  ")}`,
      EXIT_INVALID,
    );
  return docs;
}

const short = (id: string) => id.slice(0, 12);

export async function cmdCorpusAdd(
  paths: string[],
  opts: { data?: string; format: string },
  io: Io,
): Promise<number> {
  const format = checkFormat(opts.format, ["table", "json"]);
  const files: string[] = [];
  const skipped: string[] = [];
  for (const p of paths) {
    const r = documentFiles(p);
    files.push(...r.files);
    skipped.push(...r.skipped);
  }
  if (files.length === 0)
    throw new CliError(`no document files (.txt, .md, .html, .pdf) in ${paths.join(", ")}`, EXIT_INVALID);
  const docs = await prepareAll(files);
  const results = await withStore(opts.data, true, (store) => addDocuments(store!, docs));
  if (format === "json") {
    io.out(
      json({
        data: resolveDataDir(opts.data),
        documents: results.map((r, i) => ({
          ...r,
          title: docs[i].metadata.title ?? null,
          lines: docs[i].lines.length,
          kept: docs[i].clean.cleanedToOriginal.length,
          language: docs[i].clean.language,
        })),
        skipped: skipped.map(displayPath),
      }),
    );
    return EXIT_OK;
  }
  for (const [i, r] of results.entries()) {
    const d = docs[i];
    const removed = d.clean.blocks.filter((b) => b.role !== "blank" && !b.kept).length;
    const what =
      r.status === "added"
        ? pc.green("added")
        : r.status === "unchanged"
          ? pc.dim("unchanged (already in the corpus)")
          : pc.yellow(
              `new version ${r.version} of ${r.series} (replaces ${short(r.supersedes!)}; run muscat evidence to see judgments citing the old text)`,
            );
    io.out(`${short(r.id)}  ${d.fileName}  ${what}`);
    io.out(
      pc.dim(
        `              ${d.metadata.title ?? "(no title)"} · ${d.kind} · ${d.clean.language} · ${d.lines.length} lines, ${removed} removed as furniture`,
      ),
    );
  }
  if (skipped.length)
    io.err(pc.dim(`skipped ${skipped.length} file(s) that are not .txt, .md, .html or .pdf`));
  return EXIT_OK;
}

export async function cmdCorpusList(opts: { data?: string; format: string }, io: Io): Promise<number> {
  const format = checkFormat(opts.format, ["table", "json"]);
  const docs = await withStore(opts.data, false, async (store) => (store ? listDocuments(store) : []));
  if (format === "json") {
    io.out(json({ data: resolveDataDir(opts.data), documents: docs }));
    return EXIT_OK;
  }
  if (docs.length === 0) {
    io.out(
      `the corpus in ${displayPath(resolveDataDir(opts.data))} is empty; add documents with muscat corpus add FILE|DIR`,
    );
    return EXIT_OK;
  }
  io.out(
    pc.bold(
      `${pad("id", 14)}${pad("v", 3)}${pad("kind", 10)}${pad("lang", 6)}${pad("lines", 12)}title · outlet · date`,
    ),
  );
  for (const d of docs)
    io.out(
      `${pad(short(d.id), 14)}${pad(String(d.version), 3)}${pad(d.kind, 10)}${pad(d.language ?? "und", 6)}${pad(`${d.keptCount}/${d.lineCount}`, 12)}${d.title ?? d.fileName ?? ""}${d.outlet ? ` · ${d.outlet}` : ""}${d.date ? ` · ${d.date.slice(0, 10)}` : ""}`,
    );
  return EXIT_OK;
}

async function oneDocument(store: Store | undefined, ref: string): Promise<StoredDocumentFull> {
  if (!store)
    throw new CliError(`no corpus yet: add documents with muscat corpus add FILE|DIR`, EXIT_INVALID);
  const hits = await findDocuments(store, ref);
  if (hits.length === 0)
    throw new CliError(
      `no document '${ref}' in the corpus (give an id prefix, a file name or a URL)`,
      EXIT_INVALID,
    );
  // Several versions of one series: the latest; different documents: ambiguous.
  const series = new Set(hits.map((h) => h.series));
  if (series.size > 1)
    throw new CliError(
      `'${ref}' matches ${hits.length} documents: ${hits.map((h) => `${short(h.id)} (${h.fileName ?? h.series})`).join(", ")}; give more of the id`,
      EXIT_USAGE,
    );
  const latest = hits.sort((a, b) => b.version - a.version)[0];
  return (await getDocument(store, latest.id))!;
}

function reasonText(b: BlockReport): string {
  return b.reasons.map((r) => `${r.rule} ${r.weight > 0 ? "+" : ""}${r.weight}: ${r.detail}`).join("; ");
}

export async function cmdCorpusShow(
  ref: string,
  opts: { data?: string; format: string; removed?: boolean; cleaned?: boolean },
  io: Io,
): Promise<number> {
  const format = checkFormat(opts.format, ["table", "json"]);
  const doc = await withStore(opts.data, false, (store) => oneDocument(store, ref));
  const lines = textLines(doc.text);
  if (format === "json") {
    const { text, cleanedText, blocks, ...meta } = doc;
    io.out(
      json({
        ...meta,
        ...(opts.removed
          ? {
              removed: blocks
                .filter((b) => b.role !== "blank" && !b.kept)
                .map((b) => ({ ...b, text: lines[b.line - 1] })),
            }
          : {}),
        ...(opts.cleaned
          ? {
              cleaned: blocks
                .filter((b) => b.kept)
                .map((b) => ({ cleanedLine: b.cleanedLine, line: b.line, text: lines[b.line - 1] })),
            }
          : {}),
        ...(!opts.removed && !opts.cleaned ? { text, cleanedText, blocks } : {}),
      }),
    );
    return EXIT_OK;
  }
  const out: string[] = [];
  out.push(pc.bold(doc.title ?? doc.fileName ?? doc.id));
  out.push(
    pc.dim(
      `${doc.id} · version ${doc.version} of ${doc.series} · ${doc.kind} · ${doc.language ?? "und"}${doc.outlet ? ` · ${doc.outlet}` : ""}${doc.author ? ` · ${doc.author}` : ""}${doc.date ? ` · ${doc.date}` : ""}${doc.url ? ` · ${doc.url}` : ""}`,
    ),
  );
  out.push(pc.dim(`${doc.keptCount} of ${doc.lineCount} lines are article text (${doc.cleaner})`), "");
  const w = String(lines.length).length;
  if (opts.removed) {
    const removed = doc.blocks.filter((b) => b.role !== "blank" && !b.kept);
    out.push(
      pc.bold(
        `Removed as page furniture (${removed.length}); score < 0 removes a block, each term says why:`,
      ),
    );
    for (const b of removed) {
      out.push(
        `${pad(String(b.line), w, true)}  score ${b.score} · ${b.language}/${b.script}  ${pc.dim(lines[b.line - 1].slice(0, 100))}`,
      );
      out.push(`${pad("", w)}    ${reasonText(b)}`);
    }
    if (!opts.cleaned) {
      io.out(out.join("\n"));
      return EXIT_OK;
    }
    out.push("");
  }
  if (opts.cleaned) {
    out.push(pc.bold("Cleaned text (cleaned line · original line):"));
    for (const b of doc.blocks)
      if (b.kept)
        out.push(
          `${pad(String(b.cleanedLine), w, true)} ${pc.dim(`(${pad(String(b.line), w, true)})`)} │ ${lines[b.line - 1]}`,
        );
    io.out(out.join("\n"));
    return EXIT_OK;
  }
  for (let i = 0; i < lines.length; i++) {
    const b = doc.blocks[i];
    const furniture = b && b.role !== "blank" && !b.kept;
    out.push(
      furniture
        ? pc.dim(`${pad(String(i + 1), w, true)} ✗ ${lines[i]}`)
        : `${pad(String(i + 1), w, true)} │ ${lines[i]}`,
    );
  }
  out.push("", pc.dim("✗ = page furniture (not article text); muscat corpus show DOC --removed says why"));
  io.out(out.join("\n"));
  return EXIT_OK;
}

function fromPrepared(d: PreparedDocument, origin: string): CorpusDocument {
  return {
    id: d.id,
    rawSha256: d.rawSha256,
    fileName: d.fileName,
    url: d.metadata.url,
    lines: d.lines,
    blocks: d.clean.blocks,
    origin,
  };
}

async function storeCorpus(store: Store | undefined): Promise<CorpusDocument[]> {
  return store ? corpusFromStore(store) : [];
}

export async function cmdEvidence(
  modelPath: string | undefined,
  opts: { corpus?: string; data?: string; format: string; all?: boolean },
  io: Io,
): Promise<number> {
  const format = checkFormat(opts.format, ["table", "json"]);
  const { model, path } = await loadForCommand(modelPath);
  const docs: CorpusDocument[] = [];
  const unreadable: string[] = [];
  if (opts.corpus) {
    for (const f of documentFiles(opts.corpus).files) {
      try {
        docs.push(fromPrepared(await readDocument(f), displayPath(f)));
      } catch (e) {
        if (e instanceof EvidenceInputError) unreadable.push(e.message);
        else throw e;
      }
    }
  }
  const stored = await withStore(opts.data, false, storeCorpus);
  for (const d of stored) if (!docs.some((x) => x.id === d.id)) docs.push(d);
  if (docs.length === 0)
    throw new CliError(
      `no documents to check against: give --corpus DIR (a folder of the source files) or add them to the store with muscat corpus add`,
      EXIT_USAGE,
    );
  const report = verifyEvidence(model, docs);
  if (format === "json") {
    io.out(json({ file: displayPath(path), ...report, unreadable }));
    return report.counts.errors > 0 ? EXIT_INVALID : EXIT_OK;
  }
  const out: string[] = [];
  const show = (c: LocatorCheck) => {
    const tag =
      c.severity === "error"
        ? pc.red(`error [${c.status}]`)
        : c.severity === "warning"
          ? pc.yellow(`warning [${c.status}]`)
          : pc.green("ok");
    out.push(
      `${c.path} ${pc.bold(c.judgment)}  ${c.locator}  ${tag}${c.status === "ok" && c.message === "ok" ? "" : `: ${c.message}`}`,
    );
    if (c.rationale) out.push(`    rationale: ${c.rationale}`);
    for (const p of c.passage ?? [])
      out.push(
        `    ${p.furniture ? pc.red("✗") : "│"} ${p.line}: ${p.text.length > 220 ? `${p.text.slice(0, 220)}…` : p.text}`,
      );
  };
  for (const c of report.checks) if (opts.all || c.severity !== "ok") show(c);
  out.push("", pc.bold("Coverage"));
  for (const c of report.coverage)
    out.push(
      `  ${pad(c.source, 12)}${c.document ? `${short(c.document)} (${c.origin})` : pc.yellow("no document in the corpus")}  supports ${c.judgments.length} judgment${c.judgments.length === 1 ? "" : "s"}`,
    );
  if (report.withoutEvidence.length) {
    out.push(pc.bold(`Judgments without evidence (${report.withoutEvidence.length})`));
    for (const j of report.withoutEvidence) out.push(`  ${j.path} ${j.judgment}`);
  }
  for (const u of unreadable) out.push(pc.yellow(`unreadable corpus file: ${u}`));
  out.push(
    "",
    `${report.counts.locators} locators: ${report.counts.ok} ok, ${report.counts.errors} error${report.counts.errors === 1 ? "" : "s"}, ${report.counts.warnings} warning${report.counts.warnings === 1 ? "" : "s"}${opts.all ? "" : " (--all prints every passage)"}`,
  );
  io.out(out.join("\n"));
  return report.counts.errors > 0 ? EXIT_INVALID : EXIT_OK;
}

function renderIngest(r: IngestResult): string {
  const out: string[] = [];
  out.push(pc.bold(r.document.title ?? r.document.fileName ?? r.document.id));
  out.push(
    pc.dim(
      `${short(r.document.id)} · source '${r.source.id}'${r.source.inModel ? "" : " (new: --write adds it to the model's sources)"} · ${r.analysed.blocks} blocks, ${r.analysed.sentences} sentences analysed · ${r.skipped.furniture} furniture blocks skipped${r.skipped.otherLanguage.length ? ` · ${r.skipped.otherLanguage.length} blocks in other languages skipped (${[...new Set(r.skipped.otherLanguage.map((s) => s.language))].join(", ")})` : ""}`,
    ),
  );
  out.push("", pc.bold(`Actors (${r.actors.length})`));
  for (const a of r.actors)
    out.push(`  ${pad(a.id, 12)}${pad(String(a.mentions), 4, true)} mentions  lines ${a.lines.join(", ")}`);
  const conds = r.claims.filter((c) => c.claim.kind === "conditional");
  out.push("", pc.bold(`Claims (${conds.length} conditional, ${r.claims.length - conds.length} causal)`));
  for (const c of r.claims)
    out.push(
      `  ${pad(`${c.line}.${c.sentence}`, 7)}${pad(c.claim.kind, 12)}${pad(c.claim.cue, 22)}${c.claim.modal ? `modal '${c.claim.modal}'` : ""}${c.claim.negated ? " (against)" : ""}`,
    );
  out.push(
    "",
    pc.bold(
      `Draft impacts (${r.drafts.length}), most confident first — accept with --accept ID,... --write (a contradicting one with --as-view)`,
    ),
  );
  const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
  for (const d of r.drafts) {
    const rel =
      d.relation === "new"
        ? pc.cyan("new")
        : d.relation === "supports"
          ? pc.green(`supports ${signed(d.existing!.strength)} at ${d.existing!.path}`)
          : pc.yellow(`contradicts ${signed(d.existing!.strength)} at ${d.existing!.path}`);
    const also = d.also?.length ? pc.dim(` +${d.also.map((a) => `${a.line}.${a.sentence}`).join(",")}`) : "";
    out.push(
      `  ${pad(d.id, 9)}${pad(`${d.from} → ${d.to}`, 52)}${pad(signed(d.strength), 4, true)}  ${pad(d.confidence.toFixed(2), 6)}${pad(`${d.evidence}.${d.sentence}`, 14)}${rel}${also}`,
    );
  }
  if (r.gaps.length) {
    const toRead = r.gaps.filter((g) => g.reason === "no-claim").length;
    out.push(
      "",
      pc.bold(
        `Gaps: claims that yield no draft (${r.gaps.length - toRead}), and sentences that name two factors with no claim read (${toRead})`,
      ),
    );
    const why = {
      "no-state": "no state of",
      "unknown-actor": "an actor the model lacks in",
      "no-factor": "no factor in",
    };
    for (const g of r.gaps) {
      const what =
        g.reason === "no-claim"
          ? `no claim read; names ${g.factors?.join(", ")}`
          : `${g.cue}: ${why[g.reason]} the ${g.missing.join(" or ")}${g.factors ? ` (reaches ${g.factors.join(", ")})` : ""}${g.names ? ` (names ${g.names.join(", ")})` : ""}`;
      out.push(
        `  ${pad(g.id, 9)}${pad(`${g.line}.${g.sentence}`, 7)}${pad(g.reason, 14)}${what}${g.topics.length ? ` — about: ${g.topics.join("; ")}` : ""}`,
      );
      const c = g.candidates;
      if (c.condition.length || c.consequence.length)
        out.push(
          pc.dim(
            `           candidates: condition ${c.condition.slice(0, 3).join(", ") || "–"} · consequence ${c.consequence.slice(0, 3).join(", ") || "–"}`,
          ),
        );
    }
    out.push(
      pc.dim(
        "  place one with --accept ID:FROM:TO:STRENGTH (FROM, TO as factor=state); a draft takes ID:FROM:TO[:STRENGTH] for another cell; --teach ID:to:WORDS adds the sentence's words to that state's keywords, ID:alias:NAME=ACTOR a name to an actor",
      ),
    );
  }
  if (r.unknownNames.length)
    out.push("", pc.bold("Names that match no actor"), `  ${r.unknownNames.join(", ")}`);
  return out.join("\n");
}

/** "1 new impact", "2 new impacts": `one` and `many` are the singular and plural phrases. */
const countOf = (ds: { action: string }[], action: string, one: string, many: string) => {
  const n = ds.filter((d) => d.action === action).length;
  return `${n} ${n === 1 ? one : many}`;
};

export async function cmdIngest(
  file: string,
  opts: {
    model?: string;
    accept?: string;
    teach?: string;
    write?: boolean;
    asView?: boolean;
    minConfidence?: string;
    format: string;
  },
  io: Io,
): Promise<number> {
  const format = checkFormat(opts.format, ["table", "json"]);
  if (opts.write && !opts.accept)
    throw new CliError("--write needs --accept ID,... (the drafts to add)", EXIT_USAGE);
  if (opts.teach !== undefined && !opts.accept)
    throw new CliError(
      "--teach goes with --accept: it teaches the words of an accepted draft or gap",
      EXIT_USAGE,
    );
  const { model, path } = await loadForCommand(opts.model);
  let doc: PreparedDocument;
  try {
    doc = await readDocument(resolve(file));
  } catch (e) {
    if (e instanceof EvidenceInputError) throw new CliError(e.message, EXIT_INVALID);
    throw e;
  }
  // The NLP pipeline loads with the first ingestion, not with `corpus list` or `evidence`.
  const { ingestDocument, ingestInput, sourceEntry } = await import("../evidence/ingest.js");
  const ing = ingestInput(doc);
  const r = ingestDocument(model, ing);
  if (opts.minConfidence !== undefined) {
    const min = Number(opts.minConfidence);
    if (!(min >= 0 && min <= 1))
      throw new CliError(`--min-confidence is a number from 0 to 1, got '${opts.minConfidence}'`, EXIT_USAGE);
    r.drafts = r.drafts.filter((d) => d.confidence >= min);
  }
  if (!opts.accept) {
    io.out(format === "json" ? json(r) : renderIngest(r));
    return EXIT_OK;
  }
  // Each entry: a draft's id, or ID:FROM:TO[:STRENGTH] for the analyst's cell (a gap needs all four).
  const entries = opts.accept
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((e) => {
      const [id, from, to, strength, ...more] = e.split(":");
      if (more.length || (from !== undefined && to === undefined))
        throw new CliError(`--accept: '${e}' is not ID or ID:FROM:TO[:STRENGTH]`, EXIT_USAGE);
      if (strength !== undefined && !/^[+-]?\d+$/.test(strength))
        throw new CliError(`--accept: '${e}': the strength '${strength}' is not a whole number`, EXIT_USAGE);
      return {
        id,
        ...(from !== undefined ? { from, to } : {}),
        ...(strength !== undefined ? { strength: Number(strength) } : {}),
      };
    });
  // --teach ID:from|to:WORDS: the words join the keywords of that side's state of the decision.
  // ID:alias:NAME=ACTOR: the name joins that actor's aliases.
  const teach = new Map<
    string,
    { from?: string[]; to?: string[]; aliases?: { name: string; actor: string }[] }
  >();
  for (const e of (opts.teach ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean)) {
    const [id, end, words, ...more] = e.split(":");
    const alias = end === "alias" ? /^(.+)=([^=]+)$/.exec(words ?? "") : null;
    if (more.length || (end !== "from" && end !== "to" && !alias) || !words?.trim())
      throw new CliError(
        `--teach: '${e}' is not ID:from:WORDS, ID:to:WORDS or ID:alias:NAME=ACTOR`,
        EXIT_USAGE,
      );
    if (!entries.some((x) => x.id === id))
      throw new CliError(`--teach: '${id}' is not among the --accept entries`, EXIT_USAGE);
    const t = teach.get(id) ?? {};
    if (alias) t.aliases = [...(t.aliases ?? []), { name: alias[1].trim(), actor: alias[2].trim() }];
    else if (end === "from" || end === "to") t[end] = [...(t[end] ?? []), words.trim()];
    teach.set(id, t);
  }
  const unknown = entries.filter(
    (x) => !r.drafts.some((d) => d.id === x.id) && !r.gaps.some((g) => g.id === x.id),
  );
  if (unknown.length)
    throw new CliError(
      `no draft or gap ${unknown.map((u) => `'${u.id}'`).join(", ")} for this document (run without --accept to list them)`,
      EXIT_INVALID,
    );
  let chosen: Draft[];
  try {
    chosen = entries.map((x) => decidedDraft(model, r.drafts, r.gaps, { ...x, action: "accept" }));
  } catch (e) {
    if (e instanceof InputError)
      throw new CliError(`refused: ${e.message}; nothing was written`, EXIT_INVALID);
    throw e;
  }
  // New drafts become judgments, supporting ones add their locators to the judgment they
  // support, contradicting ones need --as-view (a second judgment by the source).
  const against = chosen.filter((d) => d.relation === "contradicts" && !opts.asView);
  if (against.length)
    throw new CliError(
      `refused: ${against.map((d) => `${d.id} (${d.from} → ${d.to}: model has ${d.existing!.strength} at ${d.existing!.path}, draft ${d.strength})`).join(", ")} contradicts the model; pass --as-view to record it as a second view by '${r.source.id}', or edit the judgment with muscat set`,
      EXIT_INVALID,
    );
  const decisions = chosen.map((d, i) => ({
    ...entries[i],
    ...(teach.has(entries[i].id) ? { teach: teach.get(entries[i].id) } : {}),
    action: (d.relation === "new" ? "accept" : d.relation === "supports" ? "attach" : "view") as
      | "accept"
      | "attach"
      | "view",
  }));
  const text = readFileSync(path, "utf8");
  let newText: string;
  try {
    newText = applyDrafts(
      text,
      r.drafts,
      decisions,
      r.source.inModel ? undefined : sourceEntry(ing, r.source.id),
      r.gaps,
    ).text;
  } catch (e) {
    if (e instanceof InputError)
      throw new CliError(`refused: ${displayPath(path)}: ${e.message}; nothing was written`, EXIT_INVALID);
    throw e;
  }
  const check = parseModelText(newText, { file: path });
  if (!check.model)
    throw new CliError(
      `refused: adding the drafts would make ${displayPath(path)} invalid; nothing was written`,
      EXIT_INVALID,
      check.problems.filter((p) => p.severity === "error"),
    );
  if (!opts.write) {
    io.out(newText);
    io.err(
      pc.dim(
        `(dry run: pass --write to save ${chosen.length} decision${chosen.length === 1 ? "" : "s"} to ${displayPath(path)})`,
      ),
    );
    return EXIT_OK;
  }
  writeFileAtomic(path, newText);
  const taught = [...teach.values()].reduce((n, t) => n + (t.from?.length ?? 0) + (t.to?.length ?? 0), 0);
  const named = [...teach.values()].reduce((n, t) => n + (t.aliases?.length ?? 0), 0);
  if (format === "json")
    io.out(
      json({
        file: displayPath(path),
        added: decisions.filter((d) => d.action === "accept").map((d) => d.id),
        attached: decisions.filter((d) => d.action === "attach").map((d) => d.id),
        views: decisions.filter((d) => d.action === "view").map((d) => d.id),
        source: r.source,
      }),
    );
  else
    io.err(
      `${countOf(decisions, "accept", "new impact", "new impacts")}, ${countOf(decisions, "attach", "locator set attached", "locator sets attached")}, ${countOf(decisions, "view", "second view", "second views")}${taught ? `, ${taught} keyword${taught === 1 ? "" : "s"} taught` : ""}${named ? `, ${named} alias${named === 1 ? "" : "es"} taught` : ""} written to ${displayPath(path)}${r.source.inModel ? "" : ` with source '${r.source.id}'`}; review their strengths and rationales`,
    );
  return EXIT_OK;
}
