/**
 * Fits the shipped combination on all of DEU III and writes src/bargain/combine-fit.json.
 * Run: npx tsx bench/deu3/fit.ts   (then review the diff and commit the JSON)
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readDeu3File } from "../../src/bargain/csv.js";
import { deu3StackRows, FIT_METHODS, fitShipped } from "./stack.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const data = readDeu3File(path.resolve(root, "../shared/fixtures/bargaining/deu3/deu3.csv"));
const rows = deu3StackRows(data, FIT_METHODS);
const fit = fitShipped(rows, FIT_METHODS);
const out = path.resolve(root, "src/bargain/combine-fit.json");
writeFileSync(out, `${JSON.stringify(fit, null, 2)}\n`);
console.log(
  `wrote ${path.relative(root, out)}: ${fit.candidate}; CV MAE ${fit.cv.mae.toFixed(2)} (compromise ${fit.cv.compromiseMae.toFixed(2)}); 90 % half-width ${fit.conformal.quantiles["0.9"].toFixed(1)}`,
);
