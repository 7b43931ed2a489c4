// Conditional (and causal) claims in a sentence, by cue patterns — a deliberately transparent
// rule set, not a parser: each claim says which cue fired, where its condition and its
// consequence are, and which modal verb sets its strength.
//
// Conditional cues: "if/unless/once/provided (that) X, Y", sentence-initial "Should X, Y" and
// "With X <in a state>, Y",
// "in return/in exchange, Y" and "in this scenario/case/world, Y" (the condition is the preceding
// sentence), the later sentences of a "Scenario two: …" paragraph (the condition is its opening), "every moment/hour … X, Y", event nouns as subjects of a modal ("a failure … could",
// "a breakthrough would", "any agreement will likely", "any hint that … could"), a named party
// in a state as the subject of a modal ("a divided West would", "a Tehran under fire could"), and a modal
// sentence that continues a conditional one in the same paragraph ("Iran might agree …" after
// "If both parties …"). Causal cues ("by doing X, Y", "X leads to / strengthens / distracts /
// enables Y") give claims of kind "causal"; they are reported but not counted as conditionals.
import { tokenize } from "./clauses.js";

export type ClaimKind = "conditional" | "causal";

export interface Span {
  start: number;
  end: number;
  text: string;
}

export interface Claim {
  kind: ClaimKind;
  /** The cue that fired, e.g. "if", "should", "event-noun:failure", "context". */
  cue: string;
  condition: Span;
  consequence: Span;
  modal?: string;
  /** "unless" or a negated consequence ("not", "stop short of"): the effect is against. */
  negated: boolean;
  /**
   * Set when the condition is taken from an earlier sentence of the paragraph, or from the
   * paragraph before (a question answered in the next one): its span is then in that paragraph.
   */
  conditionFrom?: "earlier-sentence" | "earlier-paragraph";
  /** For a condition from the paragraph before: that paragraph's line (set by the ingestion). */
  conditionLine?: number;
  /** A cause in the past tense ("sanctions pushed Iran closer to Moscow"): history, no draft. */
  past?: boolean;
  /**
   * A claim in a question ("Does Hezbollah gain if the talks succeed?"): it asserts nothing, so
   * it gives no draft (a gap still says what it asks about); its condition can be that of the
   * answer after it.
   */
  question?: boolean;
  /**
   * A reason given with "because" for a judgment its main clause makes with a modal ("a framework
   * is likely to slow the attacks, because Tehran will want to protect its relief"): the reason
   * for the author's judgment, often a motive, not one factor's effect on another. It gives its
   * gaps but no draft, and the sentence's causal verbs are still read.
   */
  because?: boolean;
}

/** Causal verbs whose cause follows them: "Y depends on X", "Y benefits from X". */
const REVERSED =
  "benefits? from|depends? on|depended on|hinges? on|hinged on|rests? on|turns? on|is contingent on|is conditional on";

// Verbs of causation, optionally after a modal ("would make", "could push"): the subject before
// them is the cause, what follows is the effect.
const CAUSAL_VERB = new RegExp(
  `((?:\\b(?:would|could|will|might|may|can|should)\\s+(?:\\p{L}+ly\\s+|also\\s+|then\\s+|not\\s+|never\\s+)?)?)\\b(${[
    "leads? to|led to|results? in|resulted in|paves? the way (?:for|to)|paved the way (?:for|to)|opens? the door to",
    "strengthens?|strengthened|weakens?|weakened|distracts?|enables?|allows?|pushe[sd]|push|drives?|drove",
    "spurs?|triggers?|triggered|prompts?|undermines?|emboldens?|benefits? from|gives?|gave|makes?|made",
    "leaves?|left|brings?|brought|ends?|ended|produces?|produced|raises?|raised|lowers?|lowered",
    "reduces?|reduced|increases?|increased|cuts?|closes?|closed|sparks?|sparked|provokes?|provoked",
    "fuels?|fuelled|fueled|deters?|deterred|prevents?|prevented|stops?|stopped|blocks?|blocked",
    "invites?|invited|forces?|forced|helps?|helped|hurts?|boosts?|boosted|erodes?|eroded",
    "encourages?|encouraged|discourages?|derails?|derailed|dooms?|doomed|deepens?|deepened",
    "heightens?|heightened|frees?|freed|puts?|drags?|dragged|causes?|caused",
    "shuts?|halts?|halted|suspends?|calms?|calmed|defuses?|defused|dampens?|dampened|curbs?|curbed",
    "limits|worsens?|worsened|accelerates?|accelerated|slows?|slowed|complicates|sets? off",
    "unleashes?|unleashed|ignites?|ignited|reignites?|reignited|removes?|restores?|restored|revives?|revived",
    "takes? away|took away|eliminates?|eliminated|undercuts?",
    "doubles?|doubled|triples?|tripled|multiplies|multiplied|halve|halved",
    "(?:is|are|was|were|be) (?:\\p{L}+ly )?followed by",
    "means?|meant|spells?|spelled|spelt|risks?|risked|sets? the stage for|opens? the way (?:for|to)|brings? about|brought about",
    REVERSED,
    "(?:is|are|was|were)(?:,? \\p{L}+ly,?)? (?:(?:a|an) )?(?:good news|bad news|gift|boon|blow|setback|windfall|headache) (?:for|to)",
  ].join("|")})\\b`,
  "iu",
);
/**
 * The first causal verb of a clause that is a verb: not a capitalised word inside a name ("the
 * Popular Mobilization Forces"), not the adjective of "close to", not "left" after "have" or "is"
 * ("what they have left").
 */
