// The body of `muscat vintages history`: the forecast history of a model's questions across its
// vintages in the store (src/forecast/history.ts): each question's p by as-of date, and against
// the resolutions (a file, or those recorded in the store) each vintage's Brier score by the
// same rules as `muscat score`, the mean Brier across vintages per question and overall. Loaded
// only when the command runs; the store (SQLite) with it.
import { join } from "node:path";
import pc from "picocolors";
import { type ForecastHistory, forecastHistory } from "../forecast/history.js";
import {
  type Resolution,
  ResolutionError,
  readResolutions,
  type Vintage,
  VintageError,
} from "../forecast/index.js";
import { fixed, percent, percentRange } from "../format.js";
import type { Store } from "../store/index.js";
import { resolveDataDir, STORE_FILE } from "../store/paths.js";
import {
  CliError,
  checkFormat,
  displayPath,
  EXIT_INVALID,
  EXIT_OK,
  EXIT_USAGE,
  type Io,
  json,
  pad,
} from "./io.js";

export interface HistoryCliOptions {
  model?: string;
  question?: string;
  resolutions?: string;
  data?: string;
  format: string;
}

/** The history as `--format json` prints it: which model, store and resolutions, then forecastHistory's. */
export interface HistoryOutput extends ForecastHistory {
  modelId: string;
  store: string;
  /** Where the resolutions come from: the file given, or "store". */
  resolutionsFrom: string;
}

function userError(e: unknown): never {
  if (e instanceof VintageError || e instanceof ResolutionError) throw new CliError(e.message, EXIT_INVALID);
  if (e instanceof Error && e.name === "StoreError") throw new CliError(e.message, EXIT_INVALID);
  throw e;
}

/** The model's vintages and resolutions from the store (and the file, when given). */
async function load(
  o: HistoryCliOptions,
): Promise<{ modelId: string; vintages: Vintage[]; resolutions: Resolution[]; file: string }> {
  const dataDir = resolveDataDir(o.data);
  const file = join(dataDir, STORE_FILE);
  let fileResolutions: Resolution[] | undefined;
  try {
    if (o.resolutions) fileResolutions = readResolutions(o.resolutions);
  } catch (e) {
    return userError(e);
  }
  const { openStore } = await import("../store/index.js");
  let store: Store | undefined;
  try {
    store = await openStore(dataDir, { create: false });
  } catch (e) {
    return userError(e);
  }
  if (!store)
    throw new CliError(
      `no store in ${displayPath(dataDir)}: no vintages (save one with muscat forecast --save)`,
      EXIT_INVALID,
    );
  try {
    const { getResolutions, getStoredVintage, listStoredVintages } = await import("../store/forecasts.js");
    let modelId = o.model;
    if (modelId === undefined) {
      const models = [...new Set((await listStoredVintages(store)).map((v) => v.modelId))];
      if (models.length === 0)
        throw new CliError(
          `no vintages in ${displayPath(file)} (muscat forecast --save makes one)`,
          EXIT_INVALID,
        );
      if (models.length > 1)
        throw new CliError(
          `the store holds vintages of ${models.length} models (${models.join(", ")}): choose one with --model`,
          EXIT_USAGE,
        );
      modelId = models[0];
    }
    const vintages: Vintage[] = [];
    for (const s of await listStoredVintages(store, modelId)) {
      const v = await getStoredVintage(store, s.id);
      if (v) vintages.push(v.vintage);
    }
    if (vintages.length === 0)
      throw new CliError(
        `no vintages of model '${modelId}' in ${displayPath(file)} (muscat forecast --save makes one)`,
        EXIT_INVALID,
      );
    const resolutions =
      fileResolutions ?? (await getResolutions(store, modelId)).map(({ recordedAt: _r, ...r }) => r);
    return { modelId, vintages, resolutions, file };
  } catch (e) {
    return userError(e);
  } finally {
    await store.close();
  }
}

