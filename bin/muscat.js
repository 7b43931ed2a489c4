#!/usr/bin/env node
// Entry point of the `muscat` command. Runs the built CLI (dist/, made by `npm install`
// through the `prepare` script); in a checkout without a build it falls back to the
// TypeScript sources through tsx.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(root, "dist", "cli.js");
if (existsSync(built)) {
  const { main } = await import(pathToFileURL(built).href);
  process.exitCode = await main(process.argv);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  const { main } = await import(pathToFileURL(join(root, "src", "cli", "main.ts")).href);
  process.exitCode = await main(process.argv);
}
