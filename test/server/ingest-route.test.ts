// The review queue's API: POST /api/models/{id}/ingest reads a stored article against the seed
// model (drafts sorted by confidence, the minConfidence cut, the document's lines), and POST
// /api/models/{id}/drafts writes decisions as one new version — checked against the ingestion
// library run directly on the same text, and against the saved text itself. The article is
// written for this test (no seed article).
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_SCHEMA_PATH } from "../../scripts/api-schema.js";
import { prepareDocument } from "../../src/evidence/document.js";
import { type Draft, ingestDocument, ingestInput } from "../../src/evidence/ingest.js";
import { parseModelText } from "../../src/model/load.js";
import { startTestServer, type TestServer } from "./harness.js";

const ARTICLE = [
  "Title: What happens if the Muscat talks fail",
  "Outlet: Gulf Review",
  "Date: 2025-06-10",
  "",
  "Diplomats in Muscat said on Sunday that the negotiations had stalled again over enrichment.",
  "A breakdown of the talks would raise the risk of a wider regional war, a senior Omani official warned.",
  "Officials in Jerusalem were blunt. If the talks collapse, Israel will launch a unilateral strike on Iranian nuclear sites.",
  "If the talks fail, Washington will tighten sanctions on Iranian oil exports.",
  "A diplomatic breakthrough would lead to sanctions relief for Tehran.",
  "If Israel strikes Iran, the Houthis will resume attacks on shipping in the Red Sea.",
  "If the United States strikes Iran, the Houthis will resume attacks on shipping in the Red Sea.",
  "",
].join("\n");

let s: TestServer;
let docId: string;

beforeAll(async () => {
  s = await startTestServer("muscat-ingest-route-");
  const add = await s.req("POST", "/api/documents", { text: ARTICLE, fileName: "gulf-review.txt" });
  expect(add.status).toBe(201);
  docId = add.data.id;
}, 60_000);

afterAll(async () => s?.close());

/** Whether an answer matches its declared shape in schema/api.schema.json. */
function matchesShape(name: string, data: unknown): void {
  const schema = JSON.parse(readFileSync(API_SCHEMA_PATH, "utf8"));
  const validate = new Ajv({ strict: false }).compile({
    $ref: `#/components/schemas/${name}`,
    components: schema.components,
  });
  expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
}

/** The drafts the library makes of the same text against the seed model, directly. */
async function directDrafts(): Promise<Draft[]> {
  const { data: rec } = await s.req("GET", "/api/models/oman-2025");
  const model = parseModelText(rec.text).model!;
  const d = prepareDocument(new TextEncoder().encode(ARTICLE), "gulf-review.txt");
  return ingestDocument(model, ingestInput(d)).drafts;
}

