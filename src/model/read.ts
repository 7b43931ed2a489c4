// Reading a file's text for the model loaders (Node only): the text, or the problem that says
// why it could not be read. Kept apart from the parsers so that either loader can use it
// without loading the other.
import { readFileSync } from "node:fs";
import type { LoadResult } from "./load.js";
import { unreadableProblem } from "./problems.js";

export function readTextOrProblem(path: string): { text: string } | LoadResult {
  try {
    return { text: readFileSync(path, "utf8") };
  } catch (e) {
    return { problems: [unreadableProblem(path, e)], file: path };
  }
}
