// muscat check | show | import | export | set | schema
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import pc from "picocolors";
import { compileModel } from "../model/compile.js";
import { parsePath, parseScalar, setInModelText } from "../model/edit.js";
import { modelFileKind, today } from "../model/file.js";
import { hasErrors, parseModelText } from "../model/load.js";
import { loadModelFile } from "../model/load-file.js";
import { modelJsonSchema } from "../model/schema.js";
import { exportCsv, exportScw, InteropError, importCsv, importScw } from "../model/scw.js";
import { modelToJson, modelToYaml } from "../model/serialize.js";
import type { Model } from "../model/types.js";
import { modelCounts } from "../runs/summary.js";
import {
  CliError,
  checkFormat,
  displayPath,
  EXIT_INVALID,
  EXIT_OK,
  EXIT_USAGE,
  type Io,
  json,
  loadForCommand,
  pad,
  printProblems,
  resolveModelPath,
  terminalWidth,
  writeFileAtomic,
} from "./io.js";

export function cmdCheck(
  modelPath: string | undefined,
  opts: { format: string; sources?: string },
  io: Io,
): number {
  const format = checkFormat(opts.format, ["table", "json"]);
  const file = resolveModelPath(modelPath);
  const r = loadModelFile(file, { sourcesDir: opts.sources });
  const errors = r.problems.filter((p) => p.severity === "error").length;
  const warnings = r.problems.length - errors;
  const counts = r.model ? modelCounts(r.model) : undefined;
  const hash = r.model ? compileModel(r.model).hash : undefined;
  if (format === "json") {
    io.out(
      json({
        file: displayPath(file),
        valid: errors === 0,
        errors,
        warnings,
        hash,
        counts,
        sourcesChecked: Boolean(opts.sources),
        problems: r.problems.map((p) => ({ ...p, file: displayPath(p.file ?? file) })),
      }),
    );
  } else {
    printProblems(io, r.problems);
    if (counts) {
      io.out(
        `${displayPath(file)}: ${errors === 0 ? pc.green("valid") : pc.red("invalid")} — ${counts.actors} actors, ${counts.factors} factors, ${counts.states} states, ${counts.impacts} impacts (${counts.nonZeroCells} non-zero cells), ${counts.stakes} stakes, ${counts.issues} issues, ${counts.evidence} evidence locators; ${counts.scenarios} scenarios`,
      );
      io.out(`hash ${hash}`);
    }
    io.out(
      `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}${opts.sources ? "" : " (locators checked against declared lengths only; --sources DIR checks the texts)"}`,
    );
  }
  return hasErrors(r.problems) ? EXIT_INVALID : EXIT_OK;
}

/** The matrix as compact text: '·' for 0, factors side by side, split to fit the terminal. */
export function renderMatrix(model: Model, width = terminalWidth()): string {
  const cm = compileModel(model);
  const M = cm.size;
  const rowLabels: string[] = [];
  model.factors.forEach((f) => f.states.forEach((s) => rowLabels.push(`${f.short} ${s.short}`)));
  const labelW = Math.max(...rowLabels.map((l) => [...l].length)) + 1;
  let cellW = 2;
  for (let c = 0; c < cm.matrix.length; c++) cellW = Math.max(cellW, String(cm.matrix[c]).length);
  cellW += 1;
  // Chunks of whole factors that fit the width.
  const chunks: number[][] = [];
  let cur: number[] = [];
  let used = labelW;
  model.factors.forEach((f, j) => {
    const w = f.states.length * cellW + 2;
    if (cur.length && used + w > width) {
      chunks.push(cur);
      cur = [];
      used = labelW;
    }
    cur.push(j);
    used += w;
  });
  if (cur.length) chunks.push(cur);
  const out: string[] = [];
  for (const chunk of chunks) {
    let h1 = pad("", labelW);
    let h2 = pad("", labelW);
    for (const j of chunk) {
      const w = cm.counts[j] * cellW;
      h1 += `| ${pad(model.factors[j].short.slice(0, w - 1), w)}`;
      h2 += `| ${model.factors[j].states.map((_, k) => pad(String(k + 1), cellW, true)).join("")}`;
    }
    out.push(h1, h2);
    for (let r = 0; r < M; r++) {
      if (r > 0 && cm.factorOf[r] !== cm.factorOf[r - 1])
        out.push(`${pad("", labelW, false).replace(/ /g, "-")}`);
      let line = pad(rowLabels[r], labelW);
      for (const j of chunk) {
        line += "| ";
        for (let c = cm.offsets[j]; c < cm.offsets[j + 1]; c++) {
          const v = cm.matrix[r * M + c];
          line += pad(v === 0 ? "·" : String(v), cellW, true);
        }
      }
      out.push(line);
    }
    out.push("");
  }
  return out.join("\n");
}

