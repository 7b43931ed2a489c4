import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const fixture = (...p: string[]) => path.resolve(repoRoot, "../shared/fixtures/bargaining", ...p);
export const readFixture = (...p: string[]) => readFileSync(fixture(...p), "utf8");

// biome-ignore lint/suspicious/noExplicitAny: fixture JSON
export type AnyCase = any;
export function loadCases(): AnyCase[] {
  return JSON.parse(readFixture("cases.json")).cases;
}
export function getCase(id: string): AnyCase {
  const c = loadCases().find((k) => k.id === id);
  if (!c) throw new Error(`no case ${id}`);
  return c;
}
