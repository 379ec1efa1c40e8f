/**
 * Falco alerts as its JSON output writes them (`json_output: true`, delivered by `http_output` or
 * read from a file) and as falcosidekick forwards them to a webhook (the same fields plus `uuid`).
 * A Falco alert is a rule that fired, so every one is category `alert`; process, parents,
 * container, Kubernetes, network and file are filled from whatever `output_fields` the rule's
 * output named (https://falco.org/docs/reference/rules/supported-fields/).
 */
import type { Severity } from "../core/index.js";
import type { RuntimePayloadInput, SensorConversion } from "./conversion.js";
import { normaliseContainerId, type RuntimeProcess } from "./event.js";
import {
  boundedArgs,
  createFieldReader,
  dropUndefined,
  type FieldReader,
  isRecord,
  jsonKind,
  someDefined,
  toCount,
  toEpochMillis,
  toIp,
  toPort,
  toUid,
} from "./values.js";

/** Falco's priorities, most to least severe (falco.yaml `priority`, rule `priority`). */
export const FALCO_PRIORITIES = [
  "Emergency",
  "Alert",
  "Critical",
  "Error",
  "Warning",
  "Notice",
  "Informational",
  "Debug",
] as const;
export type FalcoPriority = (typeof FALCO_PRIORITIES)[number];

/**
 * Falco priority to Palisade severity. The three syslog levels above Error all mean "act now" and
 * collapse to critical; Error is high; Warning, the priority most stock rules carry, is medium;
 * Notice is low; Informational and Debug are info.
 */
export const FALCO_PRIORITY_SEVERITY: Readonly<Record<FalcoPriority, Severity>> = Object.freeze({
  Emergency: "critical",
  Alert: "critical",
  Critical: "critical",
  Error: "high",
  Warning: "medium",
  Notice: "low",
  Informational: "info",
  Debug: "info",
});

/** Severity given to an alert whose priority is missing or not one of Falco's words. */
export const FALCO_UNKNOWN_PRIORITY_SEVERITY: Severity = "medium";

/** The priority word as Falco spells it, accepting any case and the short `info`. */
export function toFalcoPriority(value: unknown): FalcoPriority | undefined {
  if (typeof value !== "string") return undefined;
  const lower = value.toLowerCase();
  if (lower === "info") return "Informational";
  return FALCO_PRIORITIES.find((p) => p.toLowerCase() === lower);
}

/** Deepest `proc.aname[N]` level read; `proc.aname[1]` is the parent. */
const MAX_ANCESTOR_LEVEL = 16;

/**
 * Every `output_fields` key this parser reads. A rule whose output names only these normalises
 * completely; rules/falco/palisade-ai.yaml is tested against this list.
 */
