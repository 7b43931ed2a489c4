// Vintages in the store: 0004 keeps the rows of a 0003 store and lets a vintage be kept without
// a stored model version (or model); deleting a model still deletes its vintages; an import is
// one transaction. 0005 gives every vintage an as-of date: a vintage stored before vintages
// carried one keeps its JSON as it was and takes its model's asOf (and says so); a 0005 that
// fails leaves the store as it was.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect } from "kysely";
import { describe, expect, it } from "vitest";
import {
  FORECAST_ENGINE_VERSION,
  type ForecastResult,
  forecastQuestions,
  makeVintage,
  scoreVintage,
  type Vintage,
} from "../../src/forecast/index.js";
import { compileModel } from "../../src/model/compile.js";
import { parseModelText } from "../../src/model/load.js";
import {
  findStoredVintage,
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
    expect(r[1].vintage).toMatchObject({
      modelVersion: 1,
      runId: null,
      engineVersion: `forecast/${FORECAST_ENGINE_VERSION}`,
    });
    await store.close();
  }, 30_000);
});

// ---- 0005: as-of dates --------------------------------------------------------------------------

/** A store migrated up to (and including) `last`, closed again. */
async function storeUpTo(last: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `muscat-store-${last}-`));
  const sqlite = new SQLite(join(dir, STORE_FILE));
  sqlite.pragma("foreign_keys = ON");
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  const upTo = Object.fromEntries(Object.entries(MIGRATIONS).filter(([k]) => k <= last));
  const m = new Migrator({
    db,
    provider: { getMigrations: async () => upTo },
    migrationTableName: "muscat_migrations",
    migrationLockTableName: "muscat_migrations_lock",
  });
  expect((await m.migrateToLatest()).error).toBeUndefined();
  await db.destroy();
  return dir;
}

/** A format-1 vintage, as muscat wrote them before vintages carried an as-of date. */
function legacyVintage(r: ForecastResult, made: string): Vintage {
  const { kind: _k, ...rest } = r;
  const body = { kind: "forecast.vintage", format: 1, made, ...rest };
  const digest = createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 8);
  const stamp = made.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return { ...body, id: `${r.model.id}-${stamp}-${digest}` } as Vintage;
}

const insertRow = (raw: SQLite.Database, v: Vintage, json = JSON.stringify(v)) =>
  raw
    .prepare("insert into vintages values (?, ?, null, ?, 'forecast/1.0.0', 1, 100, null, 1, ?, ?, ?)")
    .run(v.id, v.model.id, v.model.hash, v.made, v.made, json);

const columns = (raw: SQLite.Database) =>
  (raw.prepare("select name from pragma_table_info('vintages')").all() as { name: string }[]).map(
    (c) => c.name,
  );

describe("0005: every vintage has an as-of date", () => {
  it("a vintage stored without one loads as of its model's asOf, JSON unchanged, and says so", async () => {
    const dir = await storeUpTo("0004_vintages_one_home");
    const old = legacyVintage(await seedForecast(), "2025-06-01T00:00:00.000Z");
    const raw = new SQLite(join(dir, STORE_FILE));
    insertRow(raw, old);
    raw.close();
    const store = (await openStore(dir))!;
    expect(await appliedMigrations(store)).toContain("0005_vintage_as_of");
    const seedAsOf = parseModelText(seedText).model!.asOf;
    const [listed] = await listStoredVintages(store);
    expect(listed).toMatchObject({ id: old.id, asOf: seedAsOf, asOfFrom: "model", made: old.made });
    const kept = await findStoredVintage(store, old.id);
    expect(kept.vintage).toEqual(old); // exactly as issued: no asOf written into it
    expect(kept.vintage.asOf).toBeUndefined();
    const s = scoreVintage(kept.vintage, []);
    expect(s.asOf).toMatchObject({ date: seedAsOf, from: "model" });
    expect(s.asOf.note).toMatch(/before vintages carried an as-of date/);
    // a new vintage gives its own as-of date, kept in the columns too
    const fresh = makeVintage(await seedForecast(), {
      made: new Date("2025-06-02T00:00:00Z"),
      asOf: "2025-05-01",
    });
    expect(await saveVintage(store, fresh)).toMatchObject({ asOf: "2025-05-01", asOfFrom: "vintage" });
    const cols = store.sqlite.prepare("select id, as_of, as_of_from from vintages order by made_at").all();
    expect(cols).toEqual([
      { id: old.id, as_of: seedAsOf, as_of_from: "model" },
      { id: fresh.id, as_of: "2025-05-01", as_of_from: "vintage" },
    ]);
    // the columns refuse what is not an as-of date
    expect(() => store.sqlite.prepare("update vintages set as_of_from = 'wall-clock'").run()).toThrow(
      /CHECK constraint failed/,
    );
    await store.close();
  }, 30_000);

  it("a 0005 that fails leaves the store as it was, and runs once the cause is gone", async () => {
    const dir = await storeUpTo("0004_vintages_one_home");
    const good = legacyVintage(await seedForecast(), "2025-06-01T00:00:00.000Z");
    const broken = legacyVintage(await seedForecast(), "2025-06-02T00:00:00.000Z");
    let raw = new SQLite(join(dir, STORE_FILE));
    insertRow(raw, good);
    insertRow(raw, broken, "{not json"); // unreadable: 0005 cannot tell its as-of date
    const before = raw.prepare("select * from vintages order by id").all();
    raw.close();
    await expect(openStore(dir)).rejects.toThrow(/cannot migrate the store .*0005_vintage_as_of/);
    raw = new SQLite(join(dir, STORE_FILE));
    expect(columns(raw)).not.toContain("as_of");
    expect(columns(raw)).not.toContain("as_of_from");
    expect(raw.prepare("select * from vintages order by id").all()).toEqual(before);
    expect(
      (raw.prepare("select name from muscat_migrations order by name").all() as { name: string }[]).map(
        (r) => r.name,
      ),
    ).toEqual(["0001_documents", "0002_models", "0003_forecasts", "0004_vintages_one_home"]);
    raw.prepare("update vintages set json = ? where id = ?").run(JSON.stringify(broken), broken.id);
    raw.close();
    const store = (await openStore(dir))!;
    expect((await listStoredVintages(store)).map((v) => [v.id, v.asOfFrom])).toEqual([
      [good.id, "model"],
      [broken.id, "model"],
    ]);
    await store.close();
  }, 30_000);
});
