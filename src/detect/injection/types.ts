/** Shared types of the prompt-injection detector. */

/**
 * `user`: a prompt addressed to the assistant. `document`: retrieved text, tool output, web pages,
 * e-mails. `system`: the developer's instructions (system and developer messages), where
 * directives to the assistant are the genre and only attacks count (system.ts).
 */
export const INJECTION_MODES = ["user", "document", "system"] as const;
export type InjectionMode = (typeof INJECTION_MODES)[number];

/** Verdict against the policy threshold. */
export type InjectionVerdict = "injection" | "benign";

/** Kinds of evidence a result can carry. */
export const SIGNAL_KINDS = ["rule", "classifier", "span", "obfuscation", "decoded-layer", "external-guard"] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** One piece of evidence, readable by an analyst. */
export interface InjectionSignal {
  kind: SignalKind;
  /** Rule id, `classifier`, `span:<kind>`, `normalisation:<name>`, `decoded:<encoding>` or `external-guard`. */
  id: string;
  /** Contribution in [0, 1] to the combined score. */
  score: number;
  /** Rule category (for rules). */
  category?: string;
  /** Short description: what the rule means, or which window scored highest. */
  detail?: string;
  /** The matched (normalised) text, truncated. */
  evidence?: string;
  /** Where it was found: `text` or a decoded layer such as `base64`. */
  layer?: string;
}

/** What the detector returns. */
export interface InjectionResult {
  /** Combined score in [0, 1]. */
  score: number;
  verdict: InjectionVerdict;
  threshold: number;
  mode: InjectionMode;
  /** Signals that contributed, strongest first. */
  signals: InjectionSignal[];
  /** Normalisation steps that changed the text (obfuscation is itself a signal). */
  transformations: string[];
  /**
   * Document mode with a span model: the document's genre and its most suspicious spans
   * (offsets into the text as given), best first.
   */
  document?: { genre: string; spans: ReportedSpan[] };
}

/** A span of a document and its score, as document mode reports it. */
export interface ReportedSpan {
  /** `[start, end)` offsets into the input text. */
  start: number;
  end: number;
  /** sentence, cell, json-string, html-comment, markdown-comment, hidden-html, alt-text, code-comment or code. */
  kind: string;
  score: number;
}