export async function cmdShow(
  modelPath: string | undefined,
  opts: { format: string },
  io: Io,
): Promise<number> {
  const format = checkFormat(opts.format, ["table", "json"]);
  const { model, path, problems } = await loadForCommand(modelPath);
  const cm = compileModel(model);
  const counts = modelCounts(model);
  if (format === "json") {
    io.out(
      json({
        file: displayPath(path),
        hash: cm.hash,
        id: model.id,
        title: model.title,
        asOf: model.asOf,
        counts,
        actors: model.actors,
        factors: model.factors,
        matrix: {
          labels: model.factors.flatMap((f) => f.states.map((s) => `${f.id}=${s.id}`)),
          rows: Array.from({ length: cm.size }, (_, r) =>
            Array.from(cm.matrix.subarray(r * cm.size, (r + 1) * cm.size)),
          ),
        },
        warnings: problems.filter((p) => p.severity === "warning").length,
      }),
    );
    return EXIT_OK;
  }
  const out: string[] = [];
  out.push(pc.bold(`${model.title}`), `${model.id} · as of ${model.asOf} · hash ${cm.hash.slice(0, 16)}…`);
  if (model.description) out.push("", model.description.trim());
  out.push("", pc.bold(`Actors (${model.actors.length})`));
  const idW = Math.max(2, ...model.actors.map((a) => a.id.length)) + 2;
  for (const a of model.actors)
    out.push(
      `  ${pad(a.id, idW)}${pad(a.kind, 15)}${a.name}${a.aliases.length ? pc.dim(`  (${a.aliases.join(", ")})`) : ""}`,
    );
  out.push("", pc.bold(`Factors (${model.factors.length}) and states (${counts.states})`));
  const fW = Math.max(...model.factors.map((f) => f.id.length)) + 2;
  for (const f of model.factors) {
    const owners = f.owners.length ? pc.dim(` [${f.owners.join(", ")}]`) : "";
    out.push(
      `  ${pad(f.id, fW)}${pad(f.short, 10)}${f.name}${f.exogenous ? pc.dim(" (exogenous)") : ""}${owners}`,
    );
    f.states.forEach((s, k) =>
      out.push(
        `  ${pad("", fW)}  ${k + 1}. ${pad(s.id, 20)}${pad(s.short, 8)}${s.label}${f.current === s.id ? pc.cyan("  ← current") : ""}`,
      ),
    );
  }
  out.push(
    "",
    pc.bold(`Cross-impact matrix (rows act on columns; ${counts.nonZeroCells} non-zero cells)`),
    "",
  );
  out.push(renderMatrix(model));
  out.push(
    pc.bold("Counts"),
    `  ${counts.actors} actors · ${counts.factors} factors · ${counts.states} states · ${counts.impacts} impacts · ${counts.stakes} stakes · ${counts.issues} bargaining issues (${counts.positions} positions) · ${counts.evidence} evidence locators · ${counts.scenarios} scenarios in the space`,
  );
  io.out(out.join("\n"));
  return EXIT_OK;
}

