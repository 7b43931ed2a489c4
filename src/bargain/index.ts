/** Bargaining engines: baselines, Scholz et al.'s expected-utility model, KTAB's spatial model, uncertainty. */
export * from "./baselines.js";
export * from "./csv.js";
export * from "./ktab.js";
export * from "./pce.js";
export * from "./scholz.js";
export * from "./types.js";
export * from "./uncertainty.js";
