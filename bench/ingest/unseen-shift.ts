// Sets the confidence's scale on unseen text (shift.ts) from first-looks.jsonl, with the shipped
// weights, and writes it into src/evidence/confidence-fit.json unless --check. Prints, for each
// held-out set, how the unshifted and the shifted confidence fit its first look when the shift is
// fitted on the other sets only (leave one set out), against the base rate of those other sets.
//
//   npx tsx bench/ingest/unseen-shift.ts --check
//   npx tsx bench/ingest/unseen-shift.ts            # writes the shift
//
// fit-confidence.ts refits the weights and then the shift, since the shift depends on them.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { FIT } from "../../src/evidence/confidence.js";
import { root } from "./sets.js";
import { fitShift, readFirstLooks, score, shiftedLogLoss, unseenBlock } from "./shift.js";

const check = process.argv.includes("--check");
const rows = readFirstLooks();
const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);
const sig = (x: number) => 1 / (1 + Math.exp(-x));
const sets = [...new Set(rows.map((r) => r.set))];
const tot = { n: 0, unshifted: 0, shifted: 0, base: 0 };
console.log(
  "set        drafts accepted | unshifted: mean log-loss | shift (other sets) mean log-loss | base rate log-loss",
);
for (const s of sets) {
  const test = rows.filter((r) => r.set === s);
  const train = rows.filter((r) => r.set !== s);
  const d = fitShift(
    train.map((r) => score(FIT, r.signals)),
    train.map((r) => r.ok),
  );
  const z = test.map((r) => score(FIT, r.signals));
  const y = test.map((r) => r.ok);
  const base = train.reduce((a, r) => a + r.ok, 0) / train.length;
  const llBase = -y.reduce((a, v) => a + (v ? Math.log(base) : Math.log(1 - base)), 0) / y.length;
  const mean = (dd: number) => z.reduce((a, v) => a + sig(v + dd), 0) / z.length;
  const [l0, l1] = [shiftedLogLoss(z, y, 0), shiftedLogLoss(z, y, d)];
  console.log(
    `${s.padEnd(10)} ${String(test.length).padStart(6)} ${f2(y.reduce((a, v) => a + v, 0) / y.length).padStart(8)} |          ${f2(mean(0))}    ${f3(l0)} |      ${d.toFixed(2).padStart(5)}      ${f2(mean(d))}    ${f3(l1)} |             ${f3(llBase)}`,
  );
  tot.n += y.length;
  tot.unshifted += l0 * y.length;
  tot.shifted += l1 * y.length;
  tot.base += llBase * y.length;
}
console.log(
  `leave one set out, mean log-loss over ${tot.n} drafts: unshifted ${f3(tot.unshifted / tot.n)} · shifted ${f3(tot.shifted / tot.n)} · base rate ${f3(tot.base / tot.n)}`,
);
const block = unseenBlock(FIT, rows);
console.log(
  `shift on all ${block.drafts} drafts (${block.accepted} accepted): ${block.shift} (shipped: ${FIT.unseen?.shift ?? "none"})`,
);
if (!check) {
  const path = join(root, "src", "evidence", "confidence-fit.json");
  writeFileSync(path, `${JSON.stringify({ ...FIT, unseen: block }, null, 2)}\n`);
  console.log(`wrote ${path}`);
}
