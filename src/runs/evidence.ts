// The evidence run: checks every judgment's cited passages against the article corpus.
import type { CorpusDocument, VerifyReport } from "../evidence/verify.js";
import { verifyEvidence } from "../evidence/verify.js";
import { compileModel } from "../model/compile.js";
import type { Model } from "../model/types.js";

/** The verification report with the hash of the model it checked. */
export interface EvidenceRunResult extends VerifyReport {
  model: string;
}

export function evidenceRun(model: Model, corpus: CorpusDocument[]): EvidenceRunResult {
  const cm = compileModel(model);
  return { model: cm.hash, ...verifyEvidence(model, corpus) };
}
