// CSV reading for every CSV the toolkit takes in (matrix CSV, forecast resolutions, bargaining
// data): csv-parse (the node-csv project's parser), loaded on the first call, so that a command
// that reads no CSV (e.g. one on a .scw or YAML model) never loads it.
//
// What a caller gets: records of fields, each with the line it starts on (1-based);
// - RFC 4180 quoting: quoted delimiters, doubled quotes, line breaks inside quotes (read as \n);
// - a byte-order mark is dropped; lines may end in \n, \r\n or \r, mixed;
// - whitespace around a field (outside its quotes) is trimmed;
// - blank and whitespace-only lines are skipped; records may have different lengths;
// - a quote inside an unquoted field (ab"c) is kept as text.
// Bad input never throws: the first syntax problem (a quote never closed, text after a closing
// quote) comes back with its line and column (the field's position, 1-based), beside the
// records read before it.
import { createRequire } from "node:module";
import type * as CsvParse from "csv-parse/sync";

/** One CSV record: its fields, and the line it starts on (1-based). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** A syntax problem: where it is (line and field, 1-based) and what it is. */
export interface CsvProblem {
  line: number;
  column: number;
  message: string;
}

export interface CsvOptions {
  /** Field delimiter(s): "," by default; "\t" for tab-separated text; [",", ";"] accepts either. */
  delimiter?: string | string[];
}

export interface CsvText {
  records: CsvRecord[];
  /** The first syntax problem, if any (then `records` holds the records before it). */
  problem?: CsvProblem;
}

let library: typeof CsvParse | undefined;

/** csv-parse's synchronous parser, loaded once, on first use. */
function csvParse(): typeof CsvParse {
  library ??= createRequire(import.meta.url)("csv-parse/sync") as typeof CsvParse;
  return library;
}

/** Reads CSV text into records (see the file comment); never throws on bad input. */
export function readCsv(text: string, options: CsvOptions = {}): CsvText {
  const { parse, CsvError } = csvParse();
  const records: CsvRecord[] = [];
  // csv-parse reports the line a record ends on and a running count of the blank lines it
  // skipped: a record starts after the previous record's end and the blank lines between.
  let endLine = 0;
  let blank = 0;
  try {
    parse(text.replace(/\r\n?/g, "\n"), {
      delimiter: options.delimiter ?? ",",
      record_delimiter: "\n",
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_quotes: true,
      relax_column_count: true,
      on_record: (fields: string[], info) => {
        records.push({ fields, line: endLine + 1 + info.empty_lines - blank });
        endLine = info.lines;
        blank = info.empty_lines;
        return null; // collected here, not by the parser
      },
    });
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const start = endLine + 1 + Number(e.empty_lines ?? blank) - blank;
    const column = Number(e.column ?? 0) + 1;
    const problem: CsvProblem =
      e.code === "CSV_QUOTE_NOT_CLOSED"
        ? { line: start, column, message: "a quoted field is not closed (no closing quote before the end)" }
        : e.code === "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE" || e.code === "CSV_INVALID_CLOSING_QUOTE"
          ? { line: Number(e.lines), column, message: "text after the closing quote of a quoted field" }
          : { line: Number(e.lines ?? start), column, message: e.message };
    return { records, problem };
  }
  return { records };
}

/** A problem as text: `line L, column C: message`. */
export function csvProblemText(p: CsvProblem): string {
  return `line ${p.line}, column ${p.column}: ${p.message}`;
}
