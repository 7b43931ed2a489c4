// The evidence run: checks every judgment's cited passages against the article corpus.
import type { CorpusDocument } from "../evidence/verify.js";
import { verifyEvidence } from "../evidence/verify.js";
import { compileModel } from "../model/compile.js";
import type { Model } from "../model/types.js";

export function evidenceRun(model: Model, corpus: CorpusDocument[]) {
  const cm = compileModel(model);
  return { model: cm.hash, ...verifyEvidence(model, corpus) };
}
