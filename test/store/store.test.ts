import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prepareDocument } from "../../src/evidence/document.js";
import {
  addDocuments,
  appliedMigrations,
  countDocuments,
  findDocuments,
  getDocument,
  openStore,
  resolveDataDir,
} from "../../src/store/index.js";

const text = (extra = "") =>
  `A short test report\n\nThe council met on Tuesday and agreed, after a long debate, to share the reservoir between the two users in dry months.${extra}\n`;
const doc = (t: string, name = "report.txt") => prepareDocument(Buffer.from(t), name);

describe("the store", () => {
  it("data directory: --data, else $MUSCAT_DATA, else ./data", () => {
    expect(resolveDataDir("/x/y", {})).toBe("/x/y");
    expect(resolveDataDir(undefined, { MUSCAT_DATA: "/env/dir" })).toBe("/env/dir");
    expect(resolveDataDir(undefined, {})).toBe(join(process.cwd(), "data"));
  });

  it("opens with migrations applied, foreign keys on and WAL; without create it does not make a store", async () => {
    const dir = mkdtempSync(join(tmpdir(), "muscat-store-"));
    expect(await openStore(join(dir, "none"), { create: false })).toBeUndefined();
    const store = (await openStore(dir))!;
    expect(await appliedMigrations(store)).toContain("0001_documents");
    expect(store.sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(store.sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    // Foreign keys are enforced: a block of a document that does not exist is refused.
    expect(() =>
      store.sqlite
        .prepare("insert into blocks values ('nope', 1, 1, 0, 'paragraph', 'eng', 'Latin', '[]', 1)")
        .run(),
    ).toThrow(/FOREIGN KEY/);
    await store.close();
    // Re-opening applies nothing twice.
    const again = (await openStore(dir))!;
    expect((await appliedMigrations(again)).filter((m) => m === "0001_documents")).toHaveLength(1);
    await again.close();
  });

  it("same text is a no-op; a changed text of the same file is a new version", async () => {
    const store = (await openStore(mkdtempSync(join(tmpdir(), "muscat-store-"))))!;
    const [a] = await addDocuments(store, [doc(text())]);
    expect(a.status).toBe("added");
    const [b] = await addDocuments(store, [doc(text())]);
    expect(b).toMatchObject({ status: "unchanged", id: a.id });
    const [c] = await addDocuments(store, [doc(text(" A later edit added this sentence."))]);
    expect(c).toMatchObject({ status: "new-version", version: 2, supersedes: a.id });
    expect(await countDocuments(store)).toBe(2);
    const hits = await findDocuments(store, "report.txt");
    expect(hits.map((h) => h.version)).toEqual([1, 2]);
    const full = (await getDocument(store, a.id))!;
    expect(full.blocks.map((x) => x.line)).toEqual([1, 2, 3]);
    expect(full.cleanedText.split("\n")).toHaveLength(2);
    await store.close();
  });

  it("a batch is one transaction: a failure mid-way leaves the store as it was", async () => {
    const store = (await openStore(mkdtempSync(join(tmpdir(), "muscat-store-"))))!;
    await addDocuments(store, [doc(text(), "first.txt")]);
    const good = doc(text(" Another sentence."), "second.txt");
    const broken = doc(text(" Yet another sentence."), "third.txt");
    // Two blocks with the same line number violate the blocks' primary key on insert.
    broken.clean.blocks.push({ ...broken.clean.blocks[0] });
    await expect(addDocuments(store, [good, broken])).rejects.toThrow(/UNIQUE|PRIMARY/);
    expect(await countDocuments(store)).toBe(1);
    expect(await getDocument(store, good.id)).toBeUndefined();
    await store.close();
  });
});
