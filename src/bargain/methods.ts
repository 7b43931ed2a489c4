/**
 * The bargaining methods a model's issues are forecast with, by id (model.ts runs them; the
 * options table of src/runs/options.ts lists them without loading the engines).
 */
export const BARGAIN_METHODS = ["cm", "median", "nbs", "eum", "smp", "xm"] as const;
export type BargainMethod = (typeof BARGAIN_METHODS)[number];
