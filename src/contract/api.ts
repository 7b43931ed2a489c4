// The shapes the HTTP API answers with, in one place: the store's records as the API returns
// them, the model views, and every engine's run result (src/runs/results.ts). The server
// declares its responses with the JSON Schema generated from these types (api.schema.json,
// `npm run schemas`; a test fails when it is stale), and the app imports them as types.
import type { BlockReport } from "../evidence/clean.js";
import type { Draft, Gap } from "../evidence/ingest.js";
import type { VerifyReport } from "../evidence/verify.js";
import type { ForecastHistory } from "../forecast/history.js";
import type { Resolution } from "../forecast/resolutions.js";
import type { Vintage, VintageScore } from "../forecast/vintage.js";
import type { Change } from "../model/diff.js";
import type { MatrixView } from "../model/matrix-view.js";
import type { Model, Problem } from "../model/types.js";
import type { EngineResults } from "../runs/results.js";

export type { Change } from "../model/diff.js";
export type { CellSource, MatrixCell, MatrixFactor, MatrixView } from "../model/matrix-view.js";
export type { EngineResults } from "../runs/results.js";

// ── models ──

export interface ModelSummary {
  id: string;
  title: string;
  version: number;
  hash: string;
  updatedAt: string;
}

export interface ModelVersionInfo {
  version: number;
  hash: string;
  createdAt: string;
  message?: string;
}

/** GET /api/models/{id}: a version's text, its parsed model and its validation problems. */
export interface ModelRecord {
  id: string;
  version: number;
  latestVersion: number;
  hash: string;
  title: string;
  text: string;
  /** The normalised model (a version in the store always validates). */
  model: Model;
  problems: Problem[];
  updatedAt: string;
  message?: string;
}

/** What a write to a model answers: the version it made. */
export interface Saved {
  id: string;
  version: number;
  hash: string;
}

/** GET /api/models/{id}/diff: the changed values by model path, and a unified diff of the texts. */
export interface ModelDiff {
  from: number;
  to: number;
  hashes: { from: string; to: string };
  changes: Change[];
  textDiff: string;
}

/** GET /api/models/{id}/matrix. */
export interface MatrixRecord extends MatrixView {
  id: string;
  version: number;
  /** With `?rows=FROM,COUNT`: the page's first row, its rows, and the matrix's row count. */
  page?: { from: number; count: number; total: number };
}

/** GET /api/models/{id}/evidence: every judgment's evidence resolved against the corpus. */
export interface EvidenceRecord extends VerifyReport {
  id: string;
  version: number;
  hash: string;
}

// ── runs ──

/** Any engine's result. */
export type RunResult = EngineResults[keyof EngineResults];

export type RunStatus = "queued" | "running" | "done" | "failed" | "cancelled";

export interface RunProgress {
  done: number;
  total: number | null;
  message: string | null;
}

export interface RunInfo {
  runId: number;
  modelId: string;
  version: number;
  engine: string;
  options: unknown;
  seed: number | null;
  modelHash: string;
  engineVersion: string;
  status: RunStatus;
  progress: RunProgress;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  elapsedMs: number | null;
  error?: string;
  /** The engine's result, once done (its type by engine: EngineResults). */
  result?: RunResult;
}

// ── documents ──

export interface StoredDocument {
  id: string;
  series: string;
  version: number;
  supersedes: string | null;
  kind: "text" | "markdown" | "html" | "pdf";
  fileName: string | null;
  title: string | null;
  outlet: string | null;
  author: string | null;
  date: string | null;
  url: string | null;
  language: string | null;
  rawSha256: string;
  lineCount: number;
  keptCount: number;
  cleaner: string;
  addedAt: string;
}

export interface StoredDocumentFull extends StoredDocument {
  text: string;
  cleanedText: string;
  blocks: BlockReport[];
}

export type AddStatus = "added" | "unchanged" | "new-version";

export interface AddResult {
  id: string;
  status: AddStatus;
  version: number;
  series: string;
  /** For a new version: the id of the version it replaces. */
  supersedes?: string;
  fileName?: string;
}

// ── ingestion ──

export type { Draft, Gap } from "../evidence/ingest.js";

