// Forecast vintages and resolutions in the store. A vintage is the forecast module's vintage
// object (src/forecast/vintage.ts) kept as JSON exactly as issued, with the model version,
// hash, engine version, seed and runs as columns; the CLI keeps the same objects as JSON files
// under <data>/vintages. Resolutions (question id, outcome, date, source) belong to a model
// and live outside it, so a model carries no hindsight; a model's set of resolutions is
// replaced as a whole in one transaction (all or nothing).

import type { Selectable } from "kysely";
import type { Resolution } from "../forecast/resolutions.js";
import type { Vintage } from "../forecast/vintage.js";
import type { Store } from "./index.js";
import type { VintagesTable } from "./schema.js";

export interface StoredVintageSummary {
  id: string;
  modelId: string;
  modelVersion: number;
  modelHash: string;
  engineVersion: string;
  seed: number;
  runs: number;
  runId: number | null;
  questions: number;
  made: string;
  savedAt: string;
}

export interface StoredVintage extends StoredVintageSummary {
  vintage: Vintage;
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
    savedAt: r.saved_at,
  };
}

/** Stores a vintage made from a model version's forecast (one row). */
export async function insertVintage(
  store: Store,
  v: Vintage,
  where: { modelId: string; modelVersion: number; engineVersion: string; runId: number | null },
  now = new Date().toISOString(),
): Promise<StoredVintageSummary> {
  const row: VintagesTable = {
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
  };
  await store.db.insertInto("vintages").values(row).execute();
  return summary(row);
}

/** A model's vintages, oldest first (without their questions). */
export async function listStoredVintages(store: Store, modelId: string): Promise<StoredVintageSummary[]> {
  const rows = await store.db
    .selectFrom("vintages")
    .selectAll()
    .where("model_id", "=", modelId)
    .orderBy("made_at")
    .orderBy("id")
    .execute();
  return rows.map(summary);
}

export async function getStoredVintage(store: Store, id: string): Promise<StoredVintage | undefined> {
  const r = await store.db.selectFrom("vintages").selectAll().where("id", "=", id).executeTakeFirst();
  return r ? { ...summary(r), vintage: JSON.parse(r.json) as Vintage } : undefined;
}

/** The vintage made from a run, if any. */
export async function vintageOfRun(store: Store, runId: number): Promise<StoredVintageSummary | undefined> {
  const r = await store.db.selectFrom("vintages").selectAll().where("run_id", "=", runId).executeTakeFirst();
  return r ? summary(r) : undefined;
}

export interface StoredResolution extends Resolution {
  recordedAt: string;
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
