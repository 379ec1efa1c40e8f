/**
 * Poisoning checks on MCP tool, prompt and resource definitions: text the agent's model reads
 * as trusted context, where a malicious server hides instructions ("tool poisoning", Invariant
 * Labs 2025; OWASP MCP Top 10 MCP03). Every string and every object key of the definition is
 * checked, at any depth, so no field (a schema property's description, an enum value, a
 * default, an annotation, a prompt argument) is left out. Pure: the injection detector is
 * passed in.
 */

import type { Severity } from "../core/index.js";
import type { InjectionDetector, InjectionResult, InjectionSignal } from "../detect/index.js";
import { codePointLabel, decodeTagText, escapeInvisible, findInvisible, toMatchText, toNameKey } from "./unicode.js";

/** The rules, defined once: every list of them (help, docs, SARIF) derives from this table. */
export const POISONING_RULES = {
  "mcp.poisoning.hidden-instructions": {
    severity: "high",
    summary: "the prompt-injection detector (document mode) finds instructions to the model",
  },
  "mcp.poisoning.instruction-block": {
    severity: "high",
    summary: "an <IMPORTANT>/<SYSTEM>/[INST]-style block or an HTML comment, the usual wrapper of hidden instructions",
  },
  "mcp.poisoning.directive": {
    severity: "high",
    summary: "a directive to the agent: what to do before using the tool, or what not to tell the user",
  },
  "mcp.poisoning.secret-access": {
    severity: "critical",
    summary: "asks for secrets: SSH keys, cloud credentials, .env files, tokens, MCP client configs",
  },
  "mcp.poisoning.cross-tool": {
    severity: "high",
    summary: "asks to pass data to other tools, servers, addresses or parameters",
  },
  "mcp.poisoning.shadowing": {
    severity: "high",
    summary: "names another server's tool, to change how the agent uses it",
  },
  "mcp.poisoning.hidden-text": {
    severity: "high",
    summary: "invisible characters (zero-width, bidi controls, tag characters, private use) or padding that hides text",
  },
  "mcp.poisoning.overlong": {
    severity: "medium",
    summary: "a text longer than the policy's maxDescriptionChars, or a definition nested too deep to read",
  },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type PoisoningRuleId = keyof typeof POISONING_RULES;
export const POISONING_RULE_IDS = Object.keys(POISONING_RULES) as PoisoningRuleId[];

/** One finding in one text of a definition. */
export interface PoisoningFinding {
  ruleId: PoisoningRuleId;
  severity: Severity;
  message: string;
  /** JSON path of the text: `$.inputSchema.properties.note.description`; `$` for the whole definition. */
  path: string;
  /** The text that matched, short, invisible characters spelled out. */
  evidence?: string;
}

export interface PoisoningOptions {
  /** The prompt-injection detector (one per process; see createDefaultInjectionDetector). */
  injection: Pick<InjectionDetector, "detect">;
  /** Score at which the detector's verdict counts (policy `runtime.injection.document.threshold`). */
  threshold: number;
  /** Policy `runtime.mcp.poisoning.maxDescriptionChars`. */
  maxDescriptionChars: number;
  /**
   * Bare tool names other servers offer and this one does not (the caller leaves out names the
   * server offers itself): naming one is shadowing.
   */
  otherTools?: readonly string[];
}

/** Deeper than this the walk stops, with a finding (no real definition nests this far). */
const MAX_DEPTH = 64;
/** At most this many texts are read from one definition, with a finding past it. */
const MAX_TEXTS = 5_000;
/** Texts shorter than this carry too little for the injection detector. */
const MIN_DETECTOR_CHARS = 20;
const EVIDENCE_CHARS = 120;

/** A rule over the normalised text (lower case, look-alikes mapped, invisibles removed). */
interface PatternRule {
  ruleId: PoisoningRuleId;
  message: string;
  pattern: RegExp;
}

const SENTENCE = "[^.;!?\\n]";
const SECRET_FILES =
  "~/\\.ssh\\b|\\.ssh/|(?<![a-z0-9])id_(?:rsa|dsa|ecdsa|ed25519)(?![a-z0-9])|\\bauthorized_keys\\b|~/\\.aws\\b|\\.aws/(?:credentials|config)\\b|application_default_credentials|\\.config/gcloud\\b|\\.azure/|\\.netrc\\b|\\.pgpass\\b|\\.git-credentials\\b|/etc/(?:shadow|passwd|sudoers)\\b|\\.(?:bash|zsh)_history\\b|\\bwallet\\.dat\\b|\\.gnupg\\b|\\bmcp\\.json\\b|claude_desktop_config\\.json|\\.cursor/|mcp_config\\.json|\\bprivate keys?\\b";
/** Secrets that ordinary tools also mention ("uses your kubeconfig"): only asked for when a verb sends them. */
const WEAK_SECRETS =
  "(?<![\\w.])\\.env(?:\\.[a-z]+)?\\b|kubeconfig|\\.kube/config|\\.npmrc|\\.pypirc|\\.docker/config\\.json|(?:api|access|secret|auth|bearer|session|refresh|oauth|github|slack|jwt)[ _-]?(?:keys?|tokens?)\\b|\\bpasswords?\\b|\\bcredentials?\\b|\\bsecrets?\\b|\\bcookies?\\b|\\b(?:all|every|the user'?s) (?:environment variables|env vars)\\b";
const TAKE =
  "\\b(?:read|cat|include|pass|send|provide|attach|upload|copy|print|output|dump|exfiltrate|leak|forward|share|collect|extract|grab|steal|append|concatenate|embed|paste)\\b";

const PATTERN_RULES: readonly PatternRule[] = [
  {
    ruleId: "mcp.poisoning.instruction-block",
    message: "instruction block addressed to the model",
    pattern:
      /<\s*\/?\s*(?:important|system|instructions?|admin|critical|secret|hidden|assistant|sys|override|priority|mandatory|note[ _-]?to[ _-]?(?:ai|assistant|model))\s*>|\[\/?inst\]|<<\/?sys>>|<\|(?:im_start|im_end|system|endoftext|eot_id|start_header_id)\|>|(?:^|\n)\s*#{1,3} ?(?:system|instructions)\b|<!--/,
  },
  {
    ruleId: "mcp.poisoning.directive",
    message: "directive to the agent to keep something from the user",
    pattern: new RegExp(
      [
        "\\b(?:do not|don'?t|never|must not|should not)\\s+(?:tell|inform|notify|mention|reveal|show|disclose|alert|let)\\b.{0,30}\\b(?:the user|users?|the human|anyone|them)\\b",
        "\\b(?:do not|don'?t|never) mention (?:this|that|these|it)\\b",
        "\\bwithout (?:telling|informing|notifying|asking|alerting|letting|showing) (?:the )?(?:user|human)",
        "\\bthe user (?:must|should|will|need) (?:not|never) (?:know|see|be told|notice|find out)",
        "\\b(?:hide|conceal) (?:this|it|these|that)\\b.{0,20}\\bfrom the user",
        "\\b(?:could|might|would|will) (?:even )?(?:upset|alarm|worry|scare) the user",
      ].join("|"),
    ),
  },
  {
    ruleId: "mcp.poisoning.directive",
    message: "directive to the agent about what to do before or around using the tool",
    pattern: new RegExp(
      [
        `\\bbefore (?:using|calling|invoking|running|executing) (?:this|the|any|these|other) (?:tool|function)s?\\b${SENTENCE}{0,80}\\b(?:pass|send|include|upload|attach|forward|append|cat)\\b`,
        "\\b(?:otherwise|or else) (?:the |this )?(?:tool|it|request|operation|call) (?:will|would|may|might) (?:not work|fail|break|crash|error)",
        "\\bwhen this tool is (?:available|present|loaded|installed|enabled|connected)\\b",
        "\\b(?:has|have) (?:a |an )?(?:very |extremely )?(?:important|critical) side[ -]?effects?\\b",
        `\\b(?:you|the assistant|the ai|the model|the agent|the llm|claude) (?:must|should|need to|has to|have to|are required to|is required to) (?:always |first |also |now )*(?:read|send|pass|include|forward|upload|redirect|bcc|cc|exfiltrate|append)\\b`,
        "\\b(?:ignore|disregard|override|forget) (?:all |any |your |the |of )*(?:previous|prior|earlier|above|other|system|user'?s?) (?:instructions|rules|guidelines|prompts?|messages?)",
      ].join("|"),
    ),
  },
  {
    ruleId: "mcp.poisoning.secret-access",
    message: "names a secret file or credential store",
    pattern: new RegExp(SECRET_FILES),
  },
  {
    ruleId: "mcp.poisoning.secret-access",
    message: "asks for credentials",
    pattern: new RegExp(
      `${TAKE}\\s+(?:(?:the|your|all|any|their|its|user'?s?|every)\\s+)?(?:(?:contents?|values?) of\\s+(?:the\\s+|your\\s+)?)?(?:[\\w-]+\\s+){0,2}?(?:${WEAK_SECRETS})`,
    ),
  },
  {
    ruleId: "mcp.poisoning.cross-tool",
    message: "asks to pass data to another tool, server, address or parameter",
    pattern: new RegExp(
      [
        `\\b(?:pass|send|forward|include|append|add|copy|provide|give|put|insert)\\b${SENTENCE}{0,60}\\b(?:contents?|output|results?|response|data|conversation|chat history|messages|history)\\b${SENTENCE}{0,60}\\b(?:to|into|as|in|with)\\b${SENTENCE}{0,30}\\b(?:another|other|the next|any other|every other|all other|subsequent|a different) (?:tools?|functions?|calls?|servers?)\\b`,
        `\\bread\\b${SENTENCE}{0,80}\\b(?:pass|put|include|insert|provide|send|add|append)\\b${SENTENCE}{0,40}\\b(?:its|their|the|this|that) (?:contents?|text|data)\\b${SENTENCE}{0,20}\\b(?:as|in|into|to)\\b`,
        `\\b(?:call|invoke|use|run|trigger)\\b${SENTENCE}{0,30}\\b(?:tools?|functions?)\\b${SENTENCE}{0,30}\\b(?:from|on|of) (?:another|other|a different|the other) (?:mcp )?(?:servers?|providers?)`,
        `\\b(?:all|every|each|any) (?:emails?|messages?|mails?|payments?|transfers?)\\b${SENTENCE}{0,60}\\b(?:must|should|will|are to|need to) (?:also |always )?(?:be )?(?:sent|forwarded|redirected|copied|bcc'?d|go|cc'?d|routed)\\b`,
        "\\b(?:bcc|cc)\\b\\s*(?::|to)?\\s*[\\w.+-]+@[\\w-]+\\.[\\w.]+",
        `\\b(?:change|replace|redirect|override) (?:the )?(?:recipient|destination|receiver|account number|iban|wallet address)`,
        `\\b(?:send|forward|post|upload|transmit|exfiltrate|report|e-?mail|mail)\\b${SENTENCE}{0,80}\\bto\\s+(?:https?://|[\\w.+-]+@[\\w-]+\\.[a-z]{2,})`,
        "\\bthe (?!this\\b)[\\w-]+ tool (?:must|should|has to|needs to|is required to|will now)\\b",
      ].join("|"),
    ),
  },
];

/** A text found in a definition, with its JSON path. */
interface Text {
  path: string;
  text: string;
  /** An object key (a property name) rather than a value. */
  key: boolean;
}

/**
 * Poisoning findings for one tool, prompt, resource or resource template definition (any JSON
 * object: every string and key in it is read), strongest first by severity then path.
 */
export function checkPoisoning(definition: unknown, options: PoisoningOptions): PoisoningFinding[] {
  const findings: PoisoningFinding[] = [];
  const seen = new Set<string>();
  const add = (ruleId: PoisoningRuleId, path: string, message: string, evidence?: string) => {
    const id = `${ruleId}\u0000${path}\u0000${message}`;
    if (seen.has(id)) return;
    seen.add(id);
    findings.push({
      ruleId,
      severity: POISONING_RULES[ruleId].severity,
      message,
      path,
      ...(evidence === undefined ? {} : { evidence }),
    });
  };
  const texts = collectTexts(definition, (path, message) => add("mcp.poisoning.overlong", path, message));
  // A definition naming itself is no reference to another server's tool.
  const own = isRecord(definition) && typeof definition.name === "string" ? toNameKey(definition.name) : undefined;
  const others = toolNamePatterns((options.otherTools ?? []).filter((name) => toNameKey(name) !== own));
  let detectorFired = false;
  for (const { path, text, key } of texts) {
    checkHiddenText(text, path, add);
    if (text.length > options.maxDescriptionChars && !/\.icons\[\d+\]\.src$/.test(path))
      add(
        "mcp.poisoning.overlong",
        path,
        `${text.length} characters, more than the ${options.maxDescriptionChars} the policy allows`,
      );
    const normal = toMatchText(text);
    for (const rule of PATTERN_RULES) {
      const match = rule.pattern.exec(normal);
      if (match) add(rule.ruleId, path, rule.message, evidenceOf(match[0]));
    }
    for (const { name, pattern } of others) {
      const match = pattern.exec(normal);
      if (match) add("mcp.poisoning.shadowing", path, `names ${JSON.stringify(name)}, a tool of another server`, name);
    }
    if (!key && text.length >= MIN_DETECTOR_CHARS) {
      const result = options.injection.detect(text, { mode: "document", threshold: options.threshold });
      if (isInstruction(result, options.threshold)) {
        detectorFired = true;
        add("mcp.poisoning.hidden-instructions", path, detectorMessage(result), evidenceOf(text));
      }
    }
  }
  // Instructions split across fields (half in the title, half in a parameter) read as one text.
  if (!detectorFired && texts.length > 1) {
    const whole = texts
      .filter((t) => !t.key)
      .map((t) => t.text)
      .join("\n");
    const result = options.injection.detect(whole, { mode: "document", threshold: options.threshold });
    if (isInstruction(result, options.threshold))
      add("mcp.poisoning.hidden-instructions", "$", `${detectorMessage(result)} (across fields)`);
  }
  return findings.sort(
    (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || compare(a.path, b.path),
  );
}

const SEVERITY_ORDER: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Tool descriptions are imperative prose addressed to the model by design ("Use this tool to…",
 * "Pass the path…"): the register the classifiers learned as instructions. So the classifiers
 * alone (the whole-text model and the document span model) count only CLASSIFIER_ONLY_MARGIN
 * above the threshold; with any rule or decoded-layer evidence, the detector's verdict stands.
 */
const CLASSIFIER_ONLY_MARGIN = 0.25;
const LEARNED: ReadonlySet<InjectionSignal["kind"]> = new Set(["classifier", "span"]);

function isInstruction(result: InjectionResult, threshold: number): boolean {
  if (result.verdict !== "injection") return false;
  if (result.signals.some((s) => !LEARNED.has(s.kind) && s.score > 0)) return true;
  return result.score >= Math.min(1, threshold + CLASSIFIER_ONLY_MARGIN);
}

function detectorMessage(result: { score: number; signals: readonly { id: string }[] }): string {
  const signals = result.signals
    .slice(0, 3)
    .map((s) => s.id)
    .join(", ");
  return `instructions to the model (injection score ${result.score.toFixed(2)}${signals ? `: ${signals}` : ""})`;
}

type Add = (ruleId: PoisoningRuleId, path: string, message: string, evidence?: string) => void;

function checkHiddenText(text: string, path: string, add: Add): void {
  const invisible = findInvisible(text);
  if (invisible.length > 0) {
    const kinds = [...new Set(invisible.map((c) => c.kind))].join(", ");
    const first = invisible
      .slice(0, 3)
      .map((c) => codePointLabel(c.codePoint))
      .join(" ");
    const hidden = decodeTagText(text);
    add(
      "mcp.poisoning.hidden-text",
      path,
      `${invisible.length} invisible character(s) (${kinds}: ${first}${invisible.length > 3 ? " …" : ""})${hidden ? `; tag characters spell ${JSON.stringify(hidden.slice(0, EVIDENCE_CHARS))}` : ""}`,
      evidenceOf(text),
    );
  }
  const padding = /[ \t\u00A0\u3000]{120,}|(?:[ \t]*\r?\n){25,}/.exec(text);
  if (padding)
    add(
      "mcp.poisoning.hidden-text",
      path,
      `${padding[0].length} characters of blank padding, which pushes the text after it out of view`,
    );
}

function evidenceOf(text: string): string {
  const short = text.length > EVIDENCE_CHARS ? `${text.slice(0, EVIDENCE_CHARS)}…` : text;
  return escapeInvisible(short.replace(/\s+/g, " "));
}

/** Every string value and object key of a definition, with its JSON path; limits reported through `tooDeep`. */
function collectTexts(definition: unknown, limit: (path: string, message: string) => void): Text[] {
  const out: Text[] = [];
  const walk = (value: unknown, path: string, depth: number): void => {
    if (out.length >= MAX_TEXTS) return;
    if (typeof value === "string") {
      out.push({ path, text: value, key: false });
      return;
    }
    if (typeof value !== "object" || value === null) return;
    if (depth >= MAX_DEPTH) {
      limit(path, `nested deeper than ${MAX_DEPTH} levels: not read further`);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        walk(item, `${path}[${i}]`, depth + 1);
      });
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      const sub = childPath(path, key);
      out.push({ path: sub, text: key, key: true });
      walk(item, sub, depth + 1);
    }
  };
  walk(definition, "$", 0);
  if (out.length >= MAX_TEXTS) limit("$", `more than ${MAX_TEXTS} texts: the rest not read`);
  return out;
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * Patterns for other servers' tool names. A name with a separator or inner capital
 * (`send_email`, `sendEmail`) is matched as a word anywhere; a plain word (`search`) only where
 * it is plainly a tool name (quoted, or followed by "tool"), or ordinary prose would match.
 */
function toolNamePatterns(names: readonly string[]): { name: string; pattern: RegExp }[] {
  const out: { name: string; pattern: RegExp }[] = [];
  for (const name of new Set(names)) {
    const normal = toMatchText(name);
    if (normal.length < 3) continue;
    const escaped = normal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const distinctive = /[_\-.\d]/.test(name) || /[a-z][A-Z]/.test(name);
    const pattern = distinctive
      ? new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`)
      : new RegExp(`[\`'"]${escaped}[\`'"]|\\b${escaped} (?:tool|function)\\b`);
    out.push({ name, pattern });
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
