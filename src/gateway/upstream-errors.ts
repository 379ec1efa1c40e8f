/**
 * What a client may see of an upstream's 4xx error message. Inference servers put whatever they
 * have at hand in their errors: the request's own text (PII), their internal URLs and addresses,
 * file paths, Python and JS stack traces, and sometimes the API key they were called with. The
 * message is extracted from the error body shapes real servers send, and stripped of all that;
 * a body of unknown shape gives a fixed text instead, never raw upstream text.
 */

/** Longest upstream message passed on to a client (characters). */
export const UPSTREAM_MESSAGE_LIMIT = 500;
/** What a client sees when the upstream's message cannot be passed on. */
export const UPSTREAM_FALLBACK_MESSAGE = "the upstream rejected the request";

export interface SanitiseUpstreamOptions {
  /** Credentials of the upstream (its API key, ...) that must never reach a client. */
  secrets: readonly string[];
  /** Names of the upstream's own host (from its configured URL), shown as `<address>`. */
  addresses?: readonly string[];
  /** The gateway's PII and secrets redaction, applied last. */
  redact: (text: string) => string;
  /** Text for a body whose message cannot be passed on (default UPSTREAM_FALLBACK_MESSAGE). */
  fallback?: string;
}

/** Only this much of a message is examined: enough for the limit, bounded for the patterns. */
const WINDOW = UPSTREAM_MESSAGE_LIMIT * 8;
const CREDENTIAL = "<credential>";
const ADDRESS = "<address>";
const PATH = "<path>";

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The message of an error body, in the shapes servers use:
 * OpenAI, LiteLLM and llama.cpp `{"error": {"message", "type", "code"}}`; Ollama and TGI
 * `{"error": "..."}`; vLLM `{"object": "error", "message"}` (and OpenAI's shape in newer
 * versions); FastAPI `{"detail": "..."}` or `{"detail": [{"loc", "msg", "type"}]}`.
 */
function messageOf(value: unknown, depth = 0): string | undefined {
  if (typeof value === "string") return value;
  if (depth > 3) return undefined;
  if (Array.isArray(value)) {
    const parts = value
      .slice(0, 10)
      .map((item) => messageOf(item, depth + 1))
      .filter((m): m is string => m !== undefined && m !== "");
    return parts.length > 0 ? parts.join("; ") : undefined;
  }
  if (!isRecord(value)) return undefined;
  if (typeof value.msg === "string") {
    // FastAPI validation: `loc` is the field path (["body", "messages", 0, "content"]).
    const loc = Array.isArray(value.loc) ? value.loc.filter((p) => p !== "body").join(".") : "";
    return loc ? `${loc}: ${value.msg}` : value.msg;
  }
  for (const key of ["error", "message", "detail"]) {
    if (value[key] === undefined || value[key] === null) continue;
    const found = messageOf(value[key], depth + 1);
    if (found !== undefined && found !== "") return found;
  }
  return undefined;
}

/** `text` with every occurrence of each needle replaced (plain text, no patterns). */
function replaceAll(text: string, needles: readonly string[], by: string): string {
  let out = text;
  for (const needle of needles) {
    if (needle === "") continue;
    out = out.split(needle).join(by);
    const encoded = encodeURIComponent(needle);
    if (encoded !== needle) out = out.split(encoded).join(by);
  }
  return out;
}

/** Stack-trace lines: JS/Java `at ...`, Python `Traceback`, `File "...", line N` and the source line under it. */
function withoutStackTraces(text: string): string {
  const lines = text.split(/\r?\n/);
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^\s*at\s+\S/.test(line) || /^\s*Traceback \(most recent call last\)/.test(line)) continue;
    if (/^\s*\.\.\. \d+ more\s*$/.test(line)) continue;
    const file = /^(\s*)File "[^"]*", line \d+/.exec(line);
    if (file) {
      // Python prints the failing source line under it, indented further.
      const next = lines[i + 1];
      const indent = file[1]?.length ?? 0;
      if (next !== undefined && next.search(/\S/) > indent) i++;
      continue;
    }
    kept.push(line);
  }
  return kept.join("\n");
}

const HOST_LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const IPV6_GROUPS =
  "(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,7}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?|::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?";
