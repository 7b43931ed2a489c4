// Prints, for one evaluation set, each draft's confidence signals and whether a hand label accepts
// it, as JSON lines: the rows of first-looks.jsonl. Run it when a new held-out set is scored for
// the first time, before anyone reads its output, and append its lines there (with the commit);
// unseen-shift.ts then sets the confidence's scale on unseen text from them. For a set scored at
// an older commit, run it in a worktree of that commit with this file, the set's folder and its
// SETS entry copied in:
//
//   npx tsx bench/ingest/first-look-dump.ts heldout7 >> /tmp/new-rows.jsonl

import { scoreArticle } from "./score.js";
import { loadSet, seedModel } from "./sets.js";

const name = process.argv[2];
const model = seedModel().model!;
const { set, problems } = loadSet(name, model);
if (!set) {
  console.error(problems);
  process.exit(1);
}
for (const file of set.files) {
  const out = set.ingest(file);
  const s = scoreArticle(set.byFile.get(file)!, out);
  out.drafts.forEach((d, i) =>
    console.log(
      JSON.stringify({
        set: name,
        file,
        ok: s.verdicts[i] >= 0 ? 1 : 0,
        signals: (d as { signals?: unknown }).signals,
      }),
    ),
  );
}
