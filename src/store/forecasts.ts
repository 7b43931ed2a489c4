// Forecast vintages and resolutions in the store. The store is the one home of vintages: the
// CLI (muscat forecast --save, score, vintages) and the server read and write the same rows. A
// vintage is the forecast module's vintage object (src/forecast/vintage.ts) kept as JSON
// exactly as issued, with the model id and hash, the stored model version it was made from
// (null when no version in the store has its hash: a model file never saved here, or a
// vintage imported from another store), the engine version, seed, runs and as-of date as
// columns. A vintage stored before vintages carried an as-of date (format 1) keeps its JSON
// as it was; its as-of date is its model's asOf, and its summary says so (asOfFrom "model"). Vintages
// move between stores as files (export and import; an import is one transaction).
// Resolutions (question id, outcome, date, source) belong to a model and live outside it, so a
// model carries no hindsight; a model's set of resolutions is replaced as a whole in one
// transaction (all or nothing).

import type { Kysely, Selectable } from "kysely";
import type { StoredResolution, StoredVintage, StoredVintageSummary } from "../contract/api.js";
import type { Resolution } from "../forecast/resolutions.js";
import { type Vintage, VintageError, vintageAsOf, vintageEngineVersion } from "../forecast/vintage.js";
import type { Store } from "./index.js";
import type { Database, VintagesTable } from "./schema.js";

export type { StoredResolution, StoredVintage, StoredVintageSummary } from "../contract/api.js";

/** The as-of date of a row: its columns (0005), else read from its JSON. */
function asOfOf(r: Selectable<VintagesTable>): { asOf: string; asOfFrom: "vintage" | "model" } {
  if (r.as_of && r.as_of_from) return { asOf: r.as_of, asOfFrom: r.as_of_from };
  const a = vintageAsOf(JSON.parse(r.json) as Vintage);
  return { asOf: a.date, asOfFrom: a.from };
}

function summary(r: Selectable<VintagesTable>): StoredVintageSummary {
  return {
    id: r.id,
    modelId: r.model_id,
    modelVersion: r.model_version,
    modelHash: r.model_hash,
    engineVersion: r.engine_version,
    seed: r.seed,
    runs: r.runs,
    runId: r.run_id,
    questions: r.questions,
    made: r.made_at,
    ...asOfOf(r),
    savedAt: r.saved_at,
  };
}

function row(
  v: Vintage,
  where: { modelId: string; modelVersion: number | null; engineVersion: string; runId: number | null },
  now: string,
): VintagesTable {
  const asOf = vintageAsOf(v);
  return {
    id: v.id,
    model_id: where.modelId,
    model_version: where.modelVersion,
    model_hash: v.model.hash,
    engine_version: where.engineVersion,
    seed: v.seed,
    runs: v.runs,
    run_id: where.runId,
    questions: v.questions.length,
    made_at: v.made,
    saved_at: now,
    json: JSON.stringify(v),
    as_of: asOf.date,
    as_of_from: asOf.from,
  };
}

/** Stores a vintage made from a model version's forecast run (one row). */
export async function insertVintage(
  store: Store,
  v: Vintage,
  where: { modelId: string; modelVersion: number | null; engineVersion: string; runId: number | null },
  now = new Date().toISOString(),
): Promise<StoredVintageSummary> {
  const r = row(v, where, now);
  await store.db.insertInto("vintages").values(r).execute();
  return summary(r);
}

/** The latest version of model `id` in the store whose content hash is `hash`, if any. */
async function versionWithHash(db: Kysely<Database>, id: string, hash: string): Promise<number | null> {
  const r = await db
    .selectFrom("model_versions")
    .select((eb) => eb.fn.max("version").as("version"))
    .where("model_id", "=", id)
    .where("hash", "=", hash)
    .executeTakeFirst();
  return r?.version ?? null;
}

export type ImportStatus = "added" | "unchanged";

async function putVintage(
  db: Kysely<Database>,
  v: Vintage,
  now: string,
): Promise<{ status: ImportStatus; vintage: StoredVintageSummary }> {
  const old = await db.selectFrom("vintages").selectAll().where("id", "=", v.id).executeTakeFirst();
  if (old) {
    if (old.json === JSON.stringify(v)) return { status: "unchanged", vintage: summary(old) };
    throw new VintageError(`another vintage with the id ${v.id} is in the store already`, [], {
      code: "vintage-conflict",
    });
  }
  const r = row(
    v,
    {
      modelId: v.model.id,
      modelVersion: await versionWithHash(db, v.model.id, v.model.hash),
      engineVersion: vintageEngineVersion(v),
      runId: null,
    },
    now,
  );
  await db.insertInto("vintages").values(r).execute();
  return { status: "added", vintage: summary(r) };
}

/**
 * Saves a vintage made outside a run (the CLI's forecast): linked to the stored version of its
 * model with the same content hash, if there is one. Refused if the id is taken.
 */
export async function saveVintage(
  store: Store,
  v: Vintage,
  now = new Date().toISOString(),
): Promise<StoredVintageSummary> {
  return store.db.transaction().execute(async (trx) => {
    const r = await putVintage(trx, v, now);
    if (r.status === "unchanged")
      throw new VintageError(`vintage ${v.id} is in the store already`, [], { code: "vintage-conflict" });
    return r.vintage;
  });
}

