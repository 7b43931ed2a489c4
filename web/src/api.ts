// The UI's only door to Muscat: the HTTP API of docs/api-contract.md, plus plain-words errors.

import type { Problem } from "../../src/model/types.js";
import { optionProblem } from "./options";
import type { RunRecord } from "./types";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers:
        body === undefined
          ? { accept: "application/json" }
          : { "content-type": "application/json", accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError("The Muscat server cannot be reached. Is `muscat serve` still running?", 0);
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { error: text.slice(0, 300) };
    }
  }
  if (!res.ok) {
    const d = (data ?? {}) as { error?: string; message?: string; problems?: Problem[] };
    throw new ApiError(d.error ?? d.message ?? res.statusText, res.status, d.problems ?? []);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>("GET", path, undefined, signal),
  post: <T>(path: string, body: unknown) => request<T>("POST", path, body),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, body),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, body),
};

export const enc = encodeURIComponent;

/** An error in words a new user understands, with what to do next. */
export function plainError(e: unknown): string {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : String(e);
  const detail = e.message && e.message !== "Error" ? e.message : "";
  switch (e.status) {
    case 0:
      return e.message;
    case 400:
      return `The server did not accept the request: ${detail || "a parameter is invalid"}.`;
    case 401:
      return "The server asks for a token (MUSCAT_TOKEN is set). Open the app with the token, or ask whoever started the server.";
    case 404:
      return `Not found: ${detail || "it may have been deleted"}. Reload the page to see what exists now.`;
    case 409:
      return "Someone saved a newer version of this model while you were editing, so your change was not applied (nothing is lost). The page now shows the latest version: check it and make your change again.";
    case 413:
      return "That is too large for the server to accept.";
    case 429:
      return "The server is busy with other runs. Try again in a few seconds.";
    case 422: {
      const errs = e.problems.filter((p) => p.severity === "error");
      const list = (errs.length ? errs : e.problems)
        .slice(0, 4)
        .map((p) => `${p.path ? `${p.path}: ` : ""}${p.message}`);
      return `That change would make the model invalid, so it was not saved${list.length ? ` — ${list.join("; ")}` : detail ? ` — ${detail}` : ""}.`;
    }
    default:
      return `The server failed (${e.status}): ${detail || "unknown error"}.`;
  }
}

const FINISHED = new Set(["done", "failed", "cancelled"]);
export const isFinished = (r: RunRecord | null | undefined) => !!r && FINISHED.has(r.status);

/**
 * Starts a run and polls it until it finishes, reporting every state to `onUpdate`.
 * Resolves with the finished run (status done, failed or cancelled).
 */
export async function runEngine<R>(
  modelId: string,
  engine: string,
  options: Record<string, unknown>,
  version: number | undefined,
  onUpdate: (r: RunRecord<R>) => void,
  signal?: AbortSignal,
): Promise<RunRecord<R>> {
  const problem = optionProblem(engine, options);
  if (problem) throw new Error(`${problem.path}: ${problem.message}`);
  const body: Record<string, unknown> = { engine, options };
  if (version !== undefined) body.version = version;
  // What the view shows until the server's own record comes back.
  const placeholder = (runId: number, status: RunRecord["status"], message: string | null): RunRecord<R> => ({
    runId,
    modelId,
    version: version ?? 0,
    engine,
    options,
    modelHash: "",
    engineVersion: "",
    seed: null,
    status,
    progress: { done: 0, total: null, message },
    createdAt: new Date().toISOString(),
    startedAt: null,
    finishedAt: null,
    elapsedMs: null,
  });
  // A full job queue (429) is the server being busy, not an error: wait and ask again, as its
  // Retry-After says (about 10 s), showing the run as waiting meanwhile.
  let started: { runId: number; status: RunRecord["status"] } | undefined;
  for (let wait = 1000; !started; wait = Math.min(10_000, wait * 2)) {
    try {
      started = await api.post<{ runId: number; status: RunRecord["status"] }>(
        `/api/models/${enc(modelId)}/runs`,
        body,
      );
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 429) throw e;
      onUpdate(placeholder(0, "queued", "the server is busy with other runs; waiting for a free place"));
      await new Promise((res) => setTimeout(res, wait));
      if (signal?.aborted) throw new DOMException("aborted", "AbortError");
    }
  }
  onUpdate(placeholder(started.runId, started.status, null));
  let delay = 120;
  for (;;) {
    const r = await api.get<RunRecord<R>>(`/api/runs/${started.runId}`, signal);
    onUpdate(r);
    if (FINISHED.has(r.status)) return r;
    await new Promise((res) => setTimeout(res, delay));
    delay = Math.min(600, Math.round(delay * 1.4));
    if (signal?.aborted) throw new DOMException("aborted", "AbortError");
  }
}

export function cancelRun(runId: number): Promise<unknown> {
  return api.post(`/api/runs/${runId}/cancel`, {});
}

/** What a file becomes in POST /api/documents: text for text and HTML files, base64 for a PDF. */
export async function documentBody(file: File): Promise<Record<string, string>> {
  const fileName =
    file.name.replace(/[^A-Za-z0-9 ._()-]/g, "_").replace(/^[^A-Za-z0-9]+/, "") || "document.txt";
  if (/\.pdf$/i.test(file.name)) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let bin = "";
    for (let i = 0; i < bytes.length; i += 0x8000)
      bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { base64: btoa(bin), fileName };
  }
  const kind = /\.html?$/i.test(file.name) ? "html" : /\.md$/i.test(file.name) ? "markdown" : "text";
  return { text: await file.text(), fileName, kind };
}

/** Adds a file to the corpus: its document id and whether it was new. */
export function addDocumentFile(file: File): Promise<{ id: string; status: string }> {
  return documentBody(file).then((b) => api.post<{ id: string; status: string }>("/api/documents", b));
}