describe("POST /api/models/{id}/ingest", () => {
  it("answers the library's drafts, highest confidence first, with the document's lines", async () => {
    const r = await s.req("POST", "/api/models/oman-2025/ingest", { docId });
    expect(r.status).toBe(200);
    const direct = await directDrafts();
    expect(direct.length).toBeGreaterThan(1);
    expect(r.data.version).toBe(1);
    expect(r.data.belowConfidence).toBe(0);
    expect(new Set(r.data.drafts.map((d: Draft) => d.id))).toEqual(new Set(direct.map((d) => d.id)));
    const conf = r.data.drafts.map((d: Draft) => d.confidence);
    expect(conf).toEqual([...conf].sort((a, b) => b - a));
    expect(r.data.lines).toEqual(ARTICLE.split("\n").slice(0, -1));
    // Every draft's locator names its line.
    for (const d of r.data.drafts as Draft[]) expect(d.evidence).toBe(`${r.data.source.id}:${d.line}`);
    expect(r.data.source.inModel).toBe(false);
    matchesShape("IngestReport", r.data);
    const { data: doc } = await s.req("GET", "/api/openapi.json");
    expect(
      doc.paths["/api/models/{id}/ingest"].post.responses["200"].content["application/json"].schema.$ref,
    ).toBe("#/components/schemas/IngestReport");
    expect(
      doc.paths["/api/models/{id}/drafts"].post.responses["200"].content["application/json"].schema.$ref,
    ).toBe("#/components/schemas/DraftsSaved");
    // Each draft's sentence is quoted by its span in the line: a whole sentence of it.
    for (const d of r.data.drafts as Draft[]) {
      const q = r.data.quotes.find((x: Draft) => x.line === d.line && x.sentence === d.sentence);
      const text: string = r.data.lines[d.line - 1].slice(q.start, q.end);
      expect(text).toMatch(/^(A|If) .*\.$/);
      // On the line of two sentences, the quote is the second one only.
      if (text.includes("Israel will launch"))
        expect(q.start).toBe("Officials in Jerusalem were blunt. ".length);
    }
    expect(r.data.drafts.some((d: Draft) => d.line === 7)).toBe(true);
  });

  it("cuts off drafts below minConfidence and counts them", async () => {
    const all = (await s.req("POST", "/api/models/oman-2025/ingest", { docId })).data.drafts as Draft[];
    const cut = [...new Set(all.map((d) => d.confidence))].sort((a, b) => a - b);
    const min = cut.length > 1 ? cut[1] : cut[0] + 0.01;
    const r = await s.req("POST", "/api/models/oman-2025/ingest", { docId, minConfidence: min });
    expect(r.data.drafts.length).toBe(all.filter((d) => d.confidence >= min).length);
    expect(r.data.drafts.length + r.data.belowConfidence).toBe(all.length);
    expect(r.data.belowConfidence).toBeGreaterThan(0);
  });

  it("is a 404 for an unknown document and a 400 for a malformed id", async () => {
    expect((await s.req("POST", "/api/models/oman-2025/ingest", { docId: "0".repeat(64) })).status).toBe(404);
    expect((await s.req("POST", "/api/models/oman-2025/ingest", { docId: "nope" })).status).toBe(400);
  });

  it("answers a 10-page article in under a second of CPU, so it runs in the request (prints wall and CPU time)", async () => {
    // Ten pages: about 5,000 words, the article's claim lines among filler reporting.
    const filler =
      "Officials from several capitals met again this week and described the atmosphere as serious, while noting that many technical questions remain open and that the delegations will consult their governments before the next round.";
    const body = ARTICLE.split("\n").slice(5, 11);
    const lines: string[] = ["Title: A long report", ""];
    for (let p = 0; lines.join(" ").split(/\s+/).length < 5000; p++)
      lines.push(`${filler} (Paragraph ${p + 1}.)`, body[p % body.length], "");
    const add = await s.req("POST", "/api/documents", {
      text: lines.join("\n"),
      fileName: "long-report.txt",
    });
    await s.req("POST", "/api/models/oman-2025/ingest", { docId: add.data.id }); // warm-up
    // Wall time and this process's CPU time (the machine may be shared: CPU time is the cost).
    const t = performance.now();
    const cpu0 = process.cpuUsage();
    const r = await s.req("POST", "/api/models/oman-2025/ingest", { docId: add.data.id });
    const ms = performance.now() - t;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    console.log(
      `ingest of a ${lines.join(" ").split(/\s+/).length}-word, ${lines.length}-line article: ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU, ${r.data.drafts.length} drafts`,
    );
    expect(r.status).toBe(200);
    expect(r.data.lines.length).toBe(lines.length - 1); // the text ends with a newline
    expect(cpuMs).toBeLessThan(1000);
  }, 60_000);
});

