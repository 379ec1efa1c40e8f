/**
 * Models pinned by the policy: an approved entry of `supplyChain.models.approved` may pin a
 * model's content (`sha256`, the hash of the file) or a Hugging Face commit (`revision`). One
 * check, shared by every place a model is named: `scan model`, the image scanner's model files,
 * and model references in a workload at admission.
 */
import { compileGlobs } from "./glob.js";
import type { SupplyChainPolicy } from "./schema.js";

/** One entry of `supplyChain.models.approved`. */
export type ApprovedModel = NonNullable<SupplyChainPolicy["models"]>["approved"][number];

/** A model as it is named or found: its id, and what pins it (a content hash, a commit), if anything. */
export interface PinnedModelReference {
  id: string;
  /** Hex sha256 of the model file's bytes (a scanned file). */
  sha256?: string;
  /** As written after `@`: `sha256:HEX` or a commit. */
  pin?: string;
}

export type ModelPinStatus =
  /** An approved entry matches, and the reference carries the hash or commit the entry pins. */
  | "pinned"
  /** An approved entry matches the id, but the reference carries no pin (or the entry pins nothing). */
  | "unpinned"
  /** The id is approved, but the reference's hash or commit is not the pinned one. */
  | "pin-mismatch"
  | "not-approved";

export interface ModelPinResult {
  status: ModelPinStatus;
  /** The approved entry that decided, when one matched the id. */
  entry?: ApprovedModel;
  message: string;
}

/** Compile the approved list once into a checker for model references. */
export function compileModelPins(approved: readonly ApprovedModel[]): (model: PinnedModelReference) => ModelPinResult {
  const entries = approved.map((entry) => ({ entry, matches: compileGlobs([entry.id]) }));
  return (model) => {
    const candidates = entries.filter((e) => e.matches(model.id)).map((e) => e.entry);
    if (candidates.length === 0) return { status: "not-approved", message: `model ${model.id} is not approved` };
    const pin = model.pin?.toLowerCase();
    const hash = model.sha256?.toLowerCase() ?? (pin?.startsWith("sha256:") ? pin.slice(7) : undefined);
    const commit = pin && !pin.startsWith("sha256:") ? pin : undefined;
    const pinned = candidates.find(
      (e) => (e.sha256 !== undefined && e.sha256 === hash) || (e.revision !== undefined && e.revision === commit),
    );
    if (pinned) return { status: "pinned", entry: pinned, message: `model ${model.id} is approved and pinned` };
    const pinning = candidates.filter((e) => e.sha256 !== undefined || e.revision !== undefined);
    const first = pinning[0] ?? candidates[0];
    if (hash === undefined && commit === undefined)
      return {
        status: "unpinned",
        ...(first ? { entry: first } : {}),
        message:
          pinning.length > 0
            ? `model ${model.id} is approved but not pinned: name it with ${pinHint(pinning[0])}`
            : `model ${model.id} is approved, but its entry pins no sha256 or revision`,
      };
    if (pinning.length === 0)
      return {
        status: "unpinned",
        ...(first ? { entry: first } : {}),
        message: `model ${model.id} is approved, but its entry pins no sha256 or revision to check ${pin ?? hash} against`,
      };
    return {
      status: "pin-mismatch",
      ...(first ? { entry: first } : {}),
      message: `model ${model.id} is pinned to ${pinHint(pinning[0])}, not ${commit ?? `sha256:${hash}`}`,
    };
  };
}

function pinHint(entry: ApprovedModel | undefined): string {
  if (entry?.sha256) return `sha256:${entry.sha256}`;
  if (entry?.revision) return `commit ${entry.revision}`;
  return "a hash or commit";
}
