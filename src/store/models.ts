// Models in the store: every save is a new version holding the whole file text, its sha256 and
// the model's content hash. Saves are validated with the model loader (the same schema and
// checks as `muscat check`) before anything is written, and each save is one transaction that
// checks the version it was based on: a save based on an older version is refused (a conflict),
// never silently lost. Restoring a version writes it again as the next version.

import type { ModelSummary, ModelVersionInfo } from "../contract/api.js";
import { InputError } from "../errors.js";
import { compileModel } from "../model/compile.js";
import { parseModelText, sha256 } from "../model/load.js";
import type { Model, Problem } from "../model/types.js";
import type { Store } from "./index.js";

export type { ModelSummary, ModelVersionInfo } from "../contract/api.js";

/** Model ids: the model format's id pattern, at most 64 characters (never a path). */
export const MODEL_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export class ModelInvalidError extends InputError {
  constructor(
    message: string,
    readonly problems: Problem[],
  ) {
    super(message);
    this.name = "ModelInvalidError";
  }
}

export class ModelNotFoundError extends InputError {
  constructor(
    readonly id: string,
    readonly version?: number,
  ) {
    super(version === undefined ? `no model '${id}'` : `model '${id}' has no version ${version}`);
    this.name = "ModelNotFoundError";
  }
}

export class ModelConflictError extends InputError {
  constructor(
    message: string,
    readonly latest?: number,
  ) {
    super(message);
    this.name = "ModelConflictError";
  }
}

export interface StoredModel {
  id: string;
  version: number;
  latestVersion: number;
  hash: string;
  text: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  message?: string;
}

export interface Validated {
  model: Model;
  hash: string;
  problems: Problem[];
}

/** Parses and validates model text; throws ModelInvalidError with every problem. */
export function validateModelText(text: string, file = "<model>"): Validated {
  const r = parseModelText(text, { file });
  if (!r.model) {
    const errors = r.problems.filter((p) => p.severity === "error");
    throw new ModelInvalidError(
      `the model is invalid: ${errors.length} error${errors.length === 1 ? "" : "s"}${errors[0] ? ` (first: ${errors[0].path}: ${errors[0].message})` : ""}`,
      r.problems,
    );
  }
  return { model: r.model, hash: compileModel(r.model).hash, problems: r.problems };
}

/** What a save needs of a valid text: its id, title, content hash and warnings. */
export interface CheckedText {
  id: string;
  title: string;
  hash: string;
  problems: Problem[];
}

const checkedOf = (v: Validated): CheckedText => ({
  id: v.model.id,
  title: v.model.title,
  hash: v.hash,
  problems: v.problems,
});

export interface SaveOptions {
  message?: string;
  now?: string;
  /** The text already validated (the server does it off its main thread); else validated here. */
  checked?: CheckedText;
}

function checkId(id: string): void {
  if (!MODEL_ID_PATTERN.test(id))
    throw new ModelInvalidError(
      `'${id}' is not a model id (a-z, 0-9, '.', '_', '-'; at most 64 characters)`,
      [
        {
          severity: "error",
          code: "bad-format",
          path: "id",
          message: "expected a model id of at most 64 characters",
        },
      ],
    );
}

/** Adds a new model (version 1). Refused if a model with the text's id exists. */
export async function createModel(
  store: Store,
  text: string,
  opts: SaveOptions = {},
): Promise<{ id: string; version: number; hash: string; problems: Problem[] }> {
  const v = opts.checked ?? checkedOf(validateModelText(text));
  const id = v.id;
  checkId(id);
  const now = opts.now ?? new Date().toISOString();
  await store.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom("models").select("id").where("id", "=", id).executeTakeFirst();
    if (existing) throw new ModelConflictError(`a model '${id}' exists already; save a new version with PUT`);
    await trx
      .insertInto("models")
      .values({ id, title: v.title, latest_version: 1, created_at: now, updated_at: now })
      .execute();
    await trx
      .insertInto("model_versions")
      .values({
        model_id: id,
        version: 1,
        text,
        text_sha256: sha256(text),
        hash: v.hash,
        title: v.title,
        message: opts.message ?? null,
        created_at: now,
      })
      .execute();
  });
  return { id, version: 1, hash: v.hash, problems: v.problems };
}

/**
 * Saves a new version of a model. `baseVersion` must be the latest version (else a conflict:
 * someone saved in between). The text's id must be the model's id.
 */
