// Muscat's library entry: the model module and the engines, for use from other programs.
export * from "./model/compile.js";
export * from "./model/compiled.js";
export * from "./model/load.js";
export * from "./model/scw.js";
export * from "./model/serialize.js";
export * from "./model/types.js";
