// Engine runs in the store: one row per run of an engine on a model version, with the options
// and seed as given, the model's content hash and the engine's version (so the result can be
// reproduced), status and progress while it runs, and the result JSON or the error at the end.
// Runs a killed server left queued or running are marked failed when the store is next served.

import type { Selectable } from "kysely";
import type { RunInfo, RunProgress, RunStatus } from "../contract/api.js";
import type { Store } from "./index.js";
import type { RunsTable } from "./schema.js";

export type { RunInfo, RunProgress, RunStatus } from "../contract/api.js";

function rowToRun(r: Selectable<RunsTable>, withResult: boolean): RunInfo {
  const info: RunInfo = {
    runId: r.id,
    modelId: r.model_id,
    version: r.version,
    engine: r.engine,
    options: JSON.parse(r.options),
    seed: r.seed,
    modelHash: r.model_hash,
    engineVersion: r.engine_version,
    status: r.status as RunStatus,
    progress: { done: r.progress_done, total: r.progress_total, message: r.progress_message },
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    elapsedMs: r.elapsed_ms,
  };
  if (r.error !== null) info.error = r.error;
  if (withResult && r.result !== null) info.result = JSON.parse(r.result);
  return info;
}

export async function createRun(
  store: Store,
  run: Pick<RunInfo, "modelId" | "version" | "engine" | "options" | "seed" | "modelHash" | "engineVersion">,
  now = new Date().toISOString(),
): Promise<number> {
  const r = await store.db
    .insertInto("runs")
    .values({
      model_id: run.modelId,
      version: run.version,
      engine: run.engine,
      options: JSON.stringify(run.options ?? {}),
      seed: run.seed,
      model_hash: run.modelHash,
      engine_version: run.engineVersion,
      status: "queued",
      progress_done: 0,
      progress_total: null,
      progress_message: null,
      created_at: now,
      started_at: null,
      finished_at: null,
      elapsed_ms: null,
      result: null,
      error: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

/**
 * A finished run of the same engine (same engine version) on the same model's same content (any
 * of its versions with that hash: an undo or a restore finds it) with the
 * same options, if the store has one: its result can be given again instead of computed again.
 * Options are compared as the canonical JSON the run route stores (defaults filled, keys in the
 * engine's declared order); a seeded run carries its seed in its options.
 */
export async function findDoneRun(
  store: Store,
  run: Pick<RunInfo, "modelId" | "modelHash" | "engine" | "engineVersion" | "options">,
): Promise<RunInfo | undefined> {
  const r = await store.db
    .selectFrom("runs")
    .select(["id"])
    .where("model_id", "=", run.modelId)
    .where("model_hash", "=", run.modelHash)
    .where("engine", "=", run.engine)
    .where("engine_version", "=", run.engineVersion)
    .where("options", "=", JSON.stringify(run.options ?? {}))
    .where("status", "=", "done")
    .orderBy("id", "desc")
    .executeTakeFirst();
  return r ? getRun(store, r.id, false) : undefined;
}

export async function getRun(store: Store, runId: number, withResult = true): Promise<RunInfo | undefined> {
  const r = await store.db.selectFrom("runs").selectAll().where("id", "=", runId).executeTakeFirst();
  return r ? rowToRun(r, withResult) : undefined;
}

/** A model's runs, newest first, without their results. */
export async function listRuns(store: Store, modelId: string): Promise<RunInfo[]> {
  const rows = await store.db
    .selectFrom("runs")
    .selectAll()
    .where("model_id", "=", modelId)
    .orderBy("id", "desc")
    .execute();
  return rows.map((r) => rowToRun(r, false));
}

export async function markRunning(
  store: Store,
  runId: number,
  now = new Date().toISOString(),
): Promise<void> {
  await store.db
    .updateTable("runs")
    .set({ status: "running", started_at: now })
    .where("id", "=", runId)
    .where("status", "=", "queued")
    .execute();
}

export async function setProgress(store: Store, runId: number, p: RunProgress): Promise<void> {
  await store.db
    .updateTable("runs")
    .set({ progress_done: p.done, progress_total: p.total, progress_message: p.message })
    .where("id", "=", runId)
    .where("status", "=", "running")
    .execute();
}

/** Records how a run ended (done with its result, failed with an error, or cancelled). */
export async function finishRun(
  store: Store,
  runId: number,
  end: {
    status: "done" | "failed" | "cancelled";
    result?: unknown;
    error?: string;
    elapsedMs: number | null;
  },
  now = new Date().toISOString(),
): Promise<void> {
  await store.db
    .updateTable("runs")
    .set({
      status: end.status,
      finished_at: now,
      elapsed_ms: end.elapsedMs,
      result: end.result === undefined ? null : JSON.stringify(end.result),
      error: end.error ?? null,
    })
    .where("id", "=", runId)
    .where("status", "in", ["queued", "running"])
    .execute();
}

/** The runs left queued or running (by a server that stopped), oldest first. */
export async function unfinishedRuns(store: Store): Promise<RunInfo[]> {
  const rows = await store.db
    .selectFrom("runs")
    .selectAll()
    .where("status", "in", ["queued", "running"])
    .orderBy("id", "asc")
    .execute();
  return rows.map((r) => rowToRun(r, false));
}

/**
 * Marks every run left queued or running (by a server that was killed) as failed; returns how
 * many. Called once when a server starts, before it takes any job.
 */
export async function failInterruptedRuns(store: Store, now = new Date().toISOString()): Promise<number> {
  const r = await store.db
    .updateTable("runs")
    .set({
      status: "failed",
      finished_at: now,
      error: "interrupted: the server stopped while this run was queued or running",
    })
    .where("status", "in", ["queued", "running"])
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
