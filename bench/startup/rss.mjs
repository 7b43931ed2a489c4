// Preload (node --import) for the start-up benchmark's memory runs: at exit, appends the
// process's peak resident set size in KiB to the file named by $MUSCAT_RSS_OUT.
import { appendFileSync } from "node:fs";

process.on("exit", () => {
  if (process.env.MUSCAT_RSS_OUT)
    appendFileSync(process.env.MUSCAT_RSS_OUT, `${process.resourceUsage().maxRSS}\n`);
});
