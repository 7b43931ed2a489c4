// The installed package: its folder (models/, schema/ and package.json live there) and version.
// Shared by the CLI, the server and the queue workers (a worker refuses parts of another version).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The folder of the installed package (holds models/, schema/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pj = join(dir, "package.json");
    if (existsSync(pj)) {
      try {
        if (JSON.parse(readFileSync(pj, "utf8")).name === "muscat") return dir;
      } catch {
        // keep walking up
      }
    }
    dir = dirname(dir);
  }
  throw new Error("cannot find the muscat package folder");
}

let version: string | undefined;

export function packageVersion(): string {
  version ??= JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")).version as string;
  return version;
}
