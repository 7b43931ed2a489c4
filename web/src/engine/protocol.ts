// Messages between the app and its kernel worker.

import type { Model, Problem } from "../../../src/model/types.js";
import type { KernelEditResult } from "../../../src/runs/kernel-edit.js";
import type { ScenarioRecord } from "../../../src/runs/scenarios.js";

export interface KernelRequest {
  seq: number;
  /** The model, parsed and validated on the app's thread (its problems alongside). */
  model: Model;
  problems: Problem[];
  /** The saved version's kernel: ids S1… follow it. */
  reference: Record<string, string>[];
  /** The kernel shown before this edit: what appears and vanishes is against it. */
  previous: ScenarioRecord[];
  maxMs?: number;
}

export type KernelResponse = { seq: number; result: KernelEditResult } | { seq: number; error: string };