/** POST /api/models/{id}/ingest: a stored document read against a model version, for review. */
export interface IngestReport {
  modelId: string;
  /** The model version the drafts were made against (the base of a later write). */
  version: number;
  document: {
    id: string;
    title: string | null;
    outlet: string | null;
    fileName: string | null;
    language: string;
  };
  /** The model source the document is, or the id it gets when a draft is written. */
  source: { id: string; inModel: boolean };
  analysed: { blocks: number; sentences: number };
  /** The drafts at or above minConfidence, highest confidence first. */
  drafts: Draft[];
  /** How many drafts were below minConfidence and left out. */
  belowConfidence: number;
  /** Claims that reach no factor or state of the model. */
  gaps: Gap[];
  /** The document's lines (line n is lines[n - 1]), for the drafts' locators. */
  lines: string[];
  /** Each draft's sentence (and merged sentences) as characters start..end of its line. */
  quotes: { line: number; sentence: number; start: number; end: number }[];
  /** Proper names in the text that match no actor of the model. */
  unknownNames: string[];
}

/** POST /api/models/{id}/drafts: the version the decisions made. */
export interface DraftsSaved extends Saved {
  message: string;
  accepted: number;
  attached: number;
  views: number;
  /** The model source the evidence cites; added is true when this write added it. */
  source: { id: string; added: boolean };
}

// ── forecasts ──

export interface StoredVintageSummary {
  id: string;
  modelId: string;
  /** The model version in the store it was made from; null when the store has no version with its hash. */
  modelVersion: number | null;
  modelHash: string;
  engineVersion: string;
  seed: number;
  runs: number;
  runId: number | null;
  questions: number;
  /** When the vintage was made, by the wall clock (ISO 8601 UTC): for the record. */
  made: string;
  /**
   * The information date (YYYY-MM-DD) the vintage is issued as of: its score counts
   * resolutions dated before it as known. For a vintage made before vintages carried one, its
   * model's asOf.
   */
  asOf: string;
  /** "vintage": the vintage gives its as-of date; "model": it has none (format 1), its model's asOf stands for it. */
  asOfFrom: "vintage" | "model";
  savedAt: string;
}

export interface StoredResolution extends Resolution {
  recordedAt: string;
}

/** GET|PUT /api/models/{id}/resolutions: a model's resolutions as recorded. */
export interface ResolutionsRecord {
  modelId: string;
  resolutions: {
    question: string;
    outcome: "yes" | "no";
    date: string;
    source?: string;
    recordedAt: string;
  }[];
}

/** GET /api/vintages/{vid}: the summary and the vintage as issued. */
export interface StoredVintage extends StoredVintageSummary {
  vintage: Vintage;
}

/** GET /api/vintages/{vid}/score: the score with its reliability diagram. */
export interface VintageScoreRecord extends VintageScore {
  /** The reliability diagram as SVG; null while no question is resolved. */
  reliabilitySvg: string | null;
}

/**
 * GET /api/models/{id}/history: the forecast history of the model's questions across its
 * vintages, scored against its recorded resolutions (src/forecast/history.ts).
 */
export interface ForecastHistoryRecord extends ForecastHistory {
  modelId: string;
}

/** Every response shape by name: the root the JSON Schema is generated from. */
export interface ApiShapes {
  ModelSummary: ModelSummary;
  ModelVersionInfo: ModelVersionInfo;
  ModelRecord: ModelRecord;
  Saved: Saved;
  ModelDiff: ModelDiff;
  MatrixRecord: MatrixRecord;
  EvidenceRecord: EvidenceRecord;
  RunInfo: RunInfo;
  StoredDocument: StoredDocument;
  StoredDocumentFull: StoredDocumentFull;
  AddResult: AddResult;
  IngestReport: IngestReport;
  DraftsSaved: DraftsSaved;
  StoredVintageSummary: StoredVintageSummary;
  StoredResolution: StoredResolution;
  StoredVintage: StoredVintage;
  ResolutionsRecord: ResolutionsRecord;
  Vintage: Vintage;
  VintageScoreRecord: VintageScoreRecord;
  ForecastHistoryRecord: ForecastHistoryRecord;
  EngineResults: EngineResults;
}
