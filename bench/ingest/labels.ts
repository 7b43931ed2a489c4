// Hand labels of the ingestion evaluation set (bench/ingest/labels.json): their types, and a
// parser that checks them against the articles and the model. It never throws: every problem
// is returned as a message naming the labels file, the article and the line.

export type Sign = "+" | "-";
export interface Cell {
  from: string;
  to: string;
  sign: Sign;
}
export interface JudgmentLabel extends Cell {
  line: number;
  quote: string;
  /** Rough strength, 1–3 (magnitude; the sign is `sign`). */
  strength: number;
  /** Other cells that say the same thing (a draft on any of them is correct). */
  alt?: Cell[];
  note?: string;
}
export interface GapLabel {
  line: number;
  quote: string;
  kind: "actor" | "factor" | "state";
  missing: string;
}
export const META_FIELDS = ["title", "outlet", "date", "author", "url"] as const;
export type MetaField = (typeof META_FIELDS)[number];
export type MetadataLabel = Record<MetaField, string | null>;
export interface ArticleLabels {
  file: string;
  /** The file starts with header lines beyond a plain title line. */
  header: boolean;
  metadata: MetadataLabel | null;
  judgments: JudgmentLabel[];
  gaps: GapLabel[];
  note?: string;
}
export interface LabelSet {
  model: string;
  articles: ArticleLabels[];
}

export interface LabelCheck {
  /** The model's `factor=state` ids. */
  states: Set<string>;
  /** The article's lines by file name (for the line range and the quote). */
  lines: (file: string) => string[] | undefined;
}

/** Records a problem; false, so that a check can `return bad(...)`. */
function bad(problems: string[], message: string): false {
  problems.push(message);
  return false;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function checkCell(c: unknown, where: string, states: Set<string>, problems: string[]): c is Cell {
  if (!isObj(c)) return bad(problems, `${where}: not an object`);
  let ok = true;
  for (const end of ["from", "to"] as const) {
    const v = c[end];
    if (typeof v !== "string" || !states.has(v)) {
      problems.push(`${where}: '${end}' ${JSON.stringify(v)} is not a factor=state id of the model`);
      ok = false;
    }
  }
  if (ok && String(c.from).split("=")[0] === String(c.to).split("=")[0]) {
    problems.push(`${where}: from and to are states of the same factor`);
    ok = false;
  }
  if (c.sign !== "+" && c.sign !== "-") {
    problems.push(`${where}: sign ${JSON.stringify(c.sign)} is not "+" or "-"`);
    ok = false;
  }
  return ok;
}

function checkLine(
  o: Record<string, unknown>,
  where: string,
  lines: string[] | undefined,
  problems: string[],
): boolean {
  const line = o.line;
  if (typeof line !== "number" || !Number.isInteger(line) || line < 1)
    return bad(problems, `${where}: line ${JSON.stringify(line)} is not a line number`);
  if (typeof o.quote !== "string" || !o.quote) return bad(problems, `${where}: no quote`);
  if (!lines) return true;
  if (line > lines.length)
    return bad(problems, `${where}: line ${line} is beyond the article's ${lines.length} lines`);
  if (!lines[line - 1]!.includes(o.quote))
    return bad(problems, `${where}: quote "${o.quote}" is not on line ${line}`);
  return true;
}

function parseMetadata(v: unknown, where: string, problems: string[]): MetadataLabel | null {
  if (v === null || v === undefined) return null;
  if (!isObj(v)) {
    problems.push(`${where}: metadata is not an object`);
    return null;
  }
  const m = {} as MetadataLabel;
  for (const f of META_FIELDS) {
    const x = v[f];
    if (x === undefined || x === null) m[f] = null;
    else if (typeof x === "string") m[f] = x;
    else problems.push(`${where}: metadata.${f} is not a string or null`);
  }
  if (m.date && !/^\d{4}-\d{2}-\d{2}$/.test(m.date))
    problems.push(`${where}: metadata.date '${m.date}' is not YYYY-MM-DD`);
  return m;
}

/** Parses and checks the labels file's text; `file` names it in messages. */
export function parseLabels(
  text: string,
  file: string,
  check: LabelCheck,
): { labels?: LabelSet; problems: string[] } {
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { problems: [`${file}: not JSON (${(e as Error).message})`] };
  }
  if (!isObj(raw) || !Array.isArray(raw.articles))
    return { problems: [`${file}: expected an object with an 'articles' list`] };
  const articles: ArticleLabels[] = [];
  const seen = new Set<string>();
  raw.articles.forEach((a, i) => {
    const at = `${file}: articles[${i}]`;
    if (!isObj(a) || typeof a.file !== "string") return problems.push(`${at}: no 'file'`);
    const where = `${file}: ${a.file}`;
    if (seen.has(a.file)) problems.push(`${where}: listed twice`);
    seen.add(a.file);
    const lines = check.lines(a.file);
    if (!lines) problems.push(`${where}: no such article`);
    const judgments: JudgmentLabel[] = [];
    const jl = Array.isArray(a.judgments) ? a.judgments : [];
    if (!Array.isArray(a.judgments)) problems.push(`${where}: 'judgments' is not a list`);
    jl.forEach((j: unknown, k: number) => {
      const w = `${where} judgments[${k}]${isObj(j) && typeof j.line === "number" ? ` (line ${j.line})` : ""}`;
      if (!isObj(j)) return problems.push(`${w}: not an object`);
      const lineOk = checkLine(j, w, lines, problems);
      let ok = checkCell(j, w, check.states, problems) && lineOk;
      const st = j.strength;
      if (typeof st !== "number" || !Number.isInteger(st) || st < 1 || st > 3) {
        problems.push(`${w}: strength ${JSON.stringify(st)} is not 1, 2 or 3`);
        ok = false;
      }
      const alt = j.alt === undefined ? [] : Array.isArray(j.alt) ? j.alt : null;
      if (alt === null) {
        problems.push(`${w}: 'alt' is not a list`);
        ok = false;
      } else if (
        !alt.every((c: unknown, n: number) => checkCell(c, `${w} alt[${n}]`, check.states, problems))
      )
        ok = false;
      if (ok) judgments.push(j as unknown as JudgmentLabel);
    });
    const gaps: GapLabel[] = [];
    const gl = Array.isArray(a.gaps) ? a.gaps : [];
    gl.forEach((g: unknown, k: number) => {
      const w = `${where} gaps[${k}]`;
      if (!isObj(g)) return problems.push(`${w}: not an object`);
      if (!checkLine(g, w, lines, problems)) return;
      if (g.kind !== "actor" && g.kind !== "factor" && g.kind !== "state")
        return problems.push(`${w}: kind ${JSON.stringify(g.kind)} is not actor, factor or state`);
      gaps.push(g as unknown as GapLabel);
    });
    articles.push({
      file: a.file,
      header: a.header === true,
      metadata: parseMetadata(a.metadata, where, problems),
      judgments,
      gaps,
      note: typeof a.note === "string" ? a.note : undefined,
    });
  });
  if (problems.length) return { problems };
  return { labels: { model: typeof raw.model === "string" ? raw.model : "", articles }, problems };
}
