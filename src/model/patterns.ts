// The model file's textual patterns (ids, line locators, evidence, state references) and its
// format tag: plain constants, so that code which only reads ids and references does not load
// the schema library.

export const FORMAT_VERSION = "muscat/1";

/** An id: lower-case letters, digits, '-', '_' or '.', starting with a letter or digit. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/** A line locator: `12`, `12-14`, or the number 12. */
export const LINES_PATTERN = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/;

/** Evidence: `source:12`, `source:12-14`, or { source, lines }. */
export const EVIDENCE_PATTERN = /^\s*([a-z0-9][a-z0-9._-]*)\s*:\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/;

/** A reference to one state of one factor: `talks=breakdown`. */
export const STATE_REF_PATTERN = /^\s*([a-z0-9][a-z0-9._-]*)\s*=\s*([a-z0-9][a-z0-9._-]*)\s*$/;

/** A name as an id: lower-case, accents dropped, non-id characters folded to '-'. */
export function slugify(name: string, fallback: string): string {
  const s = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .replace(/-+$/, "");
  return s && ID_PATTERN.test(s) ? s : fallback;
}
