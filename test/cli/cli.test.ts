import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { repoRoot, scwDir } from "../helpers/paths.js";

const run = runCli;

const tmp = mkdtempSync(join(tmpdir(), "muscat-cli-"));
const TOY = `id: toy
title: Toy
asOf: 2025-04-15
actors: [{ id: a, name: A, kind: state }]
factors:
  - { id: f, name: F, exogenous: true, states: [{ id: x, label: X }, { id: y, label: Y }] }
  - { id: g, name: G, states: [{ id: x, label: X }, { id: y, label: Y }] }
impacts:
  - { from: f=x, to: g=y, strength: 2 }
`;

describe("muscat CLI", () => {
  it("check: exit 0 on a valid model, with counts in JSON", async () => {
    const p = join(tmp, "toy.yaml");
    writeFileSync(p, TOY);
    const r = await run("check", p, "--format", "json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.valid).toBe(true);
    expect(j.counts).toMatchObject({ actors: 1, factors: 2, states: 4, impacts: 1, evidence: 0 });
    expect(j.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("check: exit 1 and every problem with file and line on an invalid model", async () => {
    const p = join(tmp, "bad.yaml");
    writeFileSync(p, TOY.replace("to: g=y", "to: g=z").replace("kind: state", "kind: country"));
    const r = await run("check", p);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.yaml:4:\d+: error \[bad-value\] actors\[0\]\.kind/);
    const j = JSON.parse((await run("check", p, "--format", "json")).out);
    expect(j.valid).toBe(false);
    expect(j.errors).toBe(1);
  });

  it("usage errors exit 2; unknown files exit 1", async () => {
    expect((await run("nonsense")).code).toBe(2);
    expect((await run("check", "--format")).code).toBe(2);
    expect((await run("show", join(tmp, "toy.yaml"), "--format", "xml")).code).toBe(2);
    expect((await run("check", join(tmp, "missing.yaml"))).code).toBe(1);
  });

  it("--help on every command shows an example", async () => {
    for (const c of ["check", "show", "import", "export", "set", "schema", "analyze"]) {
      const r = await run(c, "--help");
      expect(r.code, c).toBe(0);
      expect(r.out, c).toContain("Example:");
    }
  });

  it("import → export scw round trip from the command line", async () => {
    const yamlPath = join(tmp, "global.yaml");
    const r = await run("import", join(scwDir, "CIB_global.scw"), "--out", yamlPath, "--as-of", "2025-01-01");
    expect(r.code).toBe(0);
    expect((await run("import", join(scwDir, "CIB_global.scw"), "--out", yamlPath)).code).toBe(1); // exists
    const scw = await run("export", yamlPath, "--to", "scw");
    expect(scw.code).toBe(0);
    expect(scw.out).toContain("&WTRD");
    const csv = await run("export", yamlPath, "--to", "csv");
    expect(csv.out.split("\n")[0]).toBe(
      ",wtrd=ft,wtrd=ntl,wtrd=mix,wsec=rlx,wsec=mod,wsec=alrt,weco=decl,weco=stag,weco=modgr,weco=rpdgr",
    );
  });

  it("set refuses an edit that would make the model invalid and leaves the file as it was", async () => {
    const p = join(tmp, "edit.yaml");
    writeFileSync(p, TOY);
    const r = await run("set", p, "impacts[0].strength", "9");
    expect(r.code).toBe(1);
    expect(r.err).toContain("outside the scale");
    expect(readFileSync(p, "utf8")).toBe(TOY);
    expect((await run("set", p, "impacts[0].strength", "-1")).code).toBe(0);
    expect(readFileSync(p, "utf8")).toContain("strength: -1");
  });

  it("--format json on import, export and set gives machine-readable summaries", async () => {
    const out = join(tmp, "fmt.yaml");
    const imp = await run(
      "import",
      join(scwDir, "CIB_global.scw"),
      "--out",
      out,
      "--as-of",
      "2025-01-01",
      "--format",
      "json",
    );
    expect(JSON.parse(imp.out)).toMatchObject({
      wrote: out,
      id: "cib_global",
      counts: { factors: 3, states: 10 },
    });
    const exp = await run("export", out, "--to", "scw", "--out", join(tmp, "fmt.scw"), "--format", "json");
    expect(JSON.parse(exp.out)).toMatchObject({ to: "scw" });
    const set = await run("set", out, "impacts[0].matrix[0][0]", "2", "--format", "json");
    expect(set.code).toBe(0);
    expect(JSON.parse(set.out)).toMatchObject({ path: "impacts[0].matrix[0][0]", value: 2 });
  });

  it("schema: the shipped JSON Schema is the one generated from the zod schema", async () => {
    const r = await run("schema");
    expect(JSON.parse(r.out)).toEqual(
      JSON.parse(readFileSync(join(repoRoot, "schema", "model.schema.json"), "utf8")),
    );
  });

  it("the bin runs as a separate process (npx muscat)", () => {
    const r = spawnSync(
      process.execPath,
      [join(repoRoot, "bin", "muscat.js"), "check", join(tmp, "toy.yaml")],
      {
        encoding: "utf8",
      },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("valid");
  });
});
