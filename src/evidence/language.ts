// Language and script of each block of a document.
//
// franc (trigram profiles, https://github.com/wooorm/franc) returns ISO 639-3 codes ('eng',
// 'pbu' for Pashto, 'arb', 'pes', …) and needs enough text: on a short Latin-script line it
// guesses wildly (a four-word English heading may come out as Sardinian). So the language of a
// block combines three signals: its script (Unicode script of its letters, reliable even for one
// word), franc on the block itself when it has enough letters, and franc on the run of
// neighbouring blocks in the same non-Latin script when the block alone is too short (the
// Pashto appeal in seed 000 is a heading line followed by longer lines: the run says 'pbu').
// Short Latin blocks get 'und' (undetermined), never a guess.
//
// A long line is not always prose either: a URL (its letters are a run of path words) or a list
// of proper names ("Abbas Araghchi, Steve Witkoff, …") has enough letters for franc but none of
// the grammar its trigrams stand for, and franc then guesses Italian or Catalan. So before
// franc is trusted on a block of a cased script, URLs and e-mail addresses are taken out, and the
// rest must read like prose: enough words, and enough short lower-case words (the function
// words of the languages written in cased scripts: the, of, de, la, и, в, …) rather than names.
// Such a block gets 'und' (method 'not-prose'), which the cleaner never counts as foreign.
import { francAll } from "franc";

export interface BlockLanguage {
  /** ISO 639-3 code, or 'und' when there is not enough text to tell. */
  language: string;
  /** Dominant Unicode script of the letters: Latin, Arabic, Cyrillic, Han, … or 'none'. */
  script: string;
  /** How the language was found. */
  method: "block" | "run" | "script-only" | "too-short" | "not-prose" | "no-letters";
  /** franc's close runners-up (score ≥ 0.8 of the best, best first), when franc was asked. */
  alternatives?: string[];
  /**
   * Languages franc still finds plausible (score ≥ PLAUSIBLE of the best), when franc was asked:
   * a block is dropped as foreign only when the article's language is not among them.
   */
  plausible?: string[];
}

/**
 * Share of franc's best score a language needs to stay plausible for a block. Dropping a block as
 * foreign loses text, so it needs a clear verdict. franc scores English at 0.78 of Scots on "If the
 * talks collapse, Israel could strike Iran's nuclear sites on its own.", but at 0.50–0.63 on
 * sentences in French, Spanish, Italian and German (test/evidence/clean.test.ts).
 */
export const PLAUSIBLE = 0.7;

const SCRIPTS = [
  "Latin",
  "Arabic",
  "Cyrillic",
  "Greek",
  "Hebrew",
  "Devanagari",
  "Han",
  "Hiragana",
  "Katakana",
  "Hangul",
  "Thai",
  "Armenian",
  "Georgian",
  "Ethiopic",
  "Bengali",
  "Tamil",
] as const;
const SCRIPT_RES = SCRIPTS.map((s) => [s, new RegExp(`\\p{Script=${s}}`, "u")] as const);
const LETTER = /\p{L}/u;

