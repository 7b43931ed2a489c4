// A generated model about as large as the server accepts (the model-body limit, 2 MB of text):
// many factors and states, many authors judging blocks of the matrix, long rationales. Used by
// the responsiveness test (test/server/responsive.test.ts) and bench/server/run.ts. The output
// is deterministic for given options (a small seeded generator, no Math.random).

export interface LargeModelOptions {
  /** Model id (default "large"). */
  id?: string;
  factors?: number;
  statesPerFactor?: number;
  authors?: number;
  /** Stop adding judgments when the text reaches this many bytes (default 1.9 MiB). */
  targetBytes?: number;
  /** Characters of each rationale (default 240). */
  rationaleChars?: number;
  seed?: number;
}

const WORDS =
  "the talks stall while sanctions bite and the region waits for a signal that either side will move first on enrichment verification and relief".split(
    " ",
  );

/** The YAML text of a large, valid model. */
export function largeModelText(opts: LargeModelOptions = {}): string {
  const id = opts.id ?? "large";
  const F = opts.factors ?? 200;
  const S = opts.statesPerFactor ?? 6;
  const A = opts.authors ?? 10;
  const target = opts.targetBytes ?? Math.floor(1.9 * 1024 * 1024);
  const rChars = opts.rationaleChars ?? 240;
  let seed = (opts.seed ?? 1) >>> 0 || 1;
  const rand = () => {
    // xorshift32
    seed ^= seed << 13;
    seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    return seed / 0x1_0000_0000;
  };
  const sentence = (n: number) => {
    let s = "";
    while (s.length < n) s += `${WORDS[Math.floor(rand() * WORDS.length)]} `;
    return s.slice(0, n).trim();
  };
  const out: string[] = [
    "format: muscat/1",
    `id: ${id}`,
    `title: A generated model of ${F} factors × ${S} states judged by ${A} authors`,
    "asOf: 2025-01-01",
    "scale: { min: -3, max: 3 }",
    "factors:",
  ];
  for (let f = 0; f < F; f++) {
    out.push(`  - id: f${f}`, `    name: Factor ${f} ${sentence(30)}`, "    states:");
    for (let s = 0; s < S; s++) out.push(`      - id: s${s}`, `        label: State ${s} of factor ${f}`);
  }
  out.push("impacts:");
  let bytes = out.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
  const used = new Set<string>();
  while (bytes < target || used.size === 0) {
    const a = Math.floor(rand() * A);
    const from = Math.floor(rand() * F);
    const to = Math.floor(rand() * F);
    const key = `${a}|${from}|${to}`;
    if (from === to || used.has(key)) continue;
    used.add(key);
    const rows: string[] = [];
    for (let r = 0; r < S; r++) {
      const row: number[] = [];
      for (let c = 0; c < S; c++) row.push(Math.floor(rand() * 7) - 3);
      rows.push(`[${row.join(", ")}]`);
    }
    const lines = [
      `  - from: f${from}`,
      `    to: f${to}`,
      `    author: author-${a}`,
      `    matrix: [${rows.join(", ")}]`,
      `    rationale: ${sentence(rChars)}`,
    ];
    for (const l of lines) bytes += Buffer.byteLength(l) + 1;
    out.push(...lines);
  }
  return `${out.join("\n")}\n`;
}