/**
 * Imports checked vintages (parseVintage) in one transaction: all or nothing. A vintage that is
 * in the store already with the same content is left as it is ("unchanged").
 */
export async function importVintages(
  store: Store,
  list: Vintage[],
  now = new Date().toISOString(),
): Promise<{ status: ImportStatus; vintage: StoredVintageSummary }[]> {
  return store.db.transaction().execute(async (trx) => {
    const out: { status: ImportStatus; vintage: StoredVintageSummary }[] = [];
    for (const v of list) out.push(await putVintage(trx, v, now));
    return out;
  });
}

/** Vintages, oldest first (without their questions): a model's, or every model's. */
export async function listStoredVintages(store: Store, modelId?: string): Promise<StoredVintageSummary[]> {
  let q = store.db.selectFrom("vintages").selectAll();
  if (modelId !== undefined) q = q.where("model_id", "=", modelId);
  const rows = await q.orderBy("made_at").orderBy("id").execute();
  return rows.map(summary);
}

export async function getStoredVintage(store: Store, id: string): Promise<StoredVintage | undefined> {
  const r = await store.db.selectFrom("vintages").selectAll().where("id", "=", id).executeTakeFirst();
  return r ? { ...summary(r), vintage: JSON.parse(r.json) as Vintage } : undefined;
}

/**
 * A vintage by id, by unique id prefix, or `latest` (the last made), optionally among one
 * model's vintages. Throws a VintageError saying what there is when nothing (or more than one)
 * matches.
 */
export async function findStoredVintage(
  store: Store,
  ref: string,
  opts: { modelId?: string } = {},
): Promise<StoredVintage> {
  const exact = await getStoredVintage(store, ref);
  if (exact && (opts.modelId === undefined || exact.modelId === opts.modelId)) return exact;
  const all = await listStoredVintages(store, opts.modelId);
  const of = opts.modelId === undefined ? "" : ` of model '${opts.modelId}'`;
  if (all.length === 0)
    throw new VintageError(
      `no vintages${of} in the store ${store.file} (save one with muscat forecast --save)`,
      [],
      {
        code: "vintage-not-found",
      },
    );
  if (ref === "latest") return (await getStoredVintage(store, all[all.length - 1].id)) as StoredVintage;
  const prefix = all.filter((v) => v.id.startsWith(ref));
  if (prefix.length === 1) return (await getStoredVintage(store, prefix[0].id)) as StoredVintage;
  if (prefix.length > 1)
    throw new VintageError(
      `'${ref}' matches ${prefix.length} vintages: ${prefix.map((v) => v.id).join(", ")}`,
      [],
      { code: "vintage-ambiguous" },
    );
  const shown = all.slice(-10).map((v) => v.id);
  throw new VintageError(
    `no vintage '${ref}'${of} in the store ${store.file}; ${all.length > shown.length ? `the latest ${shown.length} of ${all.length}` : "vintages"}: ${shown.join(", ")}`,
    [],
    { code: "vintage-not-found" },
  );
}

/** Whether the store holds a model with this id (its vintages are listed under it). */
export async function modelStored(store: Store, id: string): Promise<boolean> {
  const r = await store.db.selectFrom("models").select("id").where("id", "=", id).executeTakeFirst();
  return r !== undefined;
}

/** The vintage made from a run, if any. */
export async function vintageOfRun(store: Store, runId: number): Promise<StoredVintageSummary | undefined> {
  const r = await store.db.selectFrom("vintages").selectAll().where("run_id", "=", runId).executeTakeFirst();
  return r ? summary(r) : undefined;
}

/** A model's resolutions, by question id. */
export async function getResolutions(store: Store, modelId: string): Promise<StoredResolution[]> {
  const rows = await store.db
    .selectFrom("resolutions")
    .selectAll()
    .where("model_id", "=", modelId)
    .orderBy("question_id")
    .execute();
  return rows.map((r) => ({
    question: r.question_id,
    outcome: r.outcome === 1 ? 1 : 0,
    date: r.resolved_on,
    source: r.source ?? "",
    recordedAt: r.recorded_at,
  }));
}

/**
 * Replaces a model's resolutions with `list` in one transaction: questions left out become
 * unresolved. Rows whose outcome, date and source are unchanged keep their `recordedAt`.
 */
export async function replaceResolutions(
  store: Store,
  modelId: string,
  list: Resolution[],
  now = new Date().toISOString(),
): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("resolutions").selectAll().where("model_id", "=", modelId).execute();
    const prev = new Map(before.map((r) => [r.question_id, r]));
    await trx.deleteFrom("resolutions").where("model_id", "=", modelId).execute();
    if (list.length === 0) return;
    await trx
      .insertInto("resolutions")
      .values(
        list.map((r) => {
          const p = prev.get(r.question);
          const same =
            p && p.outcome === r.outcome && p.resolved_on === r.date && (p.source ?? "") === (r.source ?? "");
          return {
            model_id: modelId,
            question_id: r.question,
            outcome: r.outcome,
            resolved_on: r.date,
            source: r.source ? r.source : null,
            recorded_at: same ? p.recorded_at : now,
          };
        }),
      )
      .execute();
  });
}