export const FALCO_OUTPUT_FIELDS: readonly string[] = Object.freeze([
  "evt.type",
  "evt.is_open_read",
  "evt.is_open_write",
  "proc.pid",
  "proc.exepath",
  "proc.exe",
  "proc.name",
  "proc.args",
  "proc.cmdline",
  "proc.cwd",
  "proc.ppid",
  "proc.pexepath",
  "proc.pexe",
  "proc.pname",
  "proc.pcmdline",
  ...Array.from({ length: MAX_ANCESTOR_LEVEL }, (_, i) => `proc.aname[${i + 1}]`),
  ...Array.from({ length: MAX_ANCESTOR_LEVEL }, (_, i) => `proc.apid[${i + 1}]`),
  "user.uid",
  "user.name",
  "container.id",
  "container.name",
  "container.image",
  "container.image.repository",
  "container.image.tag",
  "container.image.digest",
  "k8s.ns.name",
  "k8s.pod.name",
  "fd.name",
  "fs.path.name",
  "fd.sip",
  "fd.sport",
  "fd.cip",
  "fd.cport",
  "fd.lip",
  "fd.lport",
  "fd.rip",
  "fd.rport",
  "fd.l4proto",
]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Convert one parsed Falco or falcosidekick alert. Unknown extra fields are ignored. */
export function toFalcoEvent(raw: unknown): SensorConversion {
  if (!isRecord(raw)) return { ok: false, reason: `expected a Falco alert object, got ${jsonKind(raw)}` };
  if (typeof raw.rule !== "string" || raw.rule.trim() === "")
    return { ok: false, reason: raw.rule === undefined ? "missing rule" : "rule must be a non-empty string" };
  if (raw.time === undefined) return { ok: false, reason: "missing time" };
  const time = toEpochMillis(raw.time);
  if (time === undefined) return { ok: false, reason: "time is not an RFC 3339 timestamp at or after 1970" };
  if (raw.output_fields !== undefined && raw.output_fields !== null && !isRecord(raw.output_fields))
    return { ok: false, reason: `output_fields must be an object, got ${jsonKind(raw.output_fields)}` };
  const fields: Record<string, unknown> = isRecord(raw.output_fields) ? raw.output_fields : {};
  const read = createFieldReader();
  const priority = toFalcoPriority(raw.priority);

  const payload: RuntimePayloadInput = {
    source: "falco",
    category: "alert",
    rule: read.text(raw.rule, 512, "rule"),
    severity: priority ? FALCO_PRIORITY_SEVERITY[priority] : FALCO_UNKNOWN_PRIORITY_SEVERITY,
    priority: priority ?? read.text(raw.priority, 32, "priority"),
    message: read.text(raw.output, 4096, "message"),
    node: read.text(raw.hostname, 253, "node"),
    container: container(fields, read),
    k8s: kubernetes(fields, read),
    process: process(fields, read),
    ancestors: ancestors(fields, read),
    network: network(fields, read),
    file: file(fields, read),
    tags: tags(raw.tags, read),
  };
  const sourceId = typeof raw.uuid === "string" && UUID.test(raw.uuid) ? raw.uuid.toLowerCase() : undefined;
  return { ok: true, time, payload: dropUndefined(payload), sourceId, truncated: [...read.truncated] };
}

function container(f: Record<string, unknown>, read: FieldReader): RuntimePayloadInput["container"] {
  const rawId = f["container.id"];
  if (rawId === "host") return undefined;
  const repository = read.text(f["container.image.repository"], 1024, "container.image");
  const tag = read.text(f["container.image.tag"], 128, "container.image");
  const image =
    read.text(f["container.image"], 1024, "container.image") ??
    (repository && tag ? read.text(`${repository}:${tag}`, 1024, "container.image") : repository);
  const digest = typeof f["container.image.digest"] === "string" ? f["container.image.digest"].toLowerCase() : "";
  const c = {
    id: normaliseContainerId(typeof rawId === "string" ? rawId : undefined),
    name: read.text(f["container.name"], 256, "container.name"),
    image,
    imageDigest: /^sha256:[0-9a-f]{64}$/.test(digest) ? digest : undefined,
  };
  return someDefined(c) ? dropUndefined(c) : undefined;
}

function kubernetes(f: Record<string, unknown>, read: FieldReader): RuntimePayloadInput["k8s"] {
  const k = {
    namespace: read.text(f["k8s.ns.name"], 253, "k8s.namespace"),
    pod: read.text(f["k8s.pod.name"], 253, "k8s.pod"),
  };
  return someDefined(k) ? dropUndefined(k) : undefined;
}

function process(f: Record<string, unknown>, read: FieldReader): RuntimeProcess | undefined {
  const binary = read.first([f["proc.exepath"], f["proc.exe"], f["proc.name"]], 4096, "process.binary");
  if (!binary) return undefined;
  const args =
    typeof f["proc.args"] === "string"
      ? splitWords(f["proc.args"])
      : typeof f["proc.cmdline"] === "string"
        ? splitWords(f["proc.cmdline"]).slice(1)
        : [];
  return dropUndefined({
    pid: toCount(f["proc.pid"]),
    binary,
    args: boundedArgs(args, read, "process.args"),
    cwd: read.text(f["proc.cwd"], 4096, "process.cwd"),
    uid: toUid(f["user.uid"]),
    user: read.text(f["user.name"], 256, "process.user"),
  });
}

/**
 * Parent from `proc.p*` (or `proc.aname[1]`), then `proc.aname[2]`, `[3]`...: Falco reports names
 * and pids only above the parent. Stops at the first level the rule's output did not include, so
 * a position in the list is always the same generation.
 */
function ancestors(f: Record<string, unknown>, read: FieldReader): RuntimeProcess[] {
  const out: RuntimeProcess[] = [];
  const parentBinary = read.first(
    [f["proc.pexepath"], f["proc.pexe"], f["proc.pname"], f["proc.aname[1]"]],
    4096,
    "ancestors.binary",
  );
  if (!parentBinary) return out;
  const parentArgs = typeof f["proc.pcmdline"] === "string" ? splitWords(f["proc.pcmdline"]).slice(1) : [];
  out.push(
    dropUndefined({
      pid: toCount(f["proc.ppid"]) ?? toCount(f["proc.apid[1]"]),
      binary: parentBinary,
      args: boundedArgs(parentArgs, read, "ancestors.args"),
    }),
  );
  for (let level = 2; level <= MAX_ANCESTOR_LEVEL; level++) {
    const binary = read.text(f[`proc.aname[${level}]`], 4096, "ancestors.binary");
    if (!binary) break;
    out.push(dropUndefined({ pid: toCount(f[`proc.apid[${level}]`]), binary, args: [] }));
  }
  return out;
}

const TUPLE = /^(.+):(\d{1,5})->(.+):(\d{1,5})$/;

/**
 * Client is the source and server the destination (`fd.cip` → `fd.sip`), which is the direction
 * of the connection for both outbound connects and inbound accepts. Falls back to local/remote
 * and then to the `fd.name` tuple (`10.0.0.5:41234->1.2.3.4:443`).
 */
function network(f: Record<string, unknown>, read: FieldReader): RuntimePayloadInput["network"] {
  const tuple = typeof f["fd.name"] === "string" ? TUPLE.exec(f["fd.name"]) : null;
  const n = {
    protocol: read.text(
      typeof f["fd.l4proto"] === "string" ? f["fd.l4proto"].toLowerCase() : undefined,
      16,
      "network.protocol",
    ),
    srcIp: toIp(f["fd.cip"]) ?? toIp(f["fd.lip"]) ?? toIp(tuple?.[1]),
    srcPort: toPort(f["fd.cport"]) ?? toPort(f["fd.lport"]) ?? toPort(tuple?.[2]),
    dstIp: toIp(f["fd.sip"]) ?? toIp(f["fd.rip"]) ?? toIp(tuple?.[3]),
    dstPort: toPort(f["fd.sport"]) ?? toPort(f["fd.rport"]) ?? toPort(tuple?.[4]),
  };
  const { protocol, ...endpoints } = n;
  return someDefined(endpoints) ? dropUndefined(n) : undefined;
}

/** A file when `fd.name` (or `fs.path.name`) is a path; sockets and pipes are not files. */
function file(f: Record<string, unknown>, read: FieldReader): RuntimePayloadInput["file"] {
  const candidate = [f["fd.name"], f["fs.path.name"]].find((v) => typeof v === "string" && v.startsWith("/"));
  const path = read.text(candidate, 4096, "file.path");
  if (!path) return undefined;
  const operation =
    f["evt.is_open_write"] === true || f["evt.is_open_write"] === "true"
      ? "write"
      : f["evt.is_open_read"] === true || f["evt.is_open_read"] === "true"
        ? "read"
        : read.text(f["evt.type"], 64, "file.operation");
  return dropUndefined({ path, operation });
}

function tags(value: unknown, read: FieldReader): string[] {
  if (!Array.isArray(value)) return [];
  const texts = value.map((t) => read.text(t, 128, "tags")).filter((t): t is string => t !== undefined);
  return read.list(texts, 64, "tags");
}

/** Falco joins argv with single spaces and no quoting, so whitespace is the only separator it leaves. */
function splitWords(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== "");
}