function causalVerb(text: string): RegExpExecArray | null {
  const re = new RegExp(CAUSAL_VERB.source, "giu");
  let tokens: ReturnType<typeof tokenize> | undefined;
  for (const m of text.matchAll(re)) {
    const at = m.index + m[1].length;
    const word = m[2];
    if (/^\p{Lu}/u.test(word) && at > 0 && /\S/.test(text.slice(0, at))) continue;
    // A noun or adjective of the same spelling ("a diminished force", "deep cuts") is no verb.
    tokens ??= tokenize(text);
    const tok = tokens.find((t) => t.start === at);
    // After a modal it is a verb whatever the tagger says ("would almost certainly close").
    const modal = MODAL_BEFORE.exec(text.slice(0, at));
    const afterModal = modal !== null;
    // A phrase ("hinges on", "leads to") is read as a verb whatever the tagger says of its head.
    if (
      !afterModal &&
      !/\s/.test(word) &&
      tok &&
      (tok.pos === "NOUN" || tok.pos === "ADJ" || tok.pos === "PROPN")
    )
      continue;
    if (/^close$/i.test(word) && /^\s+to\b/i.test(text.slice(at + word.length))) continue;
    if (/^left$/i.test(word) && /\b(have|has|had|is|are|was|were|be)\s+$/i.test(text.slice(0, at))) continue;
    // An intention or a readiness is no cause: "ready to help", "wants to end".
    if (
      /\b(ready|willing|able|prepared|eager|keen|wants?|wanted|hopes?|hoped|tr(?:y|ies|ied)|seeks?|sought|offers?|offered)\s+to\s+$/i.test(
        text.slice(0, at),
      )
    )
      continue;
    // The consequence keeps its modal and adverbs ("would almost certainly drag …").
    if (modal && modal[0].length > m[1].length) {
      const out = [modal[0] + word, modal[0], word] as unknown as RegExpExecArray;
      out.index = at - modal[0].length;
      return out;
    }
    return m as RegExpExecArray;
  }
  return null;
}
const REVERSED_RE = new RegExp(`^(${REVERSED})$`);
/** A causal verb in the past tense: "-ed", or an irregular past ("led to", "drove", "left"). */
const PAST =
  /^(?:\p{L}+ed|led|drove|gave|made|left|brought|took|meant|spelt|sparked|fuelled)\b(?!\s+by)|^(?:was|were) (?:\p{L}+ly )?followed by/iu;
/** A modal and up to three adverbs just before a verb. */
const MODAL_BEFORE =
  /\b(?:would|could|will|might|may|can|should|must)\s+(?:(?:\p{L}+ly|almost|also|then|not|never|even|soon|still|quite|surely)\s+){0,3}$/iu;
const MODAL = /\b(could|would|might|may|will|can|likely to|is likely|are likely)\b/i;
const EVENT_NOUNS =
  "breakthrough|failure|collapse|breakdown|deal|agreement|success|progress|escalation|détente|detente|hint|sign|accord|settlement|resumption|withdrawal|strike|strikes|attack|attacks|war|sanctions|stalemate|delay|framework|negotiation|negotiations|arrangement|understanding|use of force|raid|raids|bombing|airstrike|airstrikes";
