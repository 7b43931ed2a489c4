// HTML → document lines + which of them are the article, using Mozilla Readability
// (https://github.com/mozilla/readability, the algorithm behind Firefox Reader View) on a
// linkedom DOM (no browser).
//
// What is deliberately different from using Readability's output directly: we keep the whole
// page as the stored text, one line per block element in document order, and let Readability
// only *mark* the lines that belong to the article (each block is tagged with a data attribute
// before Readability runs; the tags that survive in its output are the article). The cleaned
// text is then a subset of the stored lines, so locators hold in both, and `--removed` can show
// the navigation, cookie banner, related links and comments that were left out and why.
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { EvidenceInputError } from "./text.js";

export interface DocumentMetadata {
  title?: string;
  outlet?: string;
  author?: string;
  date?: string;
  url?: string;
  language?: string;
}

export interface HtmlExtraction {
  lines: string[];
  /** Lines (1-based) that Readability kept as the article. */
  extracted: Set<number>;
  titleLine?: number;
  linkDensity: Map<number, number>;
  metadata: DocumentMetadata;
}

/** Words Readability must find before a page counts as having an article. */
export const MIN_ARTICLE_WORDS = 60;

const BLOCK = new Set([
  "P",
  "H1",
  "H2",
  "H3",
  "H4",
  "H5",
  "H6",
  "LI",
  "BLOCKQUOTE",
  "PRE",
  "FIGCAPTION",
  "DT",
  "DD",
  "TD",
  "TH",
  "CAPTION",
  "ADDRESS",
  "SUMMARY",
  "LEGEND",
]);
const CONTAINER = new Set([
  "DIV",
  "SECTION",
  "ARTICLE",
  "MAIN",
  "HEADER",
  "FOOTER",
  "NAV",
  "ASIDE",
  "FORM",
  "UL",
  "OL",
  "TABLE",
  "THEAD",
  "TBODY",
  "TFOOT",
  "TR",
  "BODY",
  "FIGURE",
  "DETAILS",
  "DL",
  "FIELDSET",
  "HGROUP",
  "CENTER",
]);
const SKIP = new Set([
  "SCRIPT",
  "STYLE",
  "NOSCRIPT",
  "TEMPLATE",
  "SVG",
  "IFRAME",
  "OBJECT",
  "HEAD",
  "SELECT",
  "OPTION",
]);

const ATTR = "data-muscat-line";

// linkedom's DOM types are close to the browser's; we use a narrow structural view.
// biome-ignore lint/suspicious/noExplicitAny: linkedom nodes
type Node = any;

function collapse(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

function hasBlockDescendant(el: Node): boolean {
  for (const c of el.children ?? []) {
    const t = c.tagName;
    if (SKIP.has(t)) continue;
    if (BLOCK.has(t) || CONTAINER.has(t) || hasBlockDescendant(c)) return true;
  }
  return false;
}

function linkText(el: Node): number {
  let n = 0;
  for (const a of el.querySelectorAll?.("a") ?? []) n += collapse(a.textContent ?? "").length;
  return n;
}

function meta(document: Node, ...selectors: string[]): string | undefined {
  for (const sel of selectors) {
    const el = document.querySelector(sel);
    const v = el?.getAttribute("content") ?? el?.getAttribute("href") ?? el?.getAttribute("datetime");
    if (v && collapse(v)) return collapse(v);
  }
  return undefined;
}

function jsonLd(document: Node): DocumentMetadata {
  const out: DocumentMetadata = {};
  for (const s of document.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      const data = JSON.parse(s.textContent ?? "");
      const items = Array.isArray(data) ? data : data?.["@graph"] ? data["@graph"] : [data];
      for (const it of items) {
        if (!it || typeof it !== "object" || !/Article|Posting|Report/.test(String(it["@type"]))) continue;
        out.title ??= typeof it.headline === "string" ? it.headline : undefined;
        out.date ??= typeof it.datePublished === "string" ? it.datePublished : undefined;
        const a = Array.isArray(it.author) ? it.author[0] : it.author;
        out.author ??= typeof a === "string" ? a : typeof a?.name === "string" ? a.name : undefined;
        out.outlet ??= typeof it.publisher?.name === "string" ? it.publisher.name : undefined;
        out.url ??= typeof it.url === "string" ? it.url : undefined;
      }
    } catch {
      // malformed JSON-LD: ignore, other metadata still applies
    }
  }
  return out;
}

