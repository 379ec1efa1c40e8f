/** What a format analyser returns for one file or archive member. */
import type { ModelFinding, ModelFormat, ModelIdentity } from "../types.js";

export interface FormatReport {
  format: ModelFormat;
  findings: ModelFinding[];
  identity: Omit<Partial<ModelIdentity>, "format">;
}