describe("POST /api/models/{id}/drafts", () => {
  it("writes an accepted draft and an attached one as one new version, adding the source", async () => {
    const rep = (await s.req("POST", "/api/models/oman-2025/ingest", { docId })).data;
    const fresh = (rep.drafts as Draft[]).find((d) => d.relation === "new")!;
    const judged = (rep.drafts as Draft[]).find((d) => d.existing && d.from !== fresh.from)!;
    expect(fresh, "the article has a draft on an unjudged cell").toBeDefined();
    expect(judged, "the article has a draft on a judged cell").toBeDefined();
    const before = (await s.req("GET", "/api/models/oman-2025")).data;
    const r = await s.req("POST", "/api/models/oman-2025/drafts", {
      docId,
      baseVersion: rep.version,
      decisions: [
        { id: fresh.id, action: "accept", strength: 1 },
        { id: judged.id, action: "attach" },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.data).toMatchObject({ version: 2, accepted: 1, attached: 1, views: 0 });
    matchesShape("DraftsSaved", r.data);
    expect(r.data.source).toEqual({ id: rep.source.id, added: true });
    const stored = (await s.req("GET", `/api/documents/${docId}`)).data;
    expect(r.data.message).toBe(`ingest ${stored.title ?? stored.fileName}: accepted 1, attached 1`);
    const after = (await s.req("GET", "/api/models/oman-2025")).data;
    expect(after.version).toBe(2);
    expect(after.message).toBe(r.data.message);
    const m = after.model;
    // The accepted draft is a judgment of its cell with the analyst's strength and its locator.
    const [ff, fs] = fresh.from.split("=");
    const [tf, ts] = fresh.to.split("=");
    const cell = m.impacts.find(
      (i: { kind: string; from: { factor: string; state: string }; to: { factor: string; state: string } }) =>
        i.kind === "cell" &&
        i.from.factor === ff &&
        i.from.state === fs &&
        i.to.factor === tf &&
        i.to.state === ts,
    );
    expect(cell).toMatchObject({ strength: 1 });
    expect(cell.evidence.map((e: { source: string; from: number }) => `${e.source}:${e.from}`)).toContain(
      fresh.evidence,
    );
    // The attached locator is in the existing judgment's evidence; nothing else was added.
    expect(after.text).toContain(judged.evidence);
    expect(before.text).not.toContain(rep.source.id);
    expect(m.sources.map((x: { id: string }) => x.id)).toContain(rep.source.id);
    expect(m.impacts.length).toBe(before.model.impacts.length + 1);
    // The same decisions on the old base version are a conflict, not a second write.
    const again = await s.req("POST", "/api/models/oman-2025/drafts", {
      docId,
      baseVersion: rep.version,
      decisions: [{ id: fresh.id, action: "accept" }],
    });
    expect(again.status).toBe(409);
    expect((await s.req("GET", "/api/models/oman-2025")).data.version).toBe(2);
  });

  it("refuses a draft it did not make and an attach with nothing to attach to (422, naming the draft)", async () => {
    const rep = (await s.req("POST", "/api/models/oman-2025/ingest", { docId })).data;
    const bogus = await s.req("POST", "/api/models/oman-2025/drafts", {
      docId,
      baseVersion: rep.version,
      decisions: [{ id: "dffffff", action: "accept" }],
    });
    expect(bogus.status).toBe(422);
    expect(bogus.data.error).toContain("dffffff");
    expect(bogus.data.problems[0].path).toBe("body.decisions[0].id");
    const fresh = (rep.drafts as Draft[]).find((d) => !d.existing);
    expect(fresh, "a draft on a cell the model does not judge yet").toBeDefined();
    const bad = await s.req("POST", "/api/models/oman-2025/drafts", {
      docId,
      baseVersion: rep.version,
      decisions: [{ id: fresh!.id, action: "attach" }],
    });
    expect(bad.status).toBe(422);
    expect(bad.data.error).toContain(fresh!.id);
    // Accept on a cell the model judges: refused by the writer, named.
    const judged = (rep.drafts as Draft[]).find((d) => d.existing)!;
    const taken = await s.req("POST", "/api/models/oman-2025/drafts", {
      docId,
      baseVersion: rep.version,
      decisions: [{ id: judged.id, action: "accept" }],
    });
    expect(taken.status).toBe(422);
    expect(taken.data.error).toContain(judged.id);
    expect((await s.req("GET", "/api/models/oman-2025")).data.version).toBe(rep.version);
  });

  it("records a second view beside the model's judgment, authored by the source", async () => {
    const rep = (await s.req("POST", "/api/models/oman-2025/ingest", { docId })).data;
    const judged = (rep.drafts as Draft[]).find((d) => d.existing && !d.existing.author)!;
    const other = judged.existing!.strength === -3 ? -2 : -judged.existing!.strength || -1;
    const before = (await s.req("GET", "/api/models/oman-2025")).data;
    const r = await s.req("POST", "/api/models/oman-2025/drafts", {
      docId,
      baseVersion: rep.version,
      decisions: [{ id: judged.id, action: "view", strength: other }],
    });
    expect(r.status).toBe(200);
    expect(r.data).toMatchObject({ version: rep.version + 1, accepted: 0, attached: 0, views: 1 });
    expect(r.data.source.added).toBe(false);
    const m = (await s.req("GET", "/api/models/oman-2025")).data.model;
    expect(m.impacts.length).toBe(before.model.impacts.length + 1);
    const [ff, fs] = judged.from.split("=");
    const [tf, ts] = judged.to.split("=");
    const same = m.impacts.filter(
      (i: { kind: string; from: { factor: string; state: string }; to: { factor: string; state: string } }) =>
        i.kind === "cell" &&
        i.from.factor === ff &&
        i.from.state === fs &&
        i.to.factor === tf &&
        i.to.state === ts,
    );
    // The model's own judgment is unchanged; the second view carries the source as author.
    expect(same.find((i: { author?: string }) => !i.author).strength).toBe(judged.existing!.strength);
    expect(same.find((i: { author?: string }) => i.author === rep.source.id)).toMatchObject({
      strength: other,
    });
  });

  it("places a gap and puts a draft in the analyst's cell; refuses an incomplete or impossible cell, naming the field", async () => {
    const text = [
      "A deal would leave the Iraqi factions with less reason to fight.",
      "If the talks collapse, Israel could strike Iran's nuclear sites on its own.",
      "",
    ].join("\n");
    const add = await s.req("POST", "/api/documents", { text, fileName: "factions.txt" });
    expect(add.status).toBe(201);
    const doc = add.data.id;
    const rep = (await s.req("POST", "/api/models/oman-2025/ingest", { docId: doc })).data;
    matchesShape("IngestReport", rep);
    const gap = rep.gaps.find((g: { line: number }) => g.line === 1);
    const draft = (rep.drafts as Draft[]).find((d) => d.line === 2)!;
    expect(gap?.id).toMatch(/^g[0-9a-f]{6}$/);
    expect(draft.candidates?.consequence[0]).toBe(draft.to);
    // The gap's sentence is among the quotes, for the app to mark it.
    expect(rep.quotes.some((q: { line: number }) => q.line === 1)).toBe(true);
    const before = (await s.req("GET", "/api/models/oman-2025")).data;
    const judged = (from: string, to: string) =>
      parseModelText(before.text).model!.impacts.some((i) => {
        if (i.author) return false;
        if (i.kind === "cell")
          return `${i.from.factor}=${i.from.state}` === from && `${i.to.factor}=${i.to.state}` === to;
        return i.from === from.split("=")[0] && i.to === to.split("=")[0];
      });
    const states = before.model.factors.flatMap((f: { id: string; states: { id: string }[] }) =>
      f.states.map((x) => `${f.id}=${x.id}`),
    );
    const gapFrom = gap.candidates.condition[0];
    const gapTo = [...gap.candidates.consequence, ...states].find(
      (c: string) => c.split("=")[0] !== gapFrom.split("=")[0] && !judged(gapFrom, c),
    );
    const otherTo = [...(draft.candidates?.consequence ?? []), ...states].find(
      (c: string) =>
        c !== draft.to &&
        c !== gapTo &&
        c.split("=")[0] !== draft.from.split("=")[0] &&
        !judged(draft.from, c),
    );
    const post = (decisions: unknown[]) =>
      s.req("POST", "/api/models/oman-2025/drafts", { docId: doc, baseVersion: before.version, decisions });
    const noStrength = await post([{ id: gap.id, action: "accept", from: gapFrom, to: gapTo }]);
    expect(noStrength.status).toBe(422);
    expect(noStrength.data.problems[0].path).toBe("body.decisions[0].strength");
    const noCell = await post([{ id: gap.id, action: "accept", strength: 1 }]);
    expect(noCell.status).toBe(422);
    expect(noCell.data.error).toContain(gap.id);
    const noState = await post([
      { id: draft.id, action: "accept" },
      { id: gap.id, action: "accept", from: "talks=nope", to: gapTo, strength: 1 },
    ]);
    expect(noState.status).toBe(422);
    expect(noState.data.problems[0].path).toBe("body.decisions[1].from");
    const malformed = await post([{ id: gap.id, action: "accept", from: "talks", to: gapTo, strength: 1 }]);
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.data.problems)).toContain("from");
    const badWords = await post([
      { id: draft.id, action: "accept", to: otherTo },
      {
        id: gap.id,
        action: "accept",
        from: gapFrom,
        to: gapTo,
        strength: 1,
        teach: { to: ["reason: fight"] },
      },
    ]);
    expect(badWords.status).toBe(422);
    expect(badWords.data.problems[0].path).toBe("body.decisions[1].teach.to");
    expect(badWords.data.error).toMatch(/one to six words/);
    const badAlias = await post([
      { id: draft.id, action: "accept", to: otherTo },
      {
        id: gap.id,
        action: "accept",
        from: gapFrom,
        to: gapTo,
        strength: 1,
        teach: { aliases: [{ name: "Saraya Awliya al-Dam", actor: "nobody" }] },
      },
    ]);
    expect(badAlias.status).toBe(422);
    expect(badAlias.data.problems[0].path).toBe("body.decisions[1].teach.aliases[0]");
    expect(badAlias.data.error).toMatch(/no actor 'nobody'/);
    // Nothing was written by the refused requests.
    expect((await s.req("GET", "/api/models/oman-2025")).data.version).toBe(before.version);

    const ok = await post([
      {
        id: gap.id,
        action: "accept",
        from: gapFrom,
        to: gapTo,
        strength: -2,
        teach: { to: ["less reason to fight"], aliases: [{ name: "Saraya Awliya al-Dam", actor: "pmf" }] },
      },
      { id: draft.id, action: "accept", to: otherTo },
    ]);
    expect(ok.status).toBe(200);
    expect(ok.data.message).toMatch(
      /accepted 2, attached 0, gaps placed 1, cells changed 1, keywords taught 1, aliases taught 1$/,
    );
    const after = parseModelText((await s.req("GET", "/api/models/oman-2025")).data.text).model!;
    const cell = (from: string, to: string) =>
      after.impacts.find(
        (i) =>
          i.kind === "cell" &&
          !i.author &&
          `${i.from.factor}=${i.from.state}` === from &&
          `${i.to.factor}=${i.to.state}` === to,
      ) as { strength: number; evidence: { source: string; from: number }[] } | undefined;
    expect(cell(gapFrom, gapTo)?.strength).toBe(-2);
    expect(cell(gapFrom, gapTo)?.evidence.map((e) => `${e.source}:${e.from}`)).toEqual([gap.evidence]);
    expect(cell(draft.from, otherTo!)?.strength).toBe(draft.strength);
    expect(after.impacts.length).toBe(parseModelText(before.text).model!.impacts.length + 2);
    // The words the analyst marked are now keywords of the state they placed the claim in.
    const [tf, ts] = gapTo.split("=");
    const taughtState = after.factors.find((f) => f.id === tf)!.states.find((x) => x.id === ts)!;
    expect(taughtState.keywords).toContain("less reason to fight");
    expect(after.actors.find((a) => a.id === "pmf")!.aliases).toContain("Saraya Awliya al-Dam");
  });
});