// An event noun as the subject of a modal: "a deal (that caps enrichment) would …", also across
// one short comma aside ("a deal, on the other hand, would …").
const EVENT_RE = new RegExp(
  `(?:^|[,;:—]\\s*|\\bwhile\\s+|\\bthat\\s+|^[“"]\\s*)((?:a|an|any|the|such an?)\\s+)?((?:[\\p{L}-]+\\s+){0,2})(${EVENT_NOUNS})\\b([^,.;]{0,80}?|[^,.;]{0,40}?,\\s[^,.;]{1,30},\\s[^,.;]{0,40}?)\\b(could|would|might|may|will|can)\\b`,
  "giu",
);
// A proper name after "a/an" and lower-case modifiers, or followed by a short qualifier, then a
// modal: "a divided West would", "a Tehran under fire would". Not "a senior Iranian official
// would" (a noun follows the name) nor "a US strike would" (an event noun: EVENT_RE).
const PARTY_RE =
  /(?:^|[,;:—]\s*|\bwhile\s+|\bthat\s+|^[“"]\s*)(\b[Aa]n?\s+)((?:(?!(?:of|for|to|in|on|at|by|from|with|and|or)\s)\p{Ll}[\p{Ll}-]*\s+){0,2}?)((?:(?:\p{Ll}[\p{Ll}-]*(?:ed|en|ing|ful|less|ive|ous|ic|ent|ant|ble|ar|al|er)|weak|strong|bold|calm|quiet|new|free|poor|rich|wary)\s+)?)(\p{Lu}[\p{Ll}’'-]+(?:\s+\p{Lu}[\p{Ll}-]+)?)((?:\s+(?:that|which|under|at|in|with|without|still|now|busy|tied|locked|bogged|mired|stuck|free|freed|armed)\b[^,.;]{0,50}?)?\s+)(could|would|might|may|will|can)\b/gu;
// Clause breaks; "On the other hand" only capitalised (a new sentence's opening), not as an
// aside inside one ("a deal, on the other hand, would …").
const CLAUSE_SPLIT =
  /,\s+(?=while\b|whereas\b|suggesting\b|(?:but|yet)\s+(?:if|unless|should|once|were)\b)|;\s+|\.\s+(?=On the other hand)|,?\s+On the other hand,\s+/g;
const NEGATION = /(?<!\bif )\b(not(?! only)|never|without|stop short of|fail to|unlikely)\b/i;

function span(text: string, start: number, end: number): Span {
  while (start < end && /[\s,;:“”"]/.test(text[start])) start++;
  while (end > start && /[\s,;:.“”"]/.test(text[end - 1])) end--;
  return { start, end, text: text.slice(start, end) };
}

function clauses(sentence: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let at = 0;
  for (const m of sentence.matchAll(CLAUSE_SPLIT)) {
    out.push({ start: at, end: m.index });
    at = m.index + m[0].length;
  }
  out.push({ start: at, end: sentence.length });
  return out.filter((c) => sentence.slice(c.start, c.end).trim().length > 0);
}

/** First comma at or after `from` that is followed by more text, else -1. */
function nextComma(text: string, from: number, end: number): number {
  for (let i = from; i < end; i++) if (text[i] === "," && text.slice(i + 1, end).trim()) return i;
  return -1;
}

function modalOf(text: string): string | undefined {
  return MODAL.exec(text)?.[1]?.toLowerCase();
}

const ONGOING =
  /\b(continues?|continuing|go(?:es)? on|going on|run(?:s|ning)?|under ?way|ongoing|in progress|lasts?|still|keeps? (?:going|meeting|talking))\b/i;

const ASKED = /\b(ask|asks|asked|asking|wonder|wonders|wondered|wondering)\b[^.?!]{0,100}\bwhether\b/i;
const SPEECH =
  /\b(said|says|warned|warns|argued|argues|noted|notes|told|tells|added|adds|wrote|writes|opened with|concluded|insisted|explained|cautioned|observed|put it|warning|argument|verdict)\b/i;

/** A denial in a clause: "no", "not", "never", "cannot", "won't". */
const DENIAL = /(?:\b(?:no|not|never|cannot)\b|n['’]t\b)/i;

/** Cues whose condition works against the consequence: "unless X, Y", "barring X, Y". */
export const NEGATIVE_CUES = new Set(["unless", "barring", "until", "till"]);

const CAUSE_CUES = /^(because|because of|due to|thanks to|as a result of)$/;

/**
 * The label of a scenario paragraph: "Scenario two:", "Option B —", and the cases of a risk note
 * ("Baseline (55%):", "Downside case:", "Worst case —"), a probability in brackets allowed.
 */
const SCENARIO_LABEL =
  /^[\s“"\-–—•*]*(?:(?:scenario|option|path|trajectory)\s+\w+|(?:the\s+)?(?:baseline|base|upside|downside|best|worst|bull|bear|central|alternative|tail)(?:\s+(?:case|scenario|risk))?)\s*(?:\([^)]{0,40}\))?\s*[:—–]\s*/i;

/**
 * A scenario's name as a paragraph's first sentence: one to three capitalised words ("Handshake.",
 * "Long Table.", "1. Broken Chair."), "of/the/and" allowed inside.
 */
const NAMED_SCENARIO =
  /^[\s“"\-–—•*]*(?:\d{1,2}[.)]\s*)?\p{Lu}[\p{L}'’-]*(?:\s+(?:of|the|and|in|on|as|no|\p{Lu}[\p{L}'’-]*)){0,2}\s*[.:—–]?\s*$/u;

/**
 * The condition of sentence `i` of a scenario paragraph: the opening after its label ("Scenario
 * two: a long stalemate."), or, after a scenario's name (`named`: "Handshake. A framework
 * agreement is reached by early summer. It caps …"), the sentence that sets the scenario.
 */
function scenarioCondition(sentences: Span[], i: number, named: boolean): Span | undefined {
  if (i >= 2 && named) return sentences[1];
  const label = SCENARIO_LABEL.exec(sentences[0].text);
  if (i === 0 || !label) return undefined;
  const first = sentences[0];
  const at = first.start + label[0].length;
  return { start: at, end: first.end, text: first.text.slice(label[0].length) };
}

/**
 * A one-sentence scenario line: "Base case (c. 60%): talks continue without a text; the factions
 * stay quiet; …", "Upside: a framework by mid-summer, limited relief and …". Its first item (up
 * to the first semicolon, or else the first comma) is the scenario, the later items are what
 * follows in it. Undefined when the line is no such line or has one item only.
 */
function scenarioLine(s: Span): { condition: Span; consequence: Span } | undefined {
  const label = SCENARIO_LABEL.exec(s.text);
  if (!label) return undefined;
  const body = label[0].length;
  const semi = s.text.indexOf(";", body);
  const cut = semi > 0 ? semi : s.text.indexOf(",", body);
  if (cut < 0 || !/\p{L}{3}/u.test(s.text.slice(cut + 1))) return undefined;
  const part = (from: number, to: number) => ({
    start: s.start + from,
    end: s.start + to,
    text: s.text.slice(from, to),
  });
  return { condition: part(body, cut), consequence: part(cut + 1, s.text.length) };
}

/**
 * A scenario's name, not a section's heading ("SITUATION.", "Outlook:") nor an imperative that
 * turns to a topic ("Take Russia.", "Consider Iraq.": a verb in its base form first).
 */
function isScenarioName(sentence: string): boolean {
  if (!NAMED_SCENARIO.test(sentence)) return false;
  const name = sentence.replace(/[.:—–\s]+$/, "").replace(/^[\s“"\-–—•*\d.)]+/, "");
  if (NOT_A_CONDITION.test(name) || !/\p{Ll}/u.test(name)) return false;
  const first = tokenize(name)[0];
  return !(first && first.pos === "VERB" && first.value.toLowerCase() === first.lemma);
}

/** A list item's label: up to six words before a colon, after an optional bullet. */
const LABEL = /^[\s\-–—•*]*((?:[\p{L}'’-]+,?\s+){0,5}[\p{L}'’-]+)(:\s+)(?=\S)/u;
/** Labels that say what kind of text follows, not a condition. */
const NOT_A_CONDITION =
  /^(a|q|answer|question|note|notes|update|analysis|background|context|bottom line|why it matters|what to watch|the numbers|summary|source|sources|editor'?s note|correction|disclaimer|read more|see also|takeaway|key takeaway|verdict|in short|the upshot|upshot|our view|the view|risk|risks|outlook|watch|tl;?dr|scenario \w+|option \w+|path \w+|trajectory \w+)$/i;

/**
 * A heading rather than a list item's text: fewer than four words, or most words capitalised
 * ("From Deterrent to Diplomatic Pawn?").
 */
function isHeading(rest: string): boolean {
  const words = rest.match(/[\p{L}'’-]+/gu) ?? [];
  if (words.length < 4) return true;
  const caps = words.filter((w) => /^\p{Lu}/u.test(w)).length;
  return caps / words.length > 0.5;
}

const LEAD = /^[\s“"'‘(]*(?:\d{1,2}\.\s*)?(?:[\p{Lu}][\p{L} ]{0,40}:\s*)?/u;

/** Claims in one clause. `prev` is the previous sentence of the paragraph (context cues). */
function clauseClaims(
  s: string,
  c: { start: number; end: number },
  prev?: Claim[],
  prevSentence?: Span,
  before: Claim[] = [],
): Claim[] {
  const text = s.slice(c.start, c.end);
  const out: Claim[] = [];
  const abs = (a: number, b: number) => span(s, c.start + a, c.start + b);
  const make = (kind: ClaimKind, cue: string, cond: Span, cons: Span, negCond = false): Claim => ({
    kind,
    cue,
    condition: cond,
    consequence: cons,
    modal: modalOf(cons.text),
    negated: negCond !== NEGATION.test(cons.text),
  });
  const lead = LEAD.exec(text)?.[0].length ?? 0;

  // if / unless / once / provided / as long as / in the event of; causes: because, due to,
  // in exchange for; at a clause's start only: when, without, absent.
  const ifRe =
    /\b(if|unless|once|provided(?: that)?|providing that|as long as|so long as|on condition that|in case|in the event (?:of|that)|because(?: of)?|due to|thanks to|as a result of|in exchange for|in return for|when(?:ever)?|without|with|absent|while|barring|assuming(?: that)?|supposing(?: that)?|if and when|in the case of|given(?=\s+(?:a|an|any|another|such)\s)|until|till)\b/gi;
  for (const m of text.matchAll(ifRe)) {
    const cue = m[1].toLowerCase().replace(/\s+/g, " ");
    const after = text.slice(m.index + m[0].length);
    // "if not", "as if", "even if", "whether"; the idioms "if anything", "if so", "if ever".
    if (
      cue === "if" &&
      (/^\s+(?:not|anything|so|ever)\b/i.test(after) || /\b(as|whether)\s+$/i.test(text.slice(0, m.index)))
    )
      continue;
    if (cue === "once" && !/^\s*$|[,;:]\s*$/.test(text.slice(lead, m.index))) continue;
    // "Tehran won't see relief until there is a cap": after a denied clause, what must come
    // first (a condition, its link positive); "talks continue until May" says nothing.
    if (cue === "until" || cue === "till") {
      const main = text.slice(lead, m.index).split(/[;:]/).pop()!;
      if (!DENIAL.test(main) && !/\b(?:nothing|none)\b/i.test(main)) continue;
    }
    // "while" is a condition only of something going on ("while the talks are running / still
    // under way / continue"), not of a contrast ("while Europe hesitates").
    if (cue === "while" && !ONGOING.test(after.split(/[,;]/)[0])) continue;
    // "when", "without" and "absent" are conditions only when they open the sentence: "When
    // American attention drifts, …", "Without a deal, …" (not "said when asked", "talks without
    // a result"), except a necessity: "there will be no agreement without verified limits", "no
    // limits … without relief" (Y is needed for X: a condition after its consequence).
    const necessity = cue === "without" && DENIAL.test(text.slice(0, m.index).split(/[,;:]/).pop()!);
    // "Given an Israeli strike, …" too opens its clause ("given that …" is a reason, not read).
    if (
      /^(when|whenever|without|absent|given)$/.test(cue) &&
      text.slice(lead, m.index).trim() !== "" &&
      !necessity
    )
      continue;
    // "With X <in a state>, Y" opens the sentence and sets a scene: "With the talks stalled,
    // Israel could …", "With Washington's attention split, Moscow can …". Not "With that, …",
    // "With regard to …", nor a "with" inside the sentence.
    if (cue === "with") {
      const comma = nextComma(text, m.index, text.length);
      const np = comma > 0 ? text.slice(m.index + m[0].length, comma).trim() : "";
      if (
        text.slice(lead, m.index).trim() !== "" ||
        np.split(/\s+/).length < 2 ||
        /^(that|this|these|those|it|them|him|her|respect|regard|reference|luck|hindsight)\b/i.test(np)
      )
        continue;
    }
    // "because" etc. say a cause, not a condition.
    const kindOf: ClaimKind = CAUSE_CUES.test(cue) ? "causal" : "conditional";
    const atStart =
      text.slice(lead, m.index).trim() === "" ||
      /(^|[,;:—]|\bthat|\bespecially|\band|\bbut)\s*$/i.test(text.slice(0, m.index));
    const pre = text.slice(lead, m.index);
    // A short discourse opener ("On the other hand,", "However,") still starts the clause.
    const bare = pre.replace(/[“”"‘’']/g, "").trim();
    const isStart =
      bare === "" ||
      // After a colon a new statement starts: "…opened with a warning: if X, Y".
      /:\s*$/.test(pre) ||
      (/,\s*$/.test(pre) && pre.trim().split(/\s+/).length <= 5 && !/\bif\b/i.test(pre));
    if (
      isStart ||
      (atStart &&
        !/\S/.test(
          text
            .slice(lead, m.index)
            .replace(/\b(that|especially|and|but)\b/gi, "")
            .replace(/[,;:—]/g, ""),
        ))
    ) {
      let comma = nextComma(text, m.index, text.length);
      // No comma after the condition ("If X Hezbollah could Y"): cut before the modal's subject.
      const mod = MODAL.exec(text.slice(m.index));
      if (mod && (comma < 0 || m.index + mod.index < comma)) {
        const before = text.slice(m.index, m.index + mod.index);
        const subj = before.search(/\s\p{Lu}[\p{L}’'-]*(\s+\p{Lu}[\p{L}’'-]*)*\s*$/u);
        if (subj > m[0].length + 2) comma = m.index + subj;
      }
      if (comma > 0)
        out.push(make(kindOf, cue, abs(m.index, comma), abs(comma + 1, text.length), NEGATIVE_CUES.has(cue)));
      else out.push(make(kindOf, cue, abs(m.index, text.length), abs(0, m.index), NEGATIVE_CUES.has(cue)));
    } else {
      // Mid-sentence: the consequence comes before the cue ("Y, especially if X" / "Y if X").
      let condEnd = nextComma(text, m.index, text.length);
      if (condEnd < 0) condEnd = text.length;
      const before = text.slice(0, m.index);
      const thatAt = before.search(/\bthat\s*$/i);
      if (thatAt >= 0) {
        // "made clear that if X, Y": the consequence follows the condition.
        const comma = nextComma(text, m.index, text.length);
        out.push(
          make(
            kindOf,
            cue,
            abs(m.index, comma > 0 ? comma : text.length),
            abs(comma > 0 ? comma + 1 : 0, comma > 0 ? text.length : m.index),
            NEGATIVE_CUES.has(cue),
          ),
        );
      } else out.push(make(kindOf, cue, abs(m.index, condEnd), abs(0, m.index), NEGATIVE_CUES.has(cue)));
    }
  }
  // Inversion: "Were X to …, Y", "Had X …, Y" (sentence-initial).
  const inv = /^(were|had)\s+(?!to\b)/i.exec(text.slice(lead));
  if (
    inv &&
    (inv[1].toLowerCase() === "had" ||
      /\bto\s+\p{L}+/u.test(text.slice(lead, nextComma(text, lead, text.length))))
  ) {
    const comma = nextComma(text, lead, text.length);
    if (comma > 0)
      out.push(make("conditional", inv[1].toLowerCase(), abs(lead, comma), abs(comma + 1, text.length)));
  }
  // Inversion after the consequence: "the Kremlin would profit were the negotiation to drag on".
  const late =
    /\s(were|had)\s+((?:the|an?|its|their)\s+)?[\p{L}’'-]+(?:\s+[\p{L}’'-]+){0,4}\s+to\s+\p{L}+/iu.exec(text);
  if (!inv && late && late.index > lead + 10 && MODAL.test(text.slice(lead, late.index)))
    out.push(
      make("conditional", late[1].toLowerCase(), abs(late.index + 1, text.length), abs(lead, late.index)),
    );
  // Inversion: "Should X, Y" (sentence-initial, after "that", or opening a clause: "; and should X, Y",
  // "told me that, should the talks fail, …", "…, and, should Iran refuse, …"): its subject follows.
  const should =
    /(^(?:[Aa]nd|[Bb]ut|[Yy]et|[Oo]r|[Ss]o)\s+|\bthat,?\s+|,\s+)[Ss]hould\b(?=\s+(?:the|an?|any|its|their|it|they|he|she|we|\p{Lu}\p{Ll}+)\b)/u.exec(
      text.slice(lead),
    ) ?? /^()should\b/i.exec(text.slice(lead));
  if (should && (should.index === 0 || should[1])) {
    const at = lead + should.index + should[1].length;
    const comma = nextComma(text, at, text.length);
    if (comma > 0) out.push(make("conditional", "should", abs(at, comma), abs(comma + 1, text.length)));
  }
  // In return / in exchange / in this scenario: the condition is the previous sentence.
  const ret =
    /^(in return|in exchange|in (?:this|that|such an?) (?:scenario|case|event|world)|otherwise)\b,?/i.exec(
      text.slice(lead),
    );
  if (ret && prevSentence) {
    const open = prev?.find((p) => p.kind === "conditional");
    out.push({
      ...make(
        "conditional",
        ret[1].toLowerCase(),
        open?.condition ?? prevSentence,
        abs(lead + ret[0].length, text.length),
      ),
      conditionFrom: open ? carried(open) : "earlier-sentence",
    });
  }
  // Every moment/hour/time …, Y
  // "Every week…, Y", "The longer X, the Y", also after a short opener ("In his reading, the
  // longer …"; a comma, at most five words).
  const opener =
    /^[^,;:]{1,40},\s+(?=(?:every|each|the longer|the more|the closer|the further|the less|the harder|the deeper)\b)/i.exec(
      text.slice(lead),
    );
  const from = lead + (opener && opener[0].trim().split(/\s+/).length <= 6 ? opener[0].length : 0);
  const every =
    /^(every|each)\s+(moment|hour|day|week|month|time|year|minute|meeting|round|session|afternoon|morning|evening|night|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|^(whenever|the longer|the more|the closer|the further|the less|the harder|the deeper)\b/i.exec(
      text.slice(from),
    );
  if (every) {
    const comma = nextComma(text, from, text.length);
    const is = text.slice(from).search(/\s(is|means)\s/);
    const cut = comma > 0 ? comma : is > 0 ? from + is : -1;
    if (cut > 0)
      out.push(
        make(
          "conditional",
          (every[1] ?? every[3]).toLowerCase().startsWith("the ") ? "the longer" : "every",
          abs(from, cut),
          abs(cut + 1, text.length),
        ),
      );
  }
  // Event nouns as subjects of a modal.
  // Both read the clause after its lead ("2. ", "SPEAKER: "), so that a numbered paragraph's
  // or a speaker's opening noun phrase is still at the start.
  const body = text.slice(lead);
  EVENT_RE.lastIndex = 0;
  for (const m of body.matchAll(EVENT_RE)) {
    const np =
      lead +
      m.index +
      m[0].length -
      m[5].length -
      m[4].length -
      m[3].length -
      (m[2]?.length ?? 0) -
      (m[1]?.length ?? 0);
    const modalAt = lead + m.index + m[0].length - m[5].length;
    // The talks themselves are no event unless something is said of them: "a longer negotiation
    // would …", not "the Oman negotiations may be portrayed as …".
    if (/^(negotiations?|arrangement|understanding)$/i.test(m[3]) && !/(^|\s)\p{Ll}{3,}/u.test(m[2] ?? ""))
      continue;
    if (out.some((o) => o.condition.start <= c.start + np && o.condition.end >= c.start + modalAt)) continue;
    out.push(make("conditional", `event:${m[3].toLowerCase()}`, abs(np, modalAt), abs(modalAt, text.length)));
  }
  // A named party in a state as the subject of a modal: "a distracted Washington would …", "an
  // emboldened Hezbollah could …", "a Tehran under fire would …". A proper name takes "a" only
  // when something is said of it, so the article and a modifier make it a condition.
  for (const m of body.matchAll(PARTY_RE)) {
    if (!m[3] && !m[5]?.trim()) continue;
    const np =
      lead + m.index + m[0].length - m[6].length - m[5].length - m[4].length - m[3].length - m[2].length;
    const modalAt = lead + m.index + m[0].length - m[6].length;
    if (out.some((o) => o.condition.start <= c.start + np && o.condition.end >= c.start + modalAt)) continue;
    out.push(make("conditional", "event:party", abs(np, modalAt), abs(modalAt, text.length)));
  }
  // A reason given with "because" for a judgment the main clause makes with a modal ("a framework
  // is likely to slow the attacks, because Tehran will want …"): gaps only, and it does not stop
  // the causal verbs below. "Moscow feels it has more room because Washington is busy" is kept.
  for (let k = 0; k < out.length; k++)
    if (out[k].cue === "because" && modalOf(out[k].consequence.text)) out[k] = { ...out[k], because: true };
  const reasons = out.filter((o) => o.because);
  if (out.length > reasons.length) return out;

  // Causal cues. A cause in the past tense tells what happened ("the strike ended the round",
  // "sanctions pushed Iran closer to Moscow"), not what one factor does to another: the claim
  // stays, for its gaps, but gives no draft.
  const verb = causalVerb(text);
  const cs = causalClaims();
  return [
    ...reasons,
    ...(verb && !verb[1].trim() && PAST.test(verb[2]) ? cs.map((k) => ({ ...k, past: true })) : cs),
  ];

  function causalClaims(): Claim[] {
    const by = /^by\s+\p{L}+ing\b/iu.exec(text.slice(lead));
    if (by) {
      const comma = nextComma(text, lead, text.length);
      if (comma > 0) return [make("causal", "by", abs(lead, comma), abs(comma + 1, text.length))];
    }
    if (verb && verb.index > lead) {
      const v = verb[2].toLowerCase();
      const at = verb.index + verb[1].length;
      const subject = text.slice(lead, verb.index).trim();
      // "it" or "this" as the subject is the cause of the claim before it, in this sentence or the
      // previous one ("A capped programme removes the case for a strike; it lowers the odds of
      // war"); any other bare pronoun, or nothing, is no cause to map.
      // "X does Y, and it Z": it is X, the subject before the first verb.
      const anaphor = `${v.split(/\s+/)[0]}:anaphor`;
      const andIt = /^(.*?),?\s+(?:and|but)\s+(?:it|this)$/is.exec(subject);
      if (andIt) {
        const first = tokenize(andIt[1]).find((t) => t.pos === "VERB" || t.pos === "AUX");
        if (first && first.start > 0)
          return [make("causal", anaphor, abs(lead, lead + first.start), abs(verb.index, text.length))];
      }
      if (/^(it|this|that)$/i.test(subject)) {
        const here = before[before.length - 1];
        const there = prev?.[prev.length - 1];
        const cons = abs(verb.index, text.length);
        if (here) return [make("causal", anaphor, here.condition, cons)];
        if (there)
          return [
            {
              ...make("causal", anaphor, there.condition, cons),
              conditionFrom: carried(there),
            },
          ];
        return out;
      }
      if (!subject || /^(they|he|she|which|who|we|i|you|there)$/i.test(subject)) return out;
      // "Y depends on X", "Y hinges on X": the condition follows the verb.
      if (REVERSED_RE.test(v))
        return [make("causal", v, abs(at + verb[2].length, text.length), abs(lead, verb.index))];
      // The consequence keeps the modal and any negation before the verb ("would not stop …").
      return [make("causal", v.split(/\s+/)[0], abs(lead, verb.index), abs(verb.index, text.length))];
    }
    return out;
  }
}

/** Where a claim's condition was taken from, for a claim that takes the same condition. */
function carried(k: Claim): "earlier-sentence" | "earlier-paragraph" {
  return k.conditionFrom === "earlier-paragraph" ? "earlier-paragraph" : "earlier-sentence";
}

/** The paragraph before, as `detectClaims` returned it: its sentences and their claims. */
export interface Previous {
  sentences: Span[];
  claims: Claim[][];
}

/** A sentence that ends in a question mark (before closing quotes or brackets). */
const isQuestion = (text: string) => /\?[\s”"’')\]]*$/.test(text);

/** "What happens?", "What then?", "And after that?": a question that asks for what follows. */
const WHAT_FOLLOWS =
  /^[\s“"]*(?:[\p{Lu}][\p{L} ]{0,40}:\s*)?(?:so\s+|and\s+)?(?:what\s+(?:happens|then|next|follows|comes next)|and then|then what|after that)\b[^?]{0,25}\?/iu;

/**
 * The condition a paragraph's opening answers, when the paragraph before ends in a question:
 * the question's own condition ("And if nothing is agreed?"), or, for a question that only asks
 * what follows ("The talks break down. What happens?"), the sentence before it. Its span is in
 * the paragraph before.
 */
function questionCondition(before: Previous | undefined): Span | undefined {
  if (!before || before.sentences.length === 0) return undefined;
  const last = before.sentences.length - 1;
  const q = before.sentences[last];
  if (!isQuestion(q.text)) return undefined;
  const own = before.claims[last]?.find((k) => k.kind === "conditional" && !k.conditionFrom);
  if (own) return own.condition;
  if (last > 0 && WHAT_FOLLOWS.test(q.text) && !isQuestion(before.sentences[last - 1].text))
    return before.sentences[last - 1];
  return undefined;
}

/**
 * Claims of each sentence of a paragraph (one line). Returns one list per sentence, in order.
 * `before` is the paragraph before it: a question there ("And if the talks fail?") is the
 * condition of this paragraph's answer ("Then the programme stays where it is", "Hezbollah would
 * stay out"), its claims marked `conditionFrom: "earlier-paragraph"`.
 */
export function detectClaims(sentences: Span[], before?: Previous): Claim[][] {
  const result: Claim[][] = [];
  // Whether the paragraph opens with a scenario's name (read once: it runs the tagger).
  const named = sentences.length > 2 && isScenarioName(sentences[0].text);
  sentences.forEach((s, i) => {
    const claims: Claim[] = [];
    const prev = i > 0 ? result[i - 1] : undefined;
    for (const c of clauses(s.text))
      claims.push(...clauseClaims(s.text, c, prev, i > 0 ? sentences[i - 1] : undefined, claims));
    // "And if the talks fail?" … "Then the Americans will …": a sentence opened by "Then" takes
    // the condition of the last conditional claim before it in the paragraph, or, opening a
    // paragraph (after a speaker's name), the question the paragraph before ends with.
    const lead = i === 0 ? (LEAD.exec(s.text)?.[0].length ?? 0) : 0;
    const then = /^[“"]?then\b,?\s*/i.exec(s.text.slice(lead));
    if (then && claims.length === 0) {
      const open = result
        .flat()
        .filter((k) => k.kind === "conditional")
        .pop();
      const asked = open ? undefined : i === 0 ? questionCondition(before) : undefined;
      if (open || asked) {
        const consequence = span(s.text, lead + then[0].length, s.text.length);
        claims.push({
          kind: "conditional",
          cue: "then",
          condition: open ? open.condition : asked!,
          consequence,
          modal: modalOf(consequence.text),
          negated: NEGATION.test(consequence.text),
          conditionFrom: open ? carried(open) : "earlier-paragraph",
        });
      }
    }
    // A modal answer to a question that ends the paragraph before: "What if the talks collapse?"
    // / "Hezbollah would stay out, I think."
    if (i === 0 && !then && !claims.some((k) => k.kind === "conditional") && modalOf(s.text)) {
      const asked = questionCondition(before);
      if (asked && !isQuestion(s.text)) {
        const consequence = span(s.text, lead, s.text.length);
        claims.unshift({
          kind: "conditional",
          cue: "answer",
          condition: asked,
          consequence,
          modal: modalOf(consequence.text),
          negated: NEGATION.test(consequence.text),
          conditionFrom: "earlier-paragraph",
        });
      }
    }
    // A question asserts nothing.
    if (isQuestion(s.text))
      for (let k = 0; k < claims.length; k++) claims[k] = { ...claims[k], question: true };
    // An indirect question is no claim: "we asked two analysts whether Israel should strike …".
    if (ASKED.test(s.text)) {
      for (let k = claims.length - 1; k >= 0; k--)
        if (/\bwhether\b/i.test(claims[k].consequence.text) || /\bwhether\b/i.test(claims[k].condition.text))
          claims.splice(k, 1);
    }
    const shifted = trimOthers(
      claims.map((k) => ({
        ...k,
        condition: k.conditionFrom ? k.condition : shift(k.condition, s.start),
        consequence: shift(k.consequence, s.start),
      })),
      s,
    );
    // A scenario line ("Downside (c. 25%): the talks collapse, followed by strikes …").
    const line = i === 0 && !shifted.some((k) => k.kind === "conditional") ? scenarioLine(s) : undefined;
    if (line) {
      result.push([
        {
          kind: "conditional",
          cue: "scenario",
          condition: line.condition,
          consequence: line.consequence,
          modal: modalOf(line.consequence.text),
          negated: NEGATION.test(line.consequence.text),
        },
        ...shifted,
      ]);
      return;
    }
    // A labelled line of a list ("- Deal: some relief on oil sales", "No deal, talks continue:
    // sanctions stay"): the label is the condition of its first sentence and of the later ones.
    const bullet = LABEL.exec(sentences[0].text);
    if (
      bullet &&
      !NOT_A_CONDITION.test(bullet[1].trim()) &&
      // "Base case: …" names a scenario; its text is the scenario (scenarioLine, scenarioCondition).
      !SCENARIO_LABEL.test(sentences[0].text) &&
      // A speaker's name in a transcript ("WHITCOMBE: …") is no condition.
      !/^\p{Lu}[\p{Lu}'’-]+$/u.test(bullet[1].trim()) &&
      !isHeading(sentences[0].text.slice(bullet[0].length)) &&
      !shifted.some((k) => k.kind === "conditional")
    ) {
      const first = sentences[0];
      const at = first.start + bullet[0].length - bullet[1].length - bullet[2].length;
      const condition = { start: at, end: at + bullet[1].length, text: bullet[1] };
      const from = i === 0 ? s.start + bullet[0].length : s.start;
      const text = s.text.slice(from - s.start);
      if (text.trim()) {
        result.push([
          {
            kind: "conditional",
            cue: "label",
            condition,
            consequence: { start: from, end: s.end, text },
            modal: modalOf(text),
            negated: NEGATION.test(text),
            ...(i > 0 ? { conditionFrom: "earlier-sentence" as const } : {}),
          },
          ...shifted,
        ]);
        return;
      }
    }
    // A scenario paragraph ("Scenario two: a long stalemate. …", "Handshake. A framework is
    // agreed by summer. …"): its later sentences are what follows in that scenario.
    const scenario = scenarioCondition(sentences, i, named);
    if (scenario && !shifted.some((k) => k.kind === "conditional")) {
      result.push([
        {
          kind: "conditional",
          cue: "scenario",
          condition: scenario,
          consequence: { start: s.start, end: s.end, text: s.text },
          modal: modalOf(s.text),
          negated: NEGATION.test(s.text),
          conditionFrom: "earlier-sentence",
        },
        ...shifted,
      ]);
      return;
    }
    if (!shifted.some((k) => k.kind === "conditional")) {
      // A modal sentence continuing a conditional one: "Iran might agree …" after "If …".
      const earlier = result
        .slice(0, i)
        .flat()
        .filter((k) => k.kind === "conditional");
      const prevCond = prev?.find((k) => k.kind === "conditional");
      const anaphor = ANAPHOR.test(s.text.slice(lead));
      const modal = modalOf(s.text);
      // "But …", "However, …" turn to another thought: no continuation of the condition.
      const turn = /^[\s“"]*(but|however|yet|still|meanwhile|by contrast|on the other hand|instead)\b/i.test(
        s.text,
      );
      // An answer to a question ("What if the talks fail?" / "Then X. Y. Z.") goes on in the
      // present tense too: its later sentences are what follows, modal or not.
      const answering = earlier.some((k) => k.cue === "then" || k.cue === "answer");
      if ((modal || (answering && prevCond)) && !turn && (prevCond || (anaphor && earlier.length > 0))) {
        const cond = prevCond ?? earlier[earlier.length - 1];
        result.push([
          {
            kind: "conditional",
            cue: "context",
            condition: cond.condition,
            consequence: { start: s.start, end: s.end, text: s.text },
            modal,
            negated: NEGATION.test(s.text),
            conditionFrom: carried(cond),
          },
          ...shifted,
        ]);
        return;
      }
      // "A collapse of the talks is the outcome Baghdad fears most. It would …": "it" is the
      // event the sentence before opened with.
      const subject = anaphor && i > 0 ? EVENT_SUBJECT.exec(sentences[i - 1].text) : null;
      if (subject && !turn) {
        const at = sentences[i - 1].start + subject.indices![1][0];
        result.push([
          {
            kind: "conditional",
            cue: "context",
            condition: { start: at, end: at + subject[1].length, text: subject[1] },
            consequence: { start: s.start, end: s.end, text: s.text },
            modal,
            negated: NEGATION.test(s.text),
            conditionFrom: "earlier-sentence",
          },
          ...shifted.filter((k) => !/^(it|this|that)\b/i.test(k.condition.text)),
        ]);
        return;
      }
    }
    result.push(shifted);
  });
  return result;
}

/**
 * A sentence whose subject points back: "It would …", "Such a move could …", "That outcome
 * would …".
 */
const ANAPHOR =
  /^[\s“"]*(?:it|this|that|such|(?:this|that|such an?)\s+(?:move|step|strike|attack|raid|deal|agreement|outcome|scenario|result|collapse|breakdown|failure|development))\s+(?:would|could|might|may)\b/i;

/** An event noun phrase as the subject of a sentence: "A collapse of the talks is …". */
const EVENT_SUBJECT = new RegExp(
  `^[\\s“"]*(?:\\d{1,2}[.)]\\s*)?((?:a|an|any|the|such an?)\\s+(?:[\\p{L}-]+\\s+){0,2}(?:${EVENT_NOUNS})\\b(?:\\s+(?:of|in|on|between|by|against|with|over)\\s+[^,.;]{1,50}?)?)\\s+(?:is|are|was|were|remains?|looks?|seems?|has|have|stays?)\\b`,
  "iud",
);

/**
 * A consequence holds no other claim's condition: in "Absent a deal, the group will rebuild,
 * unless Israel strikes first", the "unless" claim's consequence is the rebuilding, not the
 * deal. A condition at either end of a consequence is cut off it.
 */
function trimOthers(claims: Claim[], s: Span): Claim[] {
  // "X, a former official, opened with a warning: Y": what comes before the colon says who
  // speaks, and no side of a claim after the colon reaches back over it.
  const colon = s.text.search(/:\s/);
  const said = colon > 0 && SPEECH.test(s.text.slice(0, colon)) ? s.start + colon + 1 : -1;
  return claims.map((k) => {
    let { start, end } = k.consequence;
    if (
      said > start &&
      said < end &&
      !(k.condition.start < said && k.condition.end > said - 1 && k.condition.start >= start)
    )
      start = said;
    for (const o of claims) {
      // An event noun as the subject of a modal ("no wider war will break out") is the
      // consequence's own subject, not another condition.
      if (o === k || o.conditionFrom || o.cue.startsWith("event:")) continue;
      const c = o.condition;
      if (c.start < start || c.end > end) continue;
      if (c.start - start <= end - c.end) start = Math.max(start, c.end);
      else end = Math.min(end, c.start);
    }
    if (start === k.consequence.start && end === k.consequence.end) return k;
    const sp = span(s.text, start - s.start, end - s.start);
    if (!sp.text.trim()) return k;
    const consequence = shift(sp, s.start);
    return { ...k, consequence, modal: modalOf(consequence.text) ?? k.modal };
  });
}

function shift(sp: Span, by: number): Span {
  return { start: sp.start + by, end: sp.end + by, text: sp.text };
}
