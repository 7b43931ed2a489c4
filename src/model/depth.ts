// How deeply a YAML or JSON text nests, measured on the YAML lexer's tokens in one flat pass
// (no recursion). The loader refuses a text nested deeper than any model needs before the YAML
// parser meets it: the parser's document builder recurses once per level, and tens of
// thousands of levels would exhaust the stack, or take seconds to parse.
//
// The measure is an upper bound on the real depth: flow collections ([ and {) count one level
// each; a line of a block collection counts one more than the line it is indented under, plus
// one for each indicator (`- `, `? `, `: `) it starts with; further indicators on the line
// (and `- `, `? ` inside flow collections) count one each for that line only.
import { Lexer } from "yaml";

/** The most levels a model text may nest: a model needs about ten. */
export const MAX_DEPTH = 100;

// Tokens the lexer adds that are not characters of the source.
const MARKERS = new Set(["\u0002", "\u0018", "\u001f"]);
const INDICATORS = new Set(["-", "?", ":"]);

/** Where the text first nests deeper than `limit` levels (1-based line and column), if it does. */
export function tooDeep(text: string, limit = MAX_DEPTH): { line: number; column: number } | undefined {
  let offset = 0;
  let flow = 0;
  let block = 0;
  // Block lines still open: their indentation and depth.
  const open: { indent: number; depth: number }[] = [];
  let lineStart = true;
  let indent = 0;
  let indicators = 0;
  let extra = 0;
  let at = -1;
  // The line's content starts (or the line ends after indicators alone): its block depth.
  const startLine = () => {
    while (open.length && open[open.length - 1].indent >= indent) open.pop();
    block = (open.length ? open[open.length - 1].depth : 0) + 1 + indicators;
    open.push({ indent, depth: block });
    lineStart = false;
  };
  for (const tok of new Lexer().lex(text)) {
    const here = offset;
    if (MARKERS.has(tok)) continue;
    offset += tok.length;
    if (tok === "\n" || tok === "\r\n") {
      if (lineStart && flow === 0 && indicators > 0) startLine();
      lineStart = true;
      indent = 0;
      indicators = 0;
      extra = 0;
      continue;
    }
    if (lineStart && flow === 0) {
      if (/^[ \t]+$/.test(tok)) {
        if (indicators === 0) indent = tok.length;
        continue;
      }
      if (INDICATORS.has(tok)) {
        indicators++;
        // The line is at least this deep whatever it is indented under.
        if (indicators + flow >= limit) {
          at = here;
          break;
        }
        continue;
      }
      if (tok.startsWith("#")) continue;
      startLine();
    } else if (tok === "-" || tok === "?" || (tok === ":" && flow === 0)) {
      // Indicators after the line's content (`key: - - x`), or in a flow collection that a
      // line of `- ` breaks out of, nest deeper still, valid or not.
      extra++;
    }
    if (tok === "[" || tok === "{") flow++;
    else if ((tok === "]" || tok === "}") && flow > 0) flow--;
    if (flow + block + extra > limit) {
      at = here;
      break;
    }
  }
  if (at < 0) return undefined;
  let line = 1;
  let last = -1;
  for (let i = text.indexOf("\n"); i !== -1 && i < at; i = text.indexOf("\n", i + 1)) {
    line++;
    last = i;
  }
  return { line, column: at - last };
}