/** Extracts lines, article marks and metadata from an HTML page. */
export function extractHtml(html: string, file?: string): HtmlExtraction {
  const { document } = parseHTML(html);
  for (const el of [
    ...document.querySelectorAll("script:not([type='application/ld+json']),style,noscript,template"),
  ])
    el.remove?.();
  const ld = jsonLd(document);
  const metadata: DocumentMetadata = {
    title: meta(document, 'meta[property="og:title"]', 'meta[name="twitter:title"]') ?? ld.title,
    outlet: meta(document, 'meta[property="og:site_name"]', 'meta[name="application-name"]') ?? ld.outlet,
    author:
      meta(document, 'meta[name="author"]', 'meta[property="article:author"]', 'meta[name="byl"]') ??
      ld.author,
    date:
      meta(
        document,
        'meta[property="article:published_time"]',
        'meta[name="date"]',
        'meta[name="pubdate"]',
        'meta[itemprop="datePublished"]',
        "time[datetime]",
      ) ?? ld.date,
    url: meta(document, 'link[rel="canonical"]', 'meta[property="og:url"]') ?? ld.url,
    language: document.documentElement?.getAttribute?.("lang") ?? undefined,
  };
  if (!metadata.title) {
    const t = collapse(document.querySelector("title")?.textContent ?? "");
    if (t) metadata.title = t;
  }

  const lines: string[] = [];
  const linkDensity = new Map<number, number>();
  const emit = (el: Node) => {
    const text = collapse(el.textContent ?? "");
    if (!text) return;
    lines.push(text);
    el.setAttribute(ATTR, String(lines.length));
    const lt = linkText(el);
    if (lt > 0) linkDensity.set(lines.length, Math.min(1, lt / text.length));
  };
  const visit = (el: Node) => {
    const tag = el.tagName;
    if (SKIP.has(tag)) return;
    if (!hasBlockDescendant(el) && (BLOCK.has(tag) || CONTAINER.has(tag))) {
      emit(el);
      return;
    }
    // Mixed content: wrap each run of inline nodes in a <p> so that it is one block.
    let run: Node[] = [];
    const flush = () => {
      if (run.length && collapse(run.map((n) => n.textContent ?? "").join(""))) {
        const p = document.createElement("p");
        run[0].parentNode.insertBefore(p, run[0]);
        for (const n of run) p.appendChild(n);
        emit(p);
      }
      run = [];
    };
    for (const c of [...el.childNodes]) {
      if (c.nodeType === 1 && (BLOCK.has(c.tagName) || CONTAINER.has(c.tagName) || hasBlockDescendant(c))) {
        flush();
        visit(c);
      } else if (c.nodeType === 1 && SKIP.has(c.tagName)) flush();
      else if (c.nodeType === 1 || c.nodeType === 3) run.push(c);
    }
    flush();
  };
  if (document.body) visit(document.body);

  // The title line: the first h1 whose text matches the title (or the first h1).
  let titleLine: number | undefined;
  const h1 = [...document.querySelectorAll("h1")];
  const norm = (s: string) => collapse(s).toLowerCase();
  const titled =
    h1.find((h: Node) => metadata.title && norm(metadata.title).includes(norm(h.textContent ?? ""))) ?? h1[0];
  if (titled?.getAttribute(ATTR)) titleLine = Number(titled.getAttribute(ATTR));

  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], {
    charThreshold: 200,
  }).parse();
  const extracted = new Set<number>();
  let words = 0;
  if (article?.content) {
    const { document: out } = parseHTML(`<html><body>${article.content}</body></html>`);
    for (const el of out.querySelectorAll(`[${ATTR}]`)) extracted.add(Number(el.getAttribute(ATTR)));
    words = (article.textContent ?? "").split(/\s+/).filter(Boolean).length;
    metadata.author ??= article.byline ?? undefined;
    metadata.outlet ??= article.siteName ?? undefined;
    metadata.date ??= article.publishedTime ?? undefined;
    metadata.title ??= article.title || undefined;
    metadata.language ??= article.lang ?? undefined;
  }
  if (lines.length === 0) throw new EvidenceInputError("no-article", "the HTML page holds no text", file);
  if (words < MIN_ARTICLE_WORDS || extracted.size === 0)
    throw new EvidenceInputError(
      "no-article",
      `no article found: Readability extracted ${words} word${words === 1 ? "" : "s"} (at least ${MIN_ARTICLE_WORDS} needed); the page may be an index, a login wall, or built by scripts. Save the article itself, or its text as .txt`,
      file,
    );
  return { lines, extracted, titleLine, linkDensity, metadata };
}
