// Table types of the SQLite store, as Kysely sees them. One interface per table; a later
// migration that adds tables (models, model versions, runs) adds its interfaces here.
import type { Generated } from "kysely";

export interface DocumentsTable {
  /** sha256 of the document's normalised text. */
  id: string;
  /** What stays the same across versions of one document: its URL, else its file name. */
  series: string;
  version: number;
  /** The previous version's id, if this text replaced an earlier one of the same series. */
  supersedes: string | null;
  kind: string;
  file_name: string | null;
  title: string | null;
  outlet: string | null;
  author: string | null;
  published: string | null;
  url: string | null;
  language: string | null;
  raw_sha256: string;
  text: string;
  cleaned_text: string;
  line_count: number;
  kept_count: number;
  cleaner: string;
  added_at: string;
}

export interface BlocksTable {
  document_id: string;
  line: number;
  kept: number;
  score: number;
  role: string;
  language: string;
  script: string;
  /** JSON array of { rule, weight, detail }. */
  reasons: string;
  cleaned_line: number | null;
}

export interface CorpusLogTable {
  id: Generated<number>;
  at: string;
  action: string;
  document_id: string;
  detail: string | null;
}

export interface Database {
  documents: DocumentsTable;
  blocks: BlocksTable;
  corpus_log: CorpusLogTable;
  models: ModelsTable;
  model_versions: ModelVersionsTable;
  runs: RunsTable;
  vintages: VintagesTable;
  resolutions: ResolutionsTable;
}

// 0002_models: models, their versions, and engine runs.

export interface ModelsTable {
  id: string;
  title: string;
  latest_version: number;
  created_at: string;
  updated_at: string;
}

export interface ModelVersionsTable {
  model_id: string;
  version: number;
  /** The model file's text exactly as saved (YAML or JSON). */
  text: string;
  /** sha256 of the text (bytes as saved). */
  text_sha256: string;
  /** The model's content hash (modelHash/compileModel): what runs are reproduced from. */
  hash: string;
  title: string;
  message: string | null;
  created_at: string;
}

export interface RunsTable {
  id: Generated<number>;
  model_id: string;
  version: number;
  engine: string;
  /** JSON of the options as given. */
  options: string;
  seed: number | null;
  model_hash: string;
  engine_version: string;
  status: string;
  progress_done: number;
  progress_total: number | null;
  progress_message: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  elapsed_ms: number | null;
  /** JSON of the engine's result object. */
  result: string | null;
  error: string | null;
}

// 0003_forecasts: forecast vintages and the resolutions of a model's questions.

export interface VintagesTable {
  /** The vintage id (makeVintage: model id, UTC time made, short content hash). */
  id: string;
  model_id: string;
  /**
   * The model version the forecast used; null when no stored version has the vintage's model
   * hash (0004: a vintage saved from a model file or imported from another store).
   */
  model_version: number | null;
  model_hash: string;
  engine_version: string;
  seed: number;
  runs: number;
  /** The forecast run it was made from (one vintage per run), when made from a run. */
  run_id: number | null;
  questions: number;
  /** When the forecast was made (the run's end), ISO 8601 UTC. */
  made_at: string;
  saved_at: string;
  /** The vintage object (src/forecast/vintage.ts) as JSON, exactly as issued. */
  json: string;
  /**
   * 0005: the as-of date (YYYY-MM-DD) the vintage is scored from: the vintage's `asOf`, or, for
   * a format-1 vintage (none), its model's asOf. Nullable only because ALTER TABLE adds it:
   * 0005 fills every row and every write sets it (summary() falls back to the JSON anyway).
   */
  as_of: string | null;
  /** 0005: 'vintage' when the vintage gives its as-of date, 'model' when its model's asOf stands for it. */
  as_of_from: "vintage" | "model" | null;
}

export interface ResolutionsTable {
  model_id: string;
  question_id: string;
  /** 1 = yes, 0 = no. */
  outcome: number;
  /** YYYY-MM-DD. */
  resolved_on: string;
  source: string | null;
  recorded_at: string;
}
