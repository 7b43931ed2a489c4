// Vintages in the store: 0004 keeps the rows of a 0003 store and lets a vintage be kept without
// a stored model version (or model); deleting a model still deletes its vintages; an import is
// one transaction.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect } from "kysely";
import { describe, expect, it } from "vitest";
import { forecastQuestions, makeVintage, type Vintage } from "../../src/forecast/index.js";
import { compileModel } from "../../src/model/compile.js";
import { parseModelText } from "../../src/model/load.js";
import {
  getStoredVintage,
  importVintages,
  listStoredVintages,
  saveVintage,
} from "../../src/store/forecasts.js";
import { appliedMigrations, createModel, deleteModel, openStore, STORE_FILE } from "../../src/store/index.js";
import { MIGRATIONS } from "../../src/store/migrations.js";
import { seedModelPath } from "../helpers/paths.js";

const seedText = readFileSync(seedModelPath, "utf8");

async function seedForecast() {
  const model = parseModelText(seedText).model!;
  return forecastQuestions(model, compileModel(model), {
    runs: 100,
    seed: 1,
    drivers: false,
    uncertainty: false,
    only: [model.questions![0].id],
  });
}

async function seedVintage(made: string): Promise<Vintage> {
  return makeVintage(await seedForecast(), { made: new Date(made) });
}

describe("vintages in the store", () => {
  it("0004 keeps a 0003 store's vintages; a vintage needs no stored model version", async () => {
    const dir = mkdtempSync(join(tmpdir(), "muscat-store-0003-"));
    // A store as 0003 left it, holding one vintage of a stored model version.
    const sqlite = new SQLite(join(dir, STORE_FILE));
    sqlite.pragma("foreign_keys = ON");
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
    const upTo3 = Object.fromEntries(Object.entries(MIGRATIONS).filter(([k]) => k < "0004"));
    const m = new Migrator({
      db,
      provider: { getMigrations: async () => upTo3 },
      migrationTableName: "muscat_migrations",
      migrationLockTableName: "muscat_migrations_lock",
    });
    expect((await m.migrateToLatest()).error).toBeUndefined();
    await db.destroy();
    const raw = new SQLite(join(dir, STORE_FILE));
    const v = await seedVintage("2025-06-01T00:00:00Z");
    const id = parseModelText(seedText).model!.id;
    expect(raw.prepare("select count(*) as n from muscat_migrations").get()).toEqual({ n: 3 });
    raw.prepare("insert into models values (?, 'seed', 1, '2025-01-01', '2025-01-01')").run(id);
    raw
      .prepare("insert into model_versions values (?, 1, ?, 'x', ?, 'seed', null, '2025-01-01')")
      .run(id, seedText, v.model.hash);
    raw
      .prepare("insert into vintages values (?, ?, 1, ?, 'forecast/1.0.0', 1, 100, 7, 1, ?, '2025-06-01', ?)")
      .run(v.id, id, v.model.hash, v.made, JSON.stringify(v));
    raw.close();
    const store = (await openStore(dir))!;
    expect(await appliedMigrations(store)).toContain("0004_vintages_one_home");
    const kept = await getStoredVintage(store, v.id);
    expect(kept).toMatchObject({ id: v.id, modelId: id, modelVersion: 1, runId: 7 });
    expect(kept?.vintage).toEqual(v);

    // a vintage of a model this store has not got: kept under its model id, no version
    const r = await seedForecast();
    const other = makeVintage(
      { ...r, model: { ...r.model, id: "elsewhere" } },
      { made: new Date("2025-06-02T00:00:00Z") },
    );
    expect(await saveVintage(store, other)).toMatchObject({ modelId: "elsewhere", modelVersion: null });
    // the model's version with the same hash is found when the model is there
    const again = await seedVintage("2025-06-03T00:00:00Z");
    expect(await saveVintage(store, again)).toMatchObject({ modelId: id, modelVersion: 1 });
    // deleting a model deletes its vintages (and only those)
    await deleteModel(store, id);
    expect((await listStoredVintages(store)).map((x) => x.id)).toEqual([other.id]);
    await store.close();
  }, 30_000);

  it("an import is all or nothing", async () => {
    const store = (await openStore(mkdtempSync(join(tmpdir(), "muscat-store-"))))!;
    await createModel(store, seedText);
    const a = await seedVintage("2025-06-01T00:00:00Z");
    const b = await seedVintage("2025-06-02T00:00:00Z");
    expect((await importVintages(store, [a])).map((r) => r.status)).toEqual(["added"]);
    // b is new, but the second item claims a's id with other content: nothing is imported
    const clash = { ...a, seed: a.seed + 1 };
    await expect(importVintages(store, [b, clash])).rejects.toThrow(/another vintage with the id/);
    expect((await listStoredVintages(store)).map((x) => x.id)).toEqual([a.id]);
    const r = await importVintages(store, [a, b]);
    expect(r.map((x) => x.status)).toEqual(["unchanged", "added"]);
    expect(r[1].vintage).toMatchObject({ modelVersion: 1, runId: null, engineVersion: "forecast/1.0.0" });
    await store.close();
  }, 30_000);
});
