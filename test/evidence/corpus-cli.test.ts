import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { haveShared, seedModelPath, seedsDir } from "../helpers/paths.js";
import { htmlDir, runCli, SEED0, SEED1 } from "./helpers.js";

const tmp = mkdtempSync(join(tmpdir(), "muscat-corpus-"));
/** Writes a file into the temp folder and returns its path. */
const put = (name: string, content: string | Buffer) => {
  writeFileSync(join(tmp, name), content);
  return join(tmp, name);
};

async function count(data: string): Promise<number> {
  const r = await runCli("corpus", "list", "--data", data, "--format", "json");
  return JSON.parse(r.out).documents.length;
}

describe.runIf(haveShared)("muscat corpus and bad input", () => {
  const data = join(tmp, "data");

  it("adds the seeds; re-adding is a no-op; show --removed explains", async () => {
    let r = await runCli("corpus", "add", seedsDir, "--data", data, "--format", "json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).documents.map((d: { status: string }) => d.status)).toEqual(["added", "added"]);
    r = await runCli("corpus", "add", join(seedsDir, SEED0), "--data", data, "--format", "json");
    expect(JSON.parse(r.out).documents[0].status).toBe("unchanged");
    expect(await count(data)).toBe(2);
    r = await runCli("corpus", "show", SEED0, "--removed", "--data", data);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Removed as page furniture \(12\)/);
    expect(r.out).toMatch(/language -5: in pbu/);
    r = await runCli("corpus", "show", "a18b41", "--cleaned", "--data", data, "--format", "json");
    const cleaned = JSON.parse(r.out).cleaned as { cleanedLine: number; line: number }[];
    expect(cleaned.map((c) => c.line)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  });

  const bad: [string, () => string, RegExp][] = [
    ["an empty file", () => put("empty.txt", ""), /empty\.txt: the file is empty/],
    [
      "a binary file",
      () => put("pic.txt", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2])),
      /pic\.txt: not a text document: looks like a PNG image/,
    ],
    [
      "a 50 MB file",
      () => {
        const p = join(tmp, "big.txt");
        writeFileSync(p, Buffer.alloc(50 * 1024 * 1024, "word "));
        return p;
      },
      /big\.txt: 50\.0 MB is larger than the 10\.0 MB limit/,
    ],
    [
      "invalid UTF-8",
      () => put("latin1.txt", Buffer.from("First line\nCaf\xe9 au lait\n", "latin1")),
      /latin1\.txt: not valid UTF-8: byte 0xe9 at offset 14 \(line 2, byte 4 of the line\)/,
    ],
    [
      "an HTML page with no article",
      () => join(htmlDir, "no-article.html"),
      /no-article\.html: no article found/,
    ],
  ];
  for (const [what, make, message] of bad)
    it(`${what}: a clear message, exit 1, and the corpus as it was`, async () => {
      const before = await count(data);
      const r = await runCli("corpus", "add", make(), "--data", data);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err).toMatch(/nothing was added/);
      expect(await count(data)).toBe(before);
    });

  it("a folder with one bad file adds nothing (all or nothing)", async () => {
    const dir = join(tmp, "mixed");
    mkdirSync(dir);
    copyFileSync(join(htmlDir, "news-page.html"), join(dir, "news.html"));
    writeFileSync(join(dir, "zero.txt"), "");
    const before = await count(data);
    const r = await runCli("corpus", "add", dir, "--data", data);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/1 of 2 files cannot be added/);
    expect(await count(data)).toBe(before);
  });

  it("non-Latin scripts: labelled, never crash, never attributed to an actor", async () => {
    // An English report quoting lines in four other scripts: the quotes are labelled and set
    // aside, the English text is analysed.
    const mixed = join(tmp, "mixed-scripts.txt");
    writeFileSync(
      mixed,
      [
        "Reactions to the talks",
        "",
        "Officials in several capitals reacted on Sunday to the talks held in Muscat, and most of them said that a failure would raise tensions across the region.",
        "Переговоры между Ираном и США в Маскате продолжаются, и если они сорвутся, в регионе может начаться война.",
        "伊朗与美国在马斯喀特的谈判仍在继续，如果谈判失败，地区冲突可能会扩大。伊朗与美国在马斯喀特的谈判仍在继续。",
        "Παρά τις διαφορές, οι συνομιλίες συνεχίζονται και οι δύο πλευρές μιλούν για πρόοδο στη Μασκάτ.",
        "Diplomats expect another round of talks soon, although no date has been set and both delegations have returned home.",
      ].join("\n"),
    );
    let r = await runCli("ingest", mixed, "--model", seedModelPath, "--format", "json");
    expect(r.code).toBe(0);
    let j = JSON.parse(r.out);
    expect(j.actors.map((a: { id: string }) => a.id)).toEqual(["oman"]);
    const data2 = join(tmp, "data-scripts");
    r = await runCli("corpus", "add", mixed, "--data", data2);
    expect(r.code).toBe(0);
    r = await runCli("corpus", "show", "mixed-scripts.txt", "--removed", "--data", data2, "--format", "json");
    const removed = JSON.parse(r.out).removed as { line: number; script: string; language: string }[];
    expect(removed.map((b) => b.script)).toEqual(["Cyrillic", "Han", "Greek"]);
    expect(removed.map((b) => b.language)).toEqual(["rus", "cmn", "ell"]);

    // A text wholly in Pashto: kept as its own language, skipped by ingest, nothing attributed.
    const pashto = join(tmp, "pashto.txt");
    writeFileSync(
      pashto,
      [
        "د ایران او امریکا ترمنځ خبرې په مسقط کې روانې دي او د سیمې راتلونکی به ټاکي.",
        "که خبرې ناکامې شي نو په سیمه کې به جګړه پراخه شي او ډیر خلک به زیانمن شي.",
      ].join("\n"),
    );
    r = await runCli("ingest", pashto, "--model", seedModelPath, "--format", "json");
    expect(r.code).toBe(0);
    j = JSON.parse(r.out);
    expect(j.document.language).toBe("pbu");
    expect(j.actors).toEqual([]);
    expect(j.drafts).toEqual([]);
    expect(j.skipped.otherLanguage.map((s: { script: string }) => s.script)).toEqual(["Arabic", "Arabic"]);
  });

  it("ingest lists actors, claims and drafts as a table", async () => {
    const r = await runCli("ingest", join(seedsDir, SEED1), "--model", seedModelPath);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Draft impacts \(\d+\)/);
    expect(r.out).toMatch(/talks=breakthrough → hezbollah=political-pivot/);
    expect(readFileSync(seedModelPath, "utf8")).toMatch(/^# Muscat seed model/);
  });
});
