// What a command module needs to register its commands, without loading any engine: the
// context it receives, the shared --format option and the "Example:" help block.
import { type Command, Option } from "commander";
import type { Io } from "./io.js";

export const formatOption = (choices: string[], def = "table") =>
  new Option("--format <format>", `output format: ${choices.join(" | ")}`).default(def);

export function example(cmd: Command, text: string): Command {
  return cmd.addHelpText("after", `\nExample:\n  ${text}\n`);
}

/** What a command module receives to register its commands. */
export interface CommandContext {
  program: Command;
  io: Io;
  /** Runs a command body (sync or async) and records its exit code. */
  run: (f: () => number | Promise<number>) => Promise<void>;
}