export function renderHistory(h: HistoryOutput): string {
  const out: string[] = [];
  const first = h.vintages[0]?.asOf;
  const last = h.vintages.at(-1)?.asOf;
  out.push(
    pc.bold(`Forecast history: ${h.modelId}`) +
      pc.dim(
        `  (${h.vintages.length} vintage${h.vintages.length === 1 ? "" : "s"}, as of ${first === last ? first : `${first} to ${last}`}; ties in as-of date in the order made)`,
      ),
  );
  for (const q of h.questions) {
    out.push(
      "",
      `${pc.bold(q.id)}  ${q.text}`,
      q.resolution
        ? `  resolved ${q.resolution.outcome === 1 ? "yes" : "no"} on ${q.resolution.date}`
        : pc.dim("  unresolved"),
      pc.dim(`  ${pad("as of", 12)}${pad("p", 8)}${pad("interval", 12)}${pad("Brier", 8)}vintage`),
    );
    for (const x of q.points)
      out.push(
        `  ${pad(x.asOf, 12)}${pad(percent(x.p), 8)}${pad(percentRange(x.interval.lo, x.interval.hi), 12)}${pad(
          x.brier !== null
            ? fixed(x.brier)
            : x.excluded === "known"
              ? "known"
              : x.excluded
                ? "excluded"
                : "—",
          8,
        )}${pc.dim(x.vintageId)}`,
      );
    if (q.resolution)
      out.push(
        q.meanBrier === null
          ? "  mean Brier across vintages: — (no vintage scored it)"
          : `  mean Brier across vintages: ${fixed(q.meanBrier)} (${q.scored} vintage${q.scored === 1 ? "" : "s"})`,
      );
  }
  out.push(
    "",
    pc.bold("Brier over time"),
    pc.dim(`  ${pad("as of", 12)}${pad("scored", 8)}${pad("Brier", 8)}vintage`),
  );
  for (const v of h.vintages)
    out.push(
      `  ${pad(v.asOf, 12)}${pad(`${v.scored}/${v.questions}`, 8)}${pad(fixed(v.meanBrier), 8)}${pc.dim(v.vintageId)}`,
    );
  const s = h.summary;
  out.push(
    `mean Brier across vintages: ${fixed(s.meanBrierAcrossVintages)} (${s.vintagesScored} vintage${s.vintagesScored === 1 ? "" : "s"} scored any question; each weighs the same)`,
    `mean Brier across questions: ${fixed(s.meanBrierAcrossQuestions)} (each question's mean across the vintages that scored it, over ${s.questionsScored} question${s.questionsScored === 1 ? "" : "s"})`,
    pc.dim(
      "a resolution dated before a vintage's as-of date was known when it was issued: not scored for that vintage ('known')",
    ),
  );
  return out.join("\n");
}

export async function cmdVintagesHistory(o: HistoryCliOptions, io: Io): Promise<number> {
  const format = checkFormat(o.format, ["table", "json"]);
  const { modelId, vintages, resolutions, file } = await load(o);
  const h = forecastHistory(vintages, resolutions);
  let questions = h.questions;
  if (o.question !== undefined) {
    questions = h.questions.filter((q) => q.id === o.question);
    if (questions.length === 0)
      throw new CliError(
        `no vintage of model '${modelId}' holds question '${o.question}'; its questions: ${h.questions.map((q) => q.id).join(", ")}`,
        EXIT_INVALID,
      );
  }
  const output: HistoryOutput = {
    modelId,
    store: file,
    resolutionsFrom: o.resolutions ?? "store",
    ...h,
    questions,
  };
  io.out(format === "json" ? json(output) : renderHistory(output));
  if (format !== "json")
    io.out(
      pc.dim(
        o.resolutions
          ? `resolutions: ${o.resolutions}`
          : `resolutions: those recorded in the store for model '${modelId}'`,
      ),
    );
  return EXIT_OK;
}
