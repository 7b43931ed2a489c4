import { main } from "../../src/cli/main.js";

/** Runs the muscat CLI in-process and captures its output (each write ends with a newline). */
export async function runCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["node", "muscat", ...args], {
    out: (s) => {
      out += s.endsWith("\n") ? s : `${s}\n`;
    },
    err: (s) => {
      err += s.endsWith("\n") ? s : `${s}\n`;
    },
  });
  return { code, out, err };
}