/** Patterns applied in order; each replaces what it finds with its placeholder. */
const LEAKS: readonly { pattern: RegExp; by: string }[] = [
  // Credentials: auth schemes, OpenAI-style keys (also masked `sk-...****abcd`), key=value pairs.
  { pattern: /\b(Bearer)\s+[A-Za-z0-9._~+/=*-]{8,}/gi, by: `$1 ${CREDENTIAL}` },
  // Basic only with base64 that has a digit or + / = in it, so "Basic authentication" stays.
  { pattern: /\b(Basic)\s+(?=[A-Za-z]*[0-9+/=])[A-Za-z0-9+/]{8,}={0,2}/gi, by: `$1 ${CREDENTIAL}` },
  { pattern: /\b(?:sk|rk|pk)-[A-Za-z0-9_*.-]{6,}/g, by: CREDENTIAL },
  { pattern: /\b(?:hf|pal|gsk|ghp|gho|xox[abp])_[A-Za-z0-9_-]{8,}/g, by: CREDENTIAL },
  {
    pattern: /\b(api[_-]?key|access[_-]?token|token|secret|password|passwd)(["']?\s*[:=]\s*["']?)[^\s"',;)}]+/gi,
    by: `$1$2${CREDENTIAL}`,
  },
  // URLs of any scheme (they name hosts, paths, and sometimes credentials in the query).
  { pattern: /\b[a-z][a-z0-9+.-]{1,15}:\/\/[^\s"'<>()[\]{}]+/gi, by: ADDRESS },
  // File paths of a server's inside: Unix system and home folders, Windows drives and shares.
  {
    pattern:
      /(?<![\w.~/-])\/(?:home|root|opt|usr|var|srv|tmp|etc|mnt|app|apps|data|models?|workspace|workdir|code|src|run|proc|sys|lib|lib64|snap|nix|Users|Library|Volumes|private)(?:\/[^\s"'<>:,;()[\]{}]*)?/g,
    by: PATH,
  },
  { pattern: /\b[A-Za-z]:\\[^\s"'<>,;()[\]{}]*/g, by: PATH },
  { pattern: /\\\\[A-Za-z0-9._$-]+\\[^\s"'<>,;()[\]{}]*/g, by: PATH },
  // IP literals, with brackets, zone and port when present.
  {
    pattern: new RegExp(
      `\\[(?:${IPV6_GROUPS})(?:%[\\w.]+)?\\](?::\\d{1,5})?|(?<![\\w:.])(?:${IPV6_GROUPS})(?:%[\\w.]+)?(?![\\w:])`,
      "gi",
    ),
    by: ADDRESS,
  },
  { pattern: /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?(?![\w.])/g, by: ADDRESS },
  // Private and loopback host names, then any host:port.
  {
    pattern: new RegExp(
      `(?<![\\w.-])(?:localhost|(?:${HOST_LABEL}\\.)*${HOST_LABEL}\\.(?:internal|local|localdomain|lan|corp|intranet|private|svc|cluster\\.local|home\\.arpa))(?::\\d{1,5})?(?![\\w-])`,
      "gi",
    ),
    by: ADDRESS,
  },
  // A host name has a letter in it, so a time (12:30) is not taken for one.
  {
    pattern: new RegExp(`(?<![\\w.-])(?=[a-z0-9.-]*[a-z])(?:${HOST_LABEL}\\.)*${HOST_LABEL}:\\d{2,5}(?![\\w.])`, "gi"),
    by: ADDRESS,
  },
];

/**
 * An upstream's error body made safe to show the client: the message extracted, its upstream
 * credentials, addresses, internal paths and stack traces removed, the gateway's redaction
 * applied, at most UPSTREAM_MESSAGE_LIMIT characters. A body of unknown shape, or one whose
 * message still holds a credential afterwards, gives `fallback`.
 */
export function sanitiseUpstreamMessage(text: string, opts: SanitiseUpstreamOptions): string {
  const fallback = opts.fallback ?? UPSTREAM_FALLBACK_MESSAGE;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fallback;
  }
  const extracted = isRecord(parsed) ? messageOf(parsed) : typeof parsed === "string" ? parsed : undefined;
  if (extracted === undefined) return fallback;

  const secrets = opts.secrets.filter((s) => s !== "");
  // Credentials go first, on the whole message, so none is cut in half by the window below.
  let message = replaceAll(extracted, secrets, CREDENTIAL).slice(0, WINDOW);
  message = replaceAll(message, opts.addresses ?? [], ADDRESS);
  message = withoutStackTraces(message);
  for (const { pattern, by } of LEAKS) message = message.replace(pattern, by);
  message = cap(message.replace(/\s+/g, " ").trim());
  try {
    message = cap(opts.redact(message));
  } catch {
    return fallback;
  }
  if (message === "" || secrets.some((s) => message.includes(s))) return fallback;
  return message;
}

function cap(text: string): string {
  return text.length <= UPSTREAM_MESSAGE_LIMIT ? text : `${text.slice(0, UPSTREAM_MESSAGE_LIMIT - 1)}…`;
}
