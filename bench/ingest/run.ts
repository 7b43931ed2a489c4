// Evaluation of article ingestion (issue 17): ingests every article of bench/ingest/articles with
// the library entry the CLI's `ingest` command uses, against models/oman-2025.yaml, and scores
// the drafts against the hand labels of bench/ingest/labels.json (score.ts): precision, recall,
// mapping and sign accuracy, strength error, the same with drafts cut at a confidence, gap
// recall and metadata accuracy, with Wilson 95 % intervals.
//
//   npm run bench:ingest                      # the table
//   npm run bench:ingest -- --verbose         # also each draft (✓/✗) and each missed label
//   npm run bench:ingest -- --json            # machine-readable
//   npm run bench:ingest -- --min-confidence 0.6
//   npm run bench:ingest -- --set heldout     # the first held-out set, since read (heldout/README.md)
//   npm run bench:ingest -- --set heldout2    # the second held-out set (heldout2/README.md)
//   npm run bench:ingest -- --set heldout2 --labels-only   # check the labels, ingest nothing
//
// Exit 1 when the labels do not fit the articles or the model, or an article cannot be read.

import { execFileSync } from "node:child_process";
import { join, relative } from "node:path";
import { FIT } from "../../src/evidence/confidence.js";
import { type ArticleLabels, META_FIELDS } from "./labels.js";
import { auc, brier } from "./logistic.js";
import {
  type ArticleScore,
  add,
  type Counts,
  cutByConfidence,
  figures,
  scoreArticle,
  zero,
} from "./score.js";
import { type Ingested, loadSet, root, seedModel } from "./sets.js";

const args = process.argv.slice(2);
const setAt = args.indexOf("--set");
const set = setAt >= 0 ? args[setAt + 1] : "dev";
const labelsOnly = args.includes("--labels-only");
const verbose = args.includes("--verbose");
const asJson = args.includes("--json");
const mcAt = args.indexOf("--min-confidence");
const minConfidence = mcAt >= 0 ? Number(args[mcAt + 1]) : 0.5;
if (!(minConfidence >= 0 && minConfidence <= 1))
  fail([`--min-confidence: '${args[mcAt + 1]}' is not in 0..1`]);

function fail(problems: string[]): never {
  for (const p of problems) console.error(`error: ${p}`);
  process.exit(1);
}

// ---- inputs ------------------------------------------------------------------------------------
const seed = seedModel();
if (!seed.model) fail(seed.problems);
const model = seed.model;
const loaded = loadSet(set, model);
if (!loaded.set) fail(loaded.problems);
const { files, byFile, labelsFile } = loaded.set;
if (labelsOnly) {
  console.log(`${relative(root, labelsFile)}: the labels fit the ${files.length} articles and the model`);
  process.exit(0);
}

// ---- ingestion ---------------------------------------------------------------------------------
function ingest(file: string): Ingested {
  try {
    return loaded.set!.ingest(file);
  } catch (e) {
    fail([`${relative(root, join(loaded.set!.articlesDir, file))}: ${(e as Error).message}`]);
  }
}

interface Row {
  lab: ArticleLabels;
  all: ArticleScore;
  cut: ArticleScore | null;
  out: ReturnType<typeof ingest>;
}
const rows: Row[] = [];
for (const f of files) {
  const lab = byFile.get(f)!;
  const out = ingest(f);
  const cutOut = cutByConfidence(out, minConfidence);
  rows.push({ lab, all: scoreArticle(lab, out), cut: cutOut ? scoreArticle(lab, cutOut) : null, out });
}
/**
 * Where a missed label is lost: no claim on its line; a claim whose condition, consequence or
 * both sides map to no state; or drafts on the line, all for other cells. The held-out set's
 * misses are looked at as totals only.
 */
function lostAt(r: Row, line: number) {
  const raw = r.out.raw;
  const gaps = raw.gaps.filter((g) => g.line === line);
  if (raw.drafts.some((d) => d.line === line || (d.also ?? []).some((x) => x.line === line)))
    return "other cell" as const;
  if (!raw.claims.some((c) => c.line === line)) return "no claim" as const;
  if (gaps.some((g) => g.missing.length === 2)) return "both unmapped" as const;
  if (gaps.some((g) => g.missing[0] === "condition")) return "condition unmapped" as const;
  return "consequence unmapped" as const;
}
const hasConfidence = rows.every((r) => r.cut);
const sum = (pick: (r: Row) => Counts | undefined, keep: (r: Row) => boolean = () => true) =>
  rows.filter(keep).reduce((acc, r) => add(acc, pick(r) ?? zero()), zero());
const total = sum((r) => r.all.counts);
const totalCut = hasConfidence ? sum((r) => r.cut?.counts) : null;
const headerMeta = sum(
  (r) => r.all.counts,
  (r) => r.lab.header,
);

