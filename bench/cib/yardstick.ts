// The C yardstick (yardstick.c): built once with the system's cc into a temporary folder, then
// run on a model; undefined when no C compiler is found. Bench helper, not part of Muscat.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CompiledModel } from "../../src/model/compiled.js";

const source = path.join(path.dirname(fileURLToPath(import.meta.url)), "yardstick.c");
let binary: string | null | undefined;

/** The yardstick's binary, compiled on first use (null: no compiler). */
function build(): string | null {
  if (binary !== undefined) return binary;
  const hash = createHash("sha256").update(readFileSync(source)).digest("hex").slice(0, 12);
  const dir = path.join(tmpdir(), "muscat-bench");
  const out = path.join(dir, `yardstick-${hash}`);
  try {
    if (!existsSync(out)) {
      mkdirSync(dir, { recursive: true });
      execFileSync("cc", ["-O2", "-o", out, source], { stdio: "pipe" });
    }
    binary = out;
  } catch {
    binary = null;
  }
  return binary;
}

/**
 * The plain C branch and bound (natural order) on a model: count, nodes, milliseconds; or
 * `stopped` past timeoutMs; undefined when there is no C compiler.
 */
export function yardstick(
  model: CompiledModel,
  o: { tolerance?: number; timeoutMs?: number } = {},
): { count: number; nodes: number; ms: number } | { stopped: true } | undefined {
  const bin = build();
  if (!bin) return undefined;
  const tolerance = o.tolerance ?? 0;
  const input = [
    `${model.nFactors} ${tolerance}`,
    Array.from(model.counts).join(" "),
    ...Array.from({ length: model.size }, (_, r) =>
      Array.from(model.matrix.subarray(r * model.size, (r + 1) * model.size)).join(" "),
    ),
  ].join("\n");
  let out: string;
  try {
    out = execFileSync(bin, { input, maxBuffer: 1 << 20, timeout: o.timeoutMs }).toString();
  } catch {
    return { stopped: true };
  }
  const [count, nodes, ms] = out.trim().split(/\s+/).map(Number);
  return { count, nodes, ms };
}
