// Schema migrations, applied in name order by Kysely's Migrator and recorded in the
// `muscat_migrations` table. Never edit a migration that has shipped: add the next one
// (e.g. "0002_models" for models, model versions and runs). Each `up` runs in a transaction
// where SQLite allows it; foreign keys are on for every connection (see index.ts).
import { type Kysely, type Migration, sql } from "kysely";

/**
 * Rebuilds the documents table with `kinds` as the allowed document kinds (SQLite cannot change
 * a CHECK constraint), keeping every row, the blocks and the log that refer to them. Foreign
 * keys are off while the table is swapped (or dropping it would cascade to the blocks), and are
 * checked before the transaction commits.
 */
async function rebuildDocuments(db: Kysely<unknown>, kinds: string[]): Promise<void> {
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await trx.schema
        .createTable("documents_new")
        .addColumn("id", "text", (c) => c.primaryKey().check(sql`length(id) = 64`))
        .addColumn("series", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().check(sql`version >= 1`))
        .addColumn("supersedes", "text", (c) => c.references("documents.id").onDelete("set null"))
        .addColumn("kind", "text", (c) =>
          c.notNull().check(sql`kind in (${sql.join(kinds.map((k) => sql.lit(k)))})`),
        )
        .addColumn("file_name", "text")
        .addColumn("title", "text")
        .addColumn("outlet", "text")
        .addColumn("author", "text")
        .addColumn("published", "text")
        .addColumn("url", "text")
        .addColumn("language", "text")
        .addColumn("raw_sha256", "text", (c) => c.notNull())
        .addColumn("text", "text", (c) => c.notNull())
        .addColumn("cleaned_text", "text", (c) => c.notNull())
        .addColumn("line_count", "integer", (c) => c.notNull())
        .addColumn("kept_count", "integer", (c) => c.notNull())
        .addColumn("cleaner", "text", (c) => c.notNull())
        .addColumn("added_at", "text", (c) => c.notNull())
        .addUniqueConstraint("documents_series_version", ["series", "version"])
        .execute();
      await sql`insert into documents_new (id, series, version, supersedes, kind, file_name, title, outlet, author, published, url, language, raw_sha256, text, cleaned_text, line_count, kept_count, cleaner, added_at)
        select id, series, version, supersedes, kind, file_name, title, outlet, author, published, url, language, raw_sha256, text, cleaned_text, line_count, kept_count, cleaner, added_at from documents`.execute(
        trx,
      );
      await trx.schema.dropTable("documents").execute();
      await sql`alter table documents_new rename to documents`.execute(trx);
      await trx.schema.createIndex("documents_series").on("documents").column("series").execute();
      const broken = await sql<{ table: string }>`pragma foreign_key_check`.execute(trx);
      if (broken.rows.length > 0)
        throw new Error(`${broken.rows.length} row(s) would break a foreign key after rebuilding documents`);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

export const MIGRATIONS: Record<string, Migration> = {
  "0001_documents": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("documents")
        .addColumn("id", "text", (c) => c.primaryKey().check(sql`length(id) = 64`))
        .addColumn("series", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().check(sql`version >= 1`))
        .addColumn("supersedes", "text", (c) => c.references("documents.id").onDelete("set null"))
        .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('text', 'markdown', 'html')`))
        .addColumn("file_name", "text")
        .addColumn("title", "text")
        .addColumn("outlet", "text")
        .addColumn("author", "text")
        .addColumn("published", "text")
        .addColumn("url", "text")
        .addColumn("language", "text")
        .addColumn("raw_sha256", "text", (c) => c.notNull())
        .addColumn("text", "text", (c) => c.notNull())
        .addColumn("cleaned_text", "text", (c) => c.notNull())
        .addColumn("line_count", "integer", (c) => c.notNull())
        .addColumn("kept_count", "integer", (c) => c.notNull())
        .addColumn("cleaner", "text", (c) => c.notNull())
        .addColumn("added_at", "text", (c) => c.notNull())
        .addUniqueConstraint("documents_series_version", ["series", "version"])
        .execute();
      await db.schema
        .createTable("blocks")
        .addColumn("document_id", "text", (c) => c.notNull().references("documents.id").onDelete("cascade"))
        .addColumn("line", "integer", (c) => c.notNull().check(sql`line >= 1`))
        .addColumn("kept", "integer", (c) => c.notNull().check(sql`kept in (0, 1)`))
        .addColumn("score", "real", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("language", "text", (c) => c.notNull())
        .addColumn("script", "text", (c) => c.notNull())
        .addColumn("reasons", "text", (c) => c.notNull())
        .addColumn("cleaned_line", "integer")
        .addPrimaryKeyConstraint("blocks_pk", ["document_id", "line"])
        .execute();
      await db.schema
        .createTable("corpus_log")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("document_id", "text", (c) => c.notNull().references("documents.id").onDelete("cascade"))
        .addColumn("detail", "text")
        .execute();
      await db.schema.createIndex("documents_series").on("documents").column("series").execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("corpus_log").execute();
      await db.schema.dropTable("blocks").execute();
      await db.schema.dropTable("documents").execute();
    },
  },
  // Models and their versions (every save is a version holding the whole file text and its
  // hash), and the engine runs on a model version with their options, progress and result.
  "0002_models": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("models")
        .addColumn("id", "text", (c) => c.primaryKey().check(sql`length(id) between 1 and 64`))
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("latest_version", "integer", (c) => c.notNull().check(sql`latest_version >= 1`))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("model_versions")
        .addColumn("model_id", "text", (c) => c.notNull().references("models.id").onDelete("cascade"))
        .addColumn("version", "integer", (c) => c.notNull().check(sql`version >= 1`))
        .addColumn("text", "text", (c) => c.notNull())
        .addColumn("text_sha256", "text", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("message", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("model_versions_pk", ["model_id", "version"])
        .execute();
      await db.schema
        .createTable("runs")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("model_id", "text", (c) => c.notNull().references("models.id").onDelete("cascade"))
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("engine", "text", (c) => c.notNull())
        .addColumn("options", "text", (c) => c.notNull())
        .addColumn("seed", "integer")
        .addColumn("model_hash", "text", (c) => c.notNull())
        .addColumn("engine_version", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) =>
          c.notNull().check(sql`status in ('queued', 'running', 'done', 'failed', 'cancelled')`),
        )
        .addColumn("progress_done", "real", (c) => c.notNull().defaultTo(0))
        .addColumn("progress_total", "real")
        .addColumn("progress_message", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("started_at", "text")
        .addColumn("finished_at", "text")
        .addColumn("elapsed_ms", "real")
        .addColumn("result", "text")
        .addColumn("error", "text")
        .addForeignKeyConstraint(
          "runs_version_fk",
          ["model_id", "version"],
          "model_versions",
          ["model_id", "version"],
          (c) => c.onDelete("cascade"),
        )
        .execute();
      await db.schema.createIndex("runs_model").on("runs").columns(["model_id", "id"]).execute();
      await db.schema.createIndex("runs_status").on("runs").column("status").execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("runs").execute();
      await db.schema.dropTable("model_versions").execute();
      await db.schema.dropTable("models").execute();
    },
  },
  // Forecast vintages kept in the store (the CLI keeps JSON files under <data>/vintages) and
  // the resolutions of a model's questions (outside the model: a model carries no hindsight).
  "0003_forecasts": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("vintages")
        .addColumn("id", "text", (c) => c.primaryKey().check(sql`length(id) between 1 and 160`))
        .addColumn("model_id", "text", (c) => c.notNull().references("models.id").onDelete("cascade"))
        .addColumn("model_version", "integer", (c) => c.notNull().check(sql`model_version >= 1`))
        .addColumn("model_hash", "text", (c) => c.notNull())
        .addColumn("engine_version", "text", (c) => c.notNull())
        .addColumn("seed", "integer", (c) => c.notNull())
        .addColumn("runs", "integer", (c) => c.notNull())
        .addColumn("run_id", "integer")
        .addColumn("questions", "integer", (c) => c.notNull())
        .addColumn("made_at", "text", (c) => c.notNull())
        .addColumn("saved_at", "text", (c) => c.notNull())
        .addColumn("json", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("vintages_model").on("vintages").columns(["model_id", "made_at"]).execute();
      await db.schema.createIndex("vintages_run").on("vintages").column("run_id").unique().execute();
      await db.schema
        .createTable("resolutions")
        .addColumn("model_id", "text", (c) => c.notNull().references("models.id").onDelete("cascade"))
        .addColumn("question_id", "text", (c) => c.notNull().check(sql`length(question_id) between 1 and 64`))
        .addColumn("outcome", "integer", (c) => c.notNull().check(sql`outcome in (0, 1)`))
        .addColumn("resolved_on", "text", (c) => c.notNull().check(sql`length(resolved_on) = 10`))
        .addColumn("source", "text")
        .addColumn("recorded_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("resolutions_pk", ["model_id", "question_id"])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("resolutions").execute();
      await db.schema.dropTable("vintages").execute();
    },
  },
  // Vintages have one home, the store, for the CLI as for the server: a vintage saved from a
  // model file, or imported from another store, may come from a model content that no stored
  // version holds (model_version null) or from a model not in this store yet (no foreign key on
  // model_id; it appears under the model once a model with its id is added). Deleting a model
  // still deletes its vintages (a trigger, as the foreign key's cascade did). SQLite cannot
  // drop a constraint: the table is rebuilt with the same rows.
  "0004_vintages_one_home": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("vintages_0004")
        .addColumn("id", "text", (c) => c.primaryKey().check(sql`length(id) between 1 and 160`))
        .addColumn("model_id", "text", (c) => c.notNull().check(sql`length(model_id) between 1 and 64`))
        .addColumn("model_version", "integer", (c) =>
          c.check(sql`model_version is null or model_version >= 1`),
        )
        .addColumn("model_hash", "text", (c) => c.notNull())
        .addColumn("engine_version", "text", (c) => c.notNull())
        .addColumn("seed", "integer", (c) => c.notNull())
        .addColumn("runs", "integer", (c) => c.notNull())
        .addColumn("run_id", "integer")
        .addColumn("questions", "integer", (c) => c.notNull())
        .addColumn("made_at", "text", (c) => c.notNull())
        .addColumn("saved_at", "text", (c) => c.notNull())
        .addColumn("json", "text", (c) => c.notNull())
        .execute();
      await sql`insert into vintages_0004 (id, model_id, model_version, model_hash, engine_version, seed, runs, run_id, questions, made_at, saved_at, json)
        select id, model_id, model_version, model_hash, engine_version, seed, runs, run_id, questions, made_at, saved_at, json from vintages`.execute(
        db,
      );
      await db.schema.dropTable("vintages").execute();
      await sql`alter table vintages_0004 rename to vintages`.execute(db);
      await db.schema.createIndex("vintages_model").on("vintages").columns(["model_id", "made_at"]).execute();
      await db.schema.createIndex("vintages_run").on("vintages").column("run_id").unique().execute();
      await sql`create trigger vintages_of_deleted_model after delete on models
        begin delete from vintages where model_id = old.id; end`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      // Back to 0003: only vintages of a stored model version fit its foreign keys.
      await sql`drop trigger if exists vintages_of_deleted_model`.execute(db);
      await db.schema
        .createTable("vintages_0003")
        .addColumn("id", "text", (c) => c.primaryKey().check(sql`length(id) between 1 and 160`))
        .addColumn("model_id", "text", (c) => c.notNull().references("models.id").onDelete("cascade"))
        .addColumn("model_version", "integer", (c) => c.notNull().check(sql`model_version >= 1`))
        .addColumn("model_hash", "text", (c) => c.notNull())
        .addColumn("engine_version", "text", (c) => c.notNull())
        .addColumn("seed", "integer", (c) => c.notNull())
        .addColumn("runs", "integer", (c) => c.notNull())
        .addColumn("run_id", "integer")
        .addColumn("questions", "integer", (c) => c.notNull())
        .addColumn("made_at", "text", (c) => c.notNull())
        .addColumn("saved_at", "text", (c) => c.notNull())
        .addColumn("json", "text", (c) => c.notNull())
        .execute();
      await sql`insert into vintages_0003 select * from vintages
        where model_version is not null and model_id in (select id from models)`.execute(db);
      await db.schema.dropTable("vintages").execute();
      await sql`alter table vintages_0003 rename to vintages`.execute(db);
      await db.schema.createIndex("vintages_model").on("vintages").columns(["model_id", "made_at"]).execute();
      await db.schema.createIndex("vintages_run").on("vintages").column("run_id").unique().execute();
    },
  },
  // Vintages carry an as-of date (the information date; vintage format 2), kept as a column for
  // listing: `as_of` YYYY-MM-DD and `as_of_from`, 'vintage' when the vintage gives it, 'model'
  // when it does not (format 1, made before vintages carried one): its model's asOf stands for
  // it. The vintages' JSON is left exactly as issued. SQLite runs Kysely's migrations outside a
  // transaction, so this one opens its own: a failure (e.g. a row whose JSON is unreadable)
  // leaves the store as it was, and the migration is tried again on the next open.
  "0005_vintage_as_of": {
    async up(db: Kysely<unknown>) {
      await db.transaction().execute(async (trx) => {
        const cols = await sql<{ name: string }>`select name from pragma_table_info('vintages')`.execute(trx);
        const has = new Set(cols.rows.map((c) => c.name));
        if (!has.has("as_of"))
          await sql`alter table vintages add column as_of text check (as_of is null or length(as_of) = 10)`.execute(
            trx,
          );
        if (!has.has("as_of_from"))
          await sql`alter table vintages add column as_of_from text check (as_of_from is null or as_of_from in ('vintage', 'model'))`.execute(
            trx,
          );
        await sql`update vintages set
            as_of = coalesce(json_extract(json, '$.asOf'), json_extract(json, '$.model.asOf')),
            as_of_from = case when json_extract(json, '$.asOf') is null then 'model' else 'vintage' end
          where as_of is null or as_of_from is null`.execute(trx);
        const left = await sql<{ n: number }>`select count(*) as n from vintages
          where as_of is null or length(as_of) <> 10`.execute(trx);
        if (Number(left.rows[0]?.n ?? 0) > 0)
          throw new Error(
            `${left.rows[0].n} vintage(s) have neither an as-of date nor a model asOf in their JSON`,
          );
      });
    },
    async down(db: Kysely<unknown>) {
      await db.transaction().execute(async (trx) => {
        await sql`alter table vintages drop column as_of_from`.execute(trx);
        await sql`alter table vintages drop column as_of`.execute(trx);
      });
    },
  },
  // Documents may be PDFs (their stored text is the text extracted from the file): the kind's
  // CHECK constraint allows 'pdf'. Down removes the PDF documents (their blocks and log go with
  // them) and restores the old constraint.
  "0006_document_kind_pdf": {
    async up(db: Kysely<unknown>) {
      await rebuildDocuments(db, ["text", "markdown", "html", "pdf"]);
    },
    async down(db: Kysely<unknown>) {
      await sql`delete from documents where kind = 'pdf'`.execute(db);
      await rebuildDocuments(db, ["text", "markdown", "html"]);
    },
  },
};
