/**
 * Credentials written into an MCP server's configuration: literal values in its `env`,
 * `headers`, arguments or URL. A reference the client resolves at launch (`${input:token}`,
 * `${env:GITHUB_TOKEN}`, `{env:X}`, `$X`) or an empty value is fine; a literal credential is a
 * finding, whatever the variable is called. The shared secrets detector decides first; two
 * narrower checks catch what it has no rule for: a literal under a credential-like name, and a
 * long random-looking literal under any name.
 */
import type { Finding } from "../../core/index.js";
import type { TextDetector } from "../../detect/index.js";

/** Where a string in a server's config sits: its field (`env`, `headers`, `args`, `url`) and key. */
export interface ServerValue {
  field: string;
  key: string;
  value: string;
  line?: number;
}

/** A value the client fills in at launch, or a template placeholder: not a credential. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === "") return true;
  if (/\$\{[^}]*\}|\{env:[^}]+\}|\{\{[^}]*\}\}|%[A-Za-z_][A-Za-z0-9_]*%/.test(v)) return true;
  if (/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v)) return true;
  if (/^<[^>]*>$|^\[[^\]]*\]$/.test(v)) return true;
  return /^(?:bearer\s+)?(?:your|my|insert|enter|replace|put|add)[-_ ]|x{4,}|\.\.\.|changeme|placeholder|example|redacted|^(?:bearer\s+)?(?:token|secret|password|api[-_]?key)$/i.test(
    v,
  );
}

const CREDENTIAL_KEY =
  /token|secret|passw(?:or)?d|passwd|\bpwd\b|api[-_]?key|apikey|access[-_]?key|private[-_]?key|client[-_]?secret|credential|auth|bearer|session|cookie|(?:^|[-_])pat$|(?:^|[-_])key$/i;

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Values that are settings, not secrets: booleans, numbers, paths, plain URLs, lists of words. */
function looksLikeSetting(value: string): boolean {
  if (/^(?:true|false|yes|no|on|off|null|none)$/i.test(value)) return true;
  if (/^-?\d+(?:\.\d+)?$/.test(value)) return true;
  if (/^(?:[A-Za-z]:)?[\\/~.]/.test(value) || /^[\w.-]+\/[\w./-]*$/.test(value)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(value)) return true;
  if (/\s/.test(value.trim()) && !/^(?:bearer|basic|token)\s+\S+$/i.test(value.trim())) return true;
  return false;
}

/** A literal under a credential-like name: long enough and mixed enough to be a real value. */
function credentialUnderName(key: string, value: string): boolean {
  if (!CREDENTIAL_KEY.test(key) || /(?:file|path|dir|url|uri|host|endpoint|name|type|mode|id)$/i.test(key))
    return false;
  const v = value.replace(/^(?:bearer|basic|token)\s+/i, "");
  return v.length >= 8 && !looksLikeSetting(v) && /[A-Za-z]/.test(v) && /\d/.test(v);
}

/** A long random-looking literal (mixed case and digits, high entropy): a key under any name. */
function randomLiteral(value: string): boolean {
  const v = value.replace(/^(?:bearer|basic|token)\s+/i, "");
  return (
    v.length >= 24 && !looksLikeSetting(v) && /[a-z]/.test(v) && /[A-Z]/.test(v) && /\d/.test(v) && entropy(v) >= 4
  );
}

/** Findings for literal credentials among a server's values. */
export function serverSecretFindings(options: {
  server: string;
  file: string;
  values: readonly ServerValue[];
  secrets?: TextDetector;
}): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const item of options.values) {
    if (isPlaceholder(item.value)) continue;
    const named = item.field === "env" || item.field === "headers";
    const probe = named ? `${item.key}=${item.value}` : item.value;
    const detected = options.secrets?.detect(probe)[0];
    let what: string | undefined;
    let severity: Finding["severity"] = "critical";
    if (detected) what = `a ${detected.entity} (${detected.ruleId})`;
    else if (named && credentialUnderName(item.key, item.value)) {
      what = "a credential";
      severity = "high";
    } else if (randomLiteral(item.value)) {
      what = "a random-looking literal";
      severity = "high";
    }
    if (!what) continue;
    const where = item.field === "args" ? `argument ${item.key}` : `${item.field}.${item.key}`;
    const fingerprint = `code.mcp-config-secret:${options.file}:${options.server}:${item.field}:${item.key}`;
    if (seen.has(fingerprint)) continue;
    seen.add(fingerprint);
    findings.push({
      ruleId: "code.mcp-config-secret",
      severity,
      title: `MCP server "${options.server}" has ${what} written in ${where}`,
      detail:
        `The configuration of MCP server "${options.server}" in ${options.file} holds ${what} as a literal in ${where}. ` +
        // biome-ignore lint/suspicious/noTemplateCurlyInString: VS Code's reference syntax, shown to the user
        "Rotate it, and let the client supply it at launch instead (VS Code `${input:...}` or `${env:...}`, or the variable from the environment).",
      location: { path: options.file, ...(item.line ? { line: item.line } : {}) },
      references: ["https://modelcontextprotocol.io/specification/2025-06-18/basic/security_best_practices"],
      owasp: ["LLM02:2025"],
      atlas: ["AML.T0055"],
      fingerprint,
    });
  }
  return findings;
}
