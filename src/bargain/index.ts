/**
 * Bargaining engines: baselines, Scholz et al.'s expected-utility model, KTAB's spatial model,
 * the exchange model, uncertainty, and the stacked combination of them all.
 */
export * from "./baselines.js";
export * from "./combine.js";
export * from "./csv.js";
export * from "./exchange.js";
export * from "./ktab.js";
export * from "./pce.js";
export * from "./scholz.js";
export * from "./types.js";
export * from "./uncertainty.js";
