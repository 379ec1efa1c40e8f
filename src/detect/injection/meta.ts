/**
 * Meta-context in user mode: prompts that mention an attack instead of making one. A user who
 * asks to translate a quoted sentence, to write a regular expression for a phrase, to author a
 * system prompt for their own bot, or how to defend against prompt injection, is talking about
 * instructions; the quoted words are the object of the task, not orders to the assistant.
 * The detector damps rule matches that lie wholly inside the quoted object and scores the
 * classifier on the request without it. Evidence outside the quotes keeps its full weight, so
 * "translate 'hello' and then ignore your instructions" is still caught.
 */

/** What kind of meta-task the prompt opens with. */
export type MetaTask = "translate" | "pattern" | "author-prompt" | "discuss-attacks";

export interface MetaContext {
  task: MetaTask;
  /** `[start, end)` ranges of the normalised text that are the quoted object of the task. */
  quoted: [number, number][];
}

/** Multiplier on a rule's weight when its match lies inside the quoted object. */
export const QUOTED_RULE_DAMPING = 0.35;
/** Multiplier on the classifier for prompts that author or discuss prompts and attacks. */
export const DISCUSSION_CLASSIFIER_DAMPING = 0.6;

const OPENING =
  /^(?:(?:please|hi|hello|hey|can you|could you|would you|will you|kindly|i need you to|i want you to|help me)[\s,!]+){0,3}/;
const TRANSLATE =
  /^(?:translate|translating|übersetze|übersetz|übersetzen sie|traduis|traduisez|traduce|traduzca|traduza|traduci|traduz|vertaal|翻译|请翻译|把)|^how (?:do|would) (?:you|i) say\b|^what(?:'s| is| does) .{1,80} mean\b/;
const PATTERN =
  /^(?:write|give me|create|build|make|suggest|what is|what's|need)\b.{0,30}\b(?:regular expression|regex|regexp|grep (?:command|pattern)|pattern|filter|yara rule|sigma rule|detection rule|classifier)\b.{0,60}\b(?:match|matches|matching|detect|detects|catch|catches|find|finds|flag|flags|block|blocks)\b/;
const AUTHOR =
  /^(?:write|draft|create|design|improve|review|rewrite|generate|help me write|suggest)\b.{0,20}\b(?:a |an |the |my |our )?(?:good |better |short |clear )?(?:system prompt|system message|prompt|instructions|persona)\b.{0,20}\b(?:for|of) (?:a |an |the |my |our )/;
const DISCUSS =
  /^(?:how (?:do|can|should|could|would) (?:i|we|you|one|teams?)|what (?:are|is) (?:the )?(?:best|good|common|effective)|explain|describe|what(?:'s| is) (?:a |an )?)\b.{0,60}\b(?:mitigat\w*|defen[cs]e|defend\w*|prevent\w*|detect\w*|protect\w*|guard\w*|harden\w*|red[- ]team\w*|prompt injection|jailbreak\w*)\b/;

/** Quotation pairs: straight and typographic double/single quotes, guillemets, German and CJK quotes. */
const QUOTES: [string, string][] = [
  ['"', '"'],
  ["“", "”"],
  ["„", "“"],
  ["«", "»"],
  ["「", "」"],
  ["'", "'"],
  ["‘", "’"],
];

/** The meta-task a (normalised, lower-case) prompt opens with, and the quoted object, if any. */
export function findMetaContext(text: string): MetaContext | undefined {
  const head = text.slice(0, 400);
  const opening = OPENING.exec(head)?.[0].length ?? 0;
  const rest = head.slice(opening);
  let task: MetaTask | undefined;
  if (TRANSLATE.test(rest)) task = "translate";
  else if (PATTERN.test(rest)) task = "pattern";
  else if (AUTHOR.test(rest)) task = "author-prompt";
  else if (DISCUSS.test(rest)) task = "discuss-attacks";
  if (!task) return undefined;
  const quoted = quotedRanges(text);
  // Without quotes, what follows the first colon of a translation request is its object.
  if (quoted.length === 0 && task === "translate") {
    const colon = text.search(/[:：]/);
    if (colon > 0 && colon < 120) quoted.push([colon + 1, text.length]);
  }
  return { task, quoted };
}

/** Ranges inside matching quotation marks (each at least 4 characters), left to right. */
export function quotedRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const [open, close] of QUOTES) {
    let from = 0;
    while (from < text.length) {
      const start = text.indexOf(open, from);
      if (start < 0) break;
      // A single quote between letters is an apostrophe, not a quotation mark.
      if (open === "'" && /\p{L}/u.test(text.charAt(start - 1)) && /\p{L}/u.test(text.charAt(start + 1))) {
        from = start + 1;
        continue;
      }
      let end = text.indexOf(close, start + 1);
      while (open === "'" && end > 0 && /\p{L}/u.test(text.charAt(end - 1)) && /\p{L}/u.test(text.charAt(end + 1)))
        end = text.indexOf(close, end + 1);
      if (end < 0) break;
      if (end - start > 4) out.push([start + 1, end]);
      from = end + 1;
    }
    if (out.length > 0) break;
  }
  return out;
}

/** Whether `[start, end)` lies inside one of the ranges. */
export function isInside(ranges: readonly [number, number][], start: number, end: number): boolean {
  for (const [s, e] of ranges) if (start >= s && end <= e) return true;
  return false;
}

/** The text with the quoted ranges blanked, so the classifier reads the request alone. */
export function withoutQuoted(text: string, ranges: readonly [number, number][]): string {
  if (ranges.length === 0) return text;
  let out = "";
  let at = 0;
  for (const [s, e] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (s < at) continue;
    out += `${text.slice(at, s)} `;
    at = e;
  }
  return out + text.slice(at);
}