let commit = "unknown";
try {
  const git = (...a: string[]) =>
    execFileSync("git", a, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  const subject = git("log", "-1", "--format=%s");
  commit = `${git("log", "-1", "--format=%h")} ${subject.length > 60 ? `${subject.slice(0, 59)}…` : subject}`;
  const dirty = git("status", "--porcelain", "--", "src/evidence").split("\n").filter(Boolean).length;
  if (dirty) commit += ` (+ ${dirty} uncommitted change${dirty > 1 ? "s" : ""} in src/evidence)`;
} catch {
  // not a git checkout: the commit stays unknown
}

// ---- output ------------------------------------------------------------------------------------
if (asJson) {
  console.log(
    JSON.stringify(
      {
        commit,
        minConfidence,
        confidence: hasConfidence,
        overall: { counts: total, figures: figures(total) },
        cut: totalCut ? { counts: totalCut, figures: figures(totalCut) } : null,
        headerMetadata: { fields: headerMeta.metaFields, ok: headerMeta.metaOk },
        articles: rows.map((r) => ({
          file: r.lab.file,
          counts: r.all.counts,
          cutCounts: r.cut?.counts ?? null,
          missed: r.all.missed.map((i) => r.lab.judgments[i]),
          metadata: r.all.metadata,
        })),
      },
      null,
      2,
    ),
  );
  process.exit(0);
}

const f2 = (x: number | null) => (x === null ? "  –  " : x.toFixed(2));
const pad = (s: string | number, n: number, right = false) =>
  right ? String(s).padStart(n) : String(s).padEnd(n);
const frac = (k: number, n: number) => (n ? `${k}/${n}` : "–");

const out: string[] = [];
out.push(
  `Ingestion evaluation (${loaded.set.name}): ${rows.length} articles, ${total.labels} labelled judgments, ${total.gapLabels} labelled gaps`,
  `model models/oman-2025.yaml · commit ${commit}`,
  "",
  `${pad("article", 26)}${pad("lab", 4, true)}${pad("drafts", 7, true)}${pad("ok", 4, true)}${pad("found", 6, true)}${pad("prec", 6, true)}${pad("rec", 6, true)}${pad("map", 6, true)}   ${hasConfidence ? `≥${minConfidence}: drafts ok found` : ""}${pad("gaps", 8, true)}${pad("meta", 6, true)}`,
);
for (const r of rows) {
  const c = r.all.counts;
  const fg = figures(c);
  const k = r.cut?.counts;
  out.push(
    `${pad(r.lab.file.replace(/\.txt$/, "").slice(0, 25), 26)}${pad(c.labels, 4, true)}${pad(c.drafts, 7, true)}${pad(c.correct, 4, true)}${pad(c.found, 6, true)}${pad(f2(fg.precision), 6, true)}${pad(f2(fg.recall), 6, true)}${pad(f2(fg.mapping), 6, true)}   ${k ? `${pad(k.drafts, 12, true)}${pad(k.correct, 3, true)}${pad(k.found, 6, true)}` : ""}${pad(frac(c.gapFound, c.gapLabels), 8, true)}${pad(frac(c.metaOk, c.metaFields), 6, true)}`,
  );
  if (verbose) {
    r.out.drafts.forEach((d, i) => {
      const v = r.all.verdicts[i]!;
      const conf = typeof d.confidence === "number" ? ` conf ${d.confidence.toFixed(2)}` : "";
      out.push(
        `    ${v >= 0 ? "✓" : "✗"} line ${d.line}: ${d.from} → ${d.to} ${d.strength > 0 ? "+" : ""}${d.strength}${conf}`,
      );
    });
    for (const i of r.all.missed) {
      const j = r.lab.judgments[i]!;
      out.push(
        `    · missed line ${j.line} [${lostAt(r, j.line)}]: ${j.from} → ${j.to} ${j.sign}${j.strength}  "${j.quote}"`,
      );
    }
    for (const m of r.all.metadata.filter((m) => !m.ok))
      out.push(
        `    · metadata ${m.field}: expected ${JSON.stringify(m.expected)}, read ${JSON.stringify(m.got)}`,
      );
  }
}

const ci = (c: [number, number]) => `[${c[0].toFixed(2)}, ${c[1].toFixed(2)}]`;
const summary = (name: string, c: Counts) => {
  const g = figures(c);
  return `${pad(name, 20)}${pad(c.drafts, 7, true)}${pad(c.correct, 8, true)}${pad(`${c.found}/${c.labels}`, 8, true)}   ${f2(g.precision)} ${pad(ci(g.precisionCI), 13)}  ${f2(g.recall)} ${pad(ci(g.recallCI), 13)} ${pad(f2(g.mapping), 8, true)}${pad(f2(g.sign), 6, true)}${pad(f2(g.strengthError), 8, true)}`;
};
out.push(
  "",
  `${pad("", 20)}${pad("drafts", 7, true)}${pad("correct", 8, true)}${pad("found", 8, true)}   ${pad("precision [95% CI]", 24)} ${pad("recall [95% CI]", 23)}${pad("mapping", 8, true)}${pad("sign", 6, true)}${pad("|Δstr|", 8, true)}`,
  summary("all drafts", total),
);
out.push(
  totalCut
    ? summary(`confidence ≥ ${minConfidence}`, totalCut)
    : `confidence ≥ ${minConfidence}: not available (some drafts carry no 'confidence' field)`,
);
const lost = {
  "no claim": 0,
  "condition unmapped": 0,
  "consequence unmapped": 0,
  "both unmapped": 0,
  "other cell": 0,
};
for (const r of rows) for (const i of r.all.missed) lost[lostAt(r, r.lab.judgments[i].line)]++;
/**
 * Review reach: a missed label a reviewer can still place from the suggestions, because a draft
 * or a gap on its line offers its condition and its consequence among the first REACH_K
 * candidates of their sides (ingest.ts Candidates): the label's cell in two choices from short
 * lists, rather than from every state of the model.
 */
const REACH_K = 3;
const placeable = (r: Row, i: number) => {
  const j = r.lab.judgments[i];
  const cells = [j, ...(j.alt ?? [])];
  const offers = [...r.out.raw.drafts, ...r.out.raw.gaps].filter(
    (x) => x.line === j.line || ("also" in x && (x.also ?? []).some((a) => a.line === j.line)),
  );
  return offers.some((x) =>
    cells.some(
      (c) =>
        x.candidates?.condition.slice(0, REACH_K).includes(c.from) &&
        x.candidates?.consequence.slice(0, REACH_K).includes(c.to),
    ),
  );
};
const reach = rows.reduce((n, r) => n + r.all.missed.filter((i) => placeable(r, i)).length, 0);
const labelCount = rows.reduce((n, r) => n + r.lab.judgments.length, 0);
out.push(
  "",
  `missed labels     ${Object.entries(lost)
    .map(([k, v]) => `${k} ${v}`)
    .join(" · ")}`,
  `review reach      ${frac(total.found + reach, labelCount)} = ${f2((total.found + reach) / Math.max(1, labelCount))}  (found, or ${reach} missed whose cell a draft or gap on the line offers in its first ${REACH_K} candidates a side)`,
);
// How well the confidence ranks and is calibrated: over all drafts, whether a label accepts each.
const confs = rows.flatMap((r) => r.out.drafts.map((d) => d.confidence ?? Number.NaN));
const accepted: number[] = rows.flatMap((r) => r.all.verdicts.map((v) => (v >= 0 ? 1 : 0)));
if (hasConfidence && confs.length) {
  const rate = accepted.reduce((s, v) => s + v, 0) / accepted.length;
  const mean = confs.reduce((s, v) => s + v, 0) / confs.length;
  out.push(
    `confidence        AUC ${f2(auc(confs, accepted))} · Brier ${f2(brier(confs, accepted))} (base rate ${f2(
      brier(
        confs.map(() => rate),
        accepted,
      ),
    )}) · mean ${f2(mean)} against ${f2(rate)} accepted  (fitted on ${FIT.trainedOn.join(" + ")}; scale set on ${FIT.unseen?.drafts ?? 0} first-look drafts, shift ${FIT.unseen?.shift ?? 0})`,
  );
}
const gFig = figures(total);
const perField = META_FIELDS.map((f) => {
  const ms = rows.filter((r) => r.lab.header).flatMap((r) => r.all.metadata.filter((m) => m.field === f));
  return `${f} ${ms.filter((m) => m.ok).length}/${ms.length}`;
}).join(", ");
out.push(
  "",
  `gap recall        ${frac(total.gapFound, total.gapLabels)} = ${f2(gFig.gapRecall)}  (a labelled gap counts when the ingestion reports a gap on its line)`,
  `metadata          articles with header lines: ${frac(headerMeta.metaOk, headerMeta.metaFields)} = ${f2(figures(headerMeta).metadata)} (${perField}); all articles: ${frac(total.metaOk, total.metaFields)} = ${f2(gFig.metadata)}`,
  "",
  "precision: correct drafts / drafts · recall: labels found / labels · mapping: correct / drafts on a labelled line",
  "sign: right sign among drafts on a labelled cell · |Δstr|: mean |draft − label| strength over correct drafts",
  "Wilson intervals treat sentences as independent; drafts cluster by article, so the real uncertainty is wider.",
);
console.log(out.join("\n"));
