// Evidence: documents, cleaning, locators, claim and actor detection, draft judgments.
export * from "./claims.js";
export * from "./clean.js";
export * from "./detect.js";
export * from "./document.js";
export * from "./html.js";
export * from "./ingest.js";
export * from "./language.js";
export * from "./sentences.js";
export * from "./text.js";
export * from "./verify.js";
export * from "./write.js";