/** Letters by script; the script with most letters wins. */
export function dominantScript(text: string): { script: string; letters: number } {
  const counts = new Map<string, number>();
  let letters = 0;
  for (const ch of text) {
    if (!LETTER.test(ch)) continue;
    letters++;
    let s = "Other";
    for (const [name, re] of SCRIPT_RES)
      if (re.test(ch)) {
        s = name;
        break;
      }
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  let best = "none";
  let n = 0;
  for (const [s, c] of counts)
    if (c > n) {
      best = s;
      n = c;
    }
  return { script: best, letters };
}

/** Letters needed before franc's guess on a single block is trusted. */
export const MIN_LETTERS_BLOCK = 60;
/** Letters needed in a run of same-script blocks. */
export const MIN_LETTERS_RUN = 25;

/** Scripts that (nearly) identify one language without franc. */
const SCRIPT_LANGUAGE: Record<string, string> = {
  Greek: "ell",
  Hebrew: "heb",
  Hangul: "kor",
  Hiragana: "jpn",
  Katakana: "jpn",
  Thai: "tha",
  Armenian: "hye",
  Georgian: "kat",
};

/** Scripts with upper and lower case, where names and function words can be told apart. */
const CASED = new Set(["Latin", "Cyrillic", "Greek", "Armenian", "Georgian"]);
const URL_RE = /\b(?:https?:\/\/|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+/giu;
const WORD_RE = /\p{L}+(?:['’]\p{L}+)*/gu;
/** Words a block needs before franc is asked about it (besides MIN_LETTERS_BLOCK letters). */
export const MIN_WORDS_BLOCK = 8;
/** Share of short (≤ 3 letters) lower-case words a cased-script block needs to count as prose. */
export const MIN_FUNCTION_SHARE = 0.12;

/** The block without URLs and e-mail addresses (their letters say nothing about a language). */
export function withoutUrls(text: string): string {
  return text.replace(URL_RE, " ");
}

/**
 * Whether a block of a cased script reads like prose rather than a URL, a list of names or a
 * line of labels: enough words, and enough short lower-case words, which is what function words
 * look like in the languages franc knows in those scripts. Other scripts are not judged.
 */
export function looksLikeProse(text: string, script: string): boolean {
  if (!CASED.has(script)) return true;
  const words = withoutUrls(text).match(WORD_RE) ?? [];
  if (words.length < MIN_WORDS_BLOCK) return false;
  const fn = words.filter((w) => w.length <= 3 && w === w.toLowerCase() && w !== w.toUpperCase()).length;
  return fn / words.length >= MIN_FUNCTION_SHARE;
}

function francOf(text: string): { language: string; alternatives: string[]; plausible: string[] } {
  const all = francAll(text, { minLength: 10 });
  const language = all[0]?.[0] ?? "und";
  return {
    language,
    alternatives: all
      .filter(([, s]) => s >= 0.8)
      .map(([l]) => l)
      .slice(0, 6),
    plausible: all.filter(([, s]) => s >= PLAUSIBLE).map(([l]) => l),
  };
}

/**
 * Language of each block (blank blocks get 'und'). Blocks are passed in document order so
 * that short non-Latin blocks can borrow the language of their same-script neighbours.
 */
export function detectLanguages(blocks: string[]): BlockLanguage[] {
  const out: BlockLanguage[] = blocks.map((b) => {
    const { script, letters } = dominantScript(withoutUrls(b));
    if (letters === 0) {
      // Only a URL: the script of its letters, no language.
      const s = dominantScript(b).script;
      return s === "none"
        ? { language: "und", script: "none", method: "no-letters" }
        : { language: "und", script: s, method: "not-prose" };
    }
    if (letters >= MIN_LETTERS_BLOCK && !looksLikeProse(b, script))
      return SCRIPT_LANGUAGE[script]
        ? { language: SCRIPT_LANGUAGE[script], script, method: "script-only" }
        : { language: "und", script, method: "not-prose" };
    if (letters >= MIN_LETTERS_BLOCK) {
      const f = francOf(withoutUrls(b));
      if (f.language !== "und")
        return {
          language: f.language,
          script,
          method: "block",
          alternatives: f.alternatives,
          plausible: f.plausible,
        };
    }
    if (SCRIPT_LANGUAGE[script]) return { language: SCRIPT_LANGUAGE[script], script, method: "script-only" };
    return { language: "und", script, method: "too-short" };
  });
  // Runs of neighbouring non-Latin blocks in the same script (blank blocks do not break a run).
  let i = 0;
  while (i < blocks.length) {
    const s = out[i].script;
    if (s === "none" || s === "Latin" || out[i].method !== "too-short") {
      i++;
      continue;
    }
    let j = i;
    const members: number[] = [];
    while (j < blocks.length && (out[j].script === s || out[j].script === "none")) {
      if (out[j].script === s) members.push(j);
      j++;
    }
    const text = members.map((k) => blocks[k]).join("\n");
    const { letters } = dominantScript(text);
    const f = letters >= MIN_LETTERS_RUN ? francOf(text) : { language: "und", alternatives: [] };
    for (const k of members)
      if (out[k].method === "too-short" && f.language !== "und")
        out[k] = { language: f.language, script: s, method: "run", alternatives: f.alternatives };
    i = j;
  }
  return out;
}

/** The document's main language: the language holding most letters among detected blocks. */
export function mainLanguage(blocks: string[], langs: BlockLanguage[]): { language: string; script: string } {
  const byLang = new Map<string, number>();
  const byScript = new Map<string, number>();
  blocks.forEach((b, i) => {
    const { letters } = dominantScript(b);
    const l = langs[i];
    if (l.script !== "none") byScript.set(l.script, (byScript.get(l.script) ?? 0) + letters);
    if (l.language !== "und") byLang.set(l.language, (byLang.get(l.language) ?? 0) + letters);
  });
  const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1])[0]?.[0];
  const first = top(byLang) ?? "und";
  return { language: first, script: top(byScript) ?? "none" };
}

/**
 * Whether a block's language differs from the document's: a different script always counts;
 * within one script, only when franc's guess was made on the block itself and the document's
 * language is not even plausible for it (PLAUSIBLE; franc often confuses English with Scots).
 */
export function differsFrom(lang: BlockLanguage, main: { language: string; script: string }): boolean {
  if (lang.script === "none" || main.script === "none") return false;
  if (lang.script !== main.script) return true;
  if (lang.language === "und" || main.language === "und" || lang.language === main.language) return false;
  if (lang.method !== "block") return false;
  return !(lang.plausible ?? lang.alternatives ?? []).includes(main.language);
}
