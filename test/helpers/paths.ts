import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const sharedDir = resolve(repoRoot, "..", "shared");
export const seedsDir = join(sharedDir, "seeds");
export const fixturesDir = join(sharedDir, "fixtures");
export const scwDir = join(fixturesDir, "scenariowizard");
export const seedModelPath = join(repoRoot, "models", "oman-2025.yaml");
export const haveShared = existsSync(sharedDir);