export async function saveModelVersion(
  store: Store,
  id: string,
  text: string,
  baseVersion: number,
  opts: SaveOptions = {},
): Promise<{ id: string; version: number; hash: string; problems: Problem[] }> {
  const v = opts.checked ?? checkedOf(validateModelText(text));
  if (v.id !== id)
    throw new ModelInvalidError(`the text's id '${v.id}' is not the model's id '${id}'`, [
      {
        severity: "error",
        code: "id-mismatch",
        path: "id",
        message: `expected '${id}', got '${v.id}'`,
      },
    ]);
  const now = opts.now ?? new Date().toISOString();
  const version = await store.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("models")
      .select(["latest_version"])
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) throw new ModelNotFoundError(id);
    if (row.latest_version !== baseVersion)
      throw new ModelConflictError(
        `version conflict: the edit is based on version ${baseVersion} but the latest is ${row.latest_version}; reload and apply it again`,
        row.latest_version,
      );
    const next = row.latest_version + 1;
    await trx
      .insertInto("model_versions")
      .values({
        model_id: id,
        version: next,
        text,
        text_sha256: sha256(text),
        hash: v.hash,
        title: v.title,
        message: opts.message ?? null,
        created_at: now,
      })
      .execute();
    const upd = await trx
      .updateTable("models")
      .set({ latest_version: next, title: v.title, updated_at: now })
      .where("id", "=", id)
      .where("latest_version", "=", baseVersion)
      .executeTakeFirst();
    if (Number(upd.numUpdatedRows) !== 1)
      throw new ModelConflictError("version conflict: the model changed during the save");
    return next;
  });
  return { id, version, hash: v.hash, problems: v.problems };
}

/** Reads a model version (default: the latest). */
export async function getModelVersion(store: Store, id: string, version?: number): Promise<StoredModel> {
  const m = await store.db.selectFrom("models").selectAll().where("id", "=", id).executeTakeFirst();
  if (!m) throw new ModelNotFoundError(id);
  const v = version ?? m.latest_version;
  const r = await store.db
    .selectFrom("model_versions")
    .selectAll()
    .where("model_id", "=", id)
    .where("version", "=", v)
    .executeTakeFirst();
  if (!r) throw new ModelNotFoundError(id, v);
  return {
    id,
    version: r.version,
    latestVersion: m.latest_version,
    hash: r.hash,
    text: r.text,
    title: r.title,
    createdAt: m.created_at,
    updatedAt: r.created_at,
    ...(r.message === null ? {} : { message: r.message }),
  };
}

export async function listModels(store: Store): Promise<ModelSummary[]> {
  const rows = await store.db
    .selectFrom("models")
    .innerJoin("model_versions", (j) =>
      j
        .onRef("model_versions.model_id", "=", "models.id")
        .onRef("model_versions.version", "=", "models.latest_version"),
    )
    .select([
      "models.id",
      "models.title",
      "models.latest_version",
      "model_versions.hash",
      "models.updated_at",
    ])
    .orderBy("models.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    version: r.latest_version,
    hash: r.hash,
    updatedAt: r.updated_at,
  }));
}

export async function listModelVersions(store: Store, id: string): Promise<ModelVersionInfo[]> {
  const m = await store.db.selectFrom("models").select("id").where("id", "=", id).executeTakeFirst();
  if (!m) throw new ModelNotFoundError(id);
  const rows = await store.db
    .selectFrom("model_versions")
    .select(["version", "hash", "created_at", "message"])
    .where("model_id", "=", id)
    .orderBy("version", "desc")
    .execute();
  return rows.map((r) => ({
    version: r.version,
    hash: r.hash,
    createdAt: r.created_at,
    ...(r.message === null ? {} : { message: r.message }),
  }));
}

/** Writes version `version` again as the next version (based on `baseVersion`). */
export async function restoreModelVersion(
  store: Store,
  id: string,
  version: number,
  baseVersion: number,
  now?: string,
): Promise<{ id: string; version: number; hash: string; problems: Problem[] }> {
  const old = await getModelVersion(store, id, version);
  return saveModelVersion(store, id, old.text, baseVersion, { message: `restore version ${version}`, now });
}

/** Deletes a model with its versions and runs (one transaction; cascades). */
export async function deleteModel(store: Store, id: string): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("runs").where("model_id", "=", id).execute();
    await trx.deleteFrom("model_versions").where("model_id", "=", id).execute();
    const r = await trx.deleteFrom("models").where("id", "=", id).executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) throw new ModelNotFoundError(id);
  });
}

export async function countModels(store: Store): Promise<number> {
  const r = await store.db
    .selectFrom("models")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Loads the seed model text as version 1 when the store holds no model at all (first start). */
export async function seedIfEmpty(store: Store, text: string): Promise<string | undefined> {
  if ((await countModels(store)) > 0) return undefined;
  const r = await createModel(store, text, { message: "seed model" });
  return r.id;
}
