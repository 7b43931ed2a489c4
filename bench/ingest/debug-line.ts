// Debug aid: the claims of one line of an article and how each side maps (not part of the bench).
//   npx tsx bench/ingest/debug-line.ts <file> <line>
import { readFileSync } from "node:fs";
import { detectClaims } from "../../src/evidence/claims.js";
import { analyse } from "../../src/evidence/clauses.js";
import { buildIndex, mapSide } from "../../src/evidence/mapping.js";
import { splitSentences } from "../../src/evidence/sentences.js";
import { parseModelText } from "../../src/model/load.js";

const [file, lineNo] = process.argv.slice(2);
const model = parseModelText(readFileSync("models/oman-2025.yaml", "utf8"), { file: "m" }).model!;
const index = buildIndex(model);
const line = readFileSync(file, "utf8").split(/\r?\n/)[Number(lineNo) - 1];
const sentences = splitSentences(line);
const claims = detectClaims(sentences);
const a = analyse(line);
sentences.forEach((s, k) => {
  console.log(`S${k}: ${s.text}`);
  for (const c of claims[k]) {
    console.log(`  claim ${c.kind} cue=${c.cue} neg=${c.negated} modal=${c.modal ?? ""}`);
    for (const [name, sp] of [
      ["cond", c.condition],
      ["cons", c.consequence],
    ] as const) {
      const exclude =
        name === "cons"
          ? mapSide(index, a, c.condition.start, c.condition.end).picks.map((p) => p.factor)
          : [];
      const m = mapSide(index, a, sp.start, sp.end, {
        exclude,
        trace: (clause, who, scores) =>
          console.log(
            `      [clause] "${clause}" agents=${who} ${[...scores].map(([f, l]) => `${f}:${l.map((x) => `${x.id.split("=")[1]}=${x.score.toFixed(2)}`).join("/")}`).join(" ")}`,
          ),
      });
      console.log(`    ${name}: "${sp.text}"`);
      console.log(
        `      picks: ${m.picks.map((p) => `${p.id} ${p.score.toFixed(2)} m${p.margin.toFixed(2)}`).join(", ")} | only: ${m.factorsOnly.join(",")} | agents: ${m.agents.join(",")}`,
      );
    }
  }
});