export function cmdImport(
  file: string,
  opts: { out?: string; to: string; id?: string; asOf?: string; force?: boolean; format?: string },
  io: Io,
): number {
  const to = checkFormat(opts.to, ["yaml", "json"]);
  const path = resolve(file);
  if (!existsSync(path)) throw new CliError(`${file}: no such file`, EXIT_INVALID);
  const text = readFileSync(path, "utf8");
  const asOf = opts.asOf ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf))
    throw new CliError(`--as-of must be a date YYYY-MM-DD; got '${asOf}'`, EXIT_USAGE);
  const kind = modelFileKind(path, text);
  let model: Model;
  try {
    if (kind === "scw") model = importScw(text, { file, asOf, id: opts.id });
    else if (kind === "csv") model = importCsv(text, { file, asOf, id: opts.id });
    else
      throw new CliError(
        `${file}: import reads ScenarioWizard .scw files and matrix .csv files`,
        EXIT_INVALID,
      );
  } catch (e) {
    if (e instanceof InteropError) throw new CliError(e.message, EXIT_INVALID);
    throw e;
  }
  const textOut = to === "json" ? modelToJson(model) : modelToYaml(model);
  // Re-read what we write: an import must give a valid model.
  const check = parseModelText(textOut, { file: "(imported)" });
  if (!check.model)
    throw new CliError(`${file}: the imported model is not valid`, EXIT_INVALID, check.problems);
  if (opts.out) {
    const outPath = resolve(opts.out);
    if (existsSync(outPath) && !opts.force)
      throw new CliError(`${opts.out} exists; pass --force to overwrite it`, EXIT_INVALID);
    writeFileAtomic(outPath, textOut);
    const counts = modelCounts(model);
    if (opts.format === "json")
      io.out(json({ wrote: opts.out, id: model.id, hash: compileModel(model).hash, counts }));
    else
      io.err(
        `wrote ${opts.out}: ${counts.factors} factors, ${counts.states} states, ${counts.nonZeroCells} non-zero cells`,
      );
  } else if (opts.format === "json")
    io.out(
      json({
        id: model.id,
        hash: compileModel(model).hash,
        counts: modelCounts(model),
        model: JSON.parse(modelToJson(model)),
      }),
    );
  else io.out(textOut);
  return EXIT_OK;
}

export async function cmdExport(
  modelPath: string | undefined,
  opts: { to: string; out?: string; force?: boolean; format?: string },
  io: Io,
): Promise<number> {
  const to = checkFormat(opts.to, ["yaml", "json", "csv", "scw"]);
  const { model } = await loadForCommand(modelPath);
  const text =
    to === "json"
      ? modelToJson(model)
      : to === "yaml"
        ? modelToYaml(model)
        : to === "csv"
          ? exportCsv(model)
          : exportScw(model);
  if (opts.out) {
    const outPath = resolve(opts.out);
    if (existsSync(outPath) && !opts.force)
      throw new CliError(`${opts.out} exists; pass --force to overwrite it`, EXIT_INVALID);
    writeFileAtomic(outPath, text);
    if (opts.format === "json") io.out(json({ wrote: opts.out, to, bytes: Buffer.byteLength(text) }));
    else io.err(`wrote ${opts.out}`);
  } else io.out(text);
  return EXIT_OK;
}

/**
 * Sets one value in a model file, keeping its comments, order and formatting. The edited
 * model is validated first; an edit that would make it invalid is refused and nothing is written.
 */
export function cmdSet(
  modelPath: string,
  pathText: string,
  valueText: string,
  opts: { dryRun?: boolean; format?: string },
  io: Io,
): number {
  const file = resolve(modelPath);
  if (!existsSync(file)) throw new CliError(`${modelPath}: no such file`, EXIT_INVALID);
  const text = readFileSync(file, "utf8");
  const path = parsePath(pathText);
  const newText = setInModelText(text, path, parseScalar(valueText));
  const r = parseModelText(newText, { file });
  if (!r.model)
    throw new CliError(
      `refused: the edit would make ${displayPath(file)} invalid`,
      EXIT_INVALID,
      r.problems.filter((p) => p.severity === "error"),
    );
  if (opts.dryRun) io.out(newText);
  else {
    writeFileAtomic(file, newText);
    if (opts.format === "json")
      io.out(
        json({
          file: displayPath(file),
          path: pathText,
          value: parseScalar(valueText),
          hash: compileModel(r.model).hash,
        }),
      );
    else io.err(`set ${pathText} = ${valueText} in ${displayPath(file)}`);
  }
  return EXIT_OK;
}

export function cmdSchema(opts: { out?: string }, io: Io): number {
  const text = `${JSON.stringify(modelJsonSchema(), null, 2)}\n`;
  if (opts.out) writeFileAtomic(resolve(opts.out), text);
  else io.out(text);
  return EXIT_OK;
}

export { EXIT_USAGE };
