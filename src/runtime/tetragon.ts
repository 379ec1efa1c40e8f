/**
 * Tetragon events as its JSON export writes them (`tetra getevents -o json`, the export file):
 * one object per line whose single key names the event (`process_exec`, `process_exit`,
 * `process_kprobe`...), with `node_name` and `time` beside it
 * (https://tetragon.io/docs/reference/grpc-api/ for the fields, protobuf JSON mapping).
 */
import type { Severity } from "../core/index.js";
import type { RuntimePayloadInput, SensorConversion } from "./conversion.js";
import { normaliseContainerId, type RuntimeCategory, type RuntimeProcess } from "./event.js";
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

/** Event types read. Hooks (kprobe, tracepoint, uprobe, LSM) share one shape: a policy fired on a call. */
export const TETRAGON_EVENT_TYPES = [
  "process_exec",
  "process_exit",
  "process_kprobe",
  "process_tracepoint",
  "process_uprobe",
  "process_lsm",
] as const;
export type TetragonEventType = (typeof TETRAGON_EVENT_TYPES)[number];

/**
 * Severity by what happened: every exec and exit is exported whether or not anything is wrong, so
 * they are info; a hook only fires because a TracingPolicy selected the call, so it is medium; a
 * hook whose policy acted (killed the process, overrode the return value, notified an enforcer)
 * matched a deny rule and is high.
 */
export const TETRAGON_SEVERITY = Object.freeze({
  observation: "info",
  policy: "medium",
  enforced: "high",
} as const satisfies Record<string, Severity>);

const ENFORCING_ACTIONS = new Set(["SIGKILL", "OVERRIDE", "NOTIFYENFORCER", "NOTIFY_ENFORCER"]);

/** Convert one parsed Tetragon export line. Unknown extra fields are ignored. */
export function toTetragonEvent(raw: unknown): SensorConversion {
  if (!isRecord(raw)) return { ok: false, reason: `expected a Tetragon event object, got ${jsonKind(raw)}` };
  const type = TETRAGON_EVENT_TYPES.find((t) => raw[t] !== undefined);
  if (!type)
    return { ok: false, reason: `no supported Tetragon event (expected one of ${TETRAGON_EVENT_TYPES.join(", ")})` };
  const body = raw[type];
  if (!isRecord(body)) return { ok: false, reason: `${type} must be an object, got ${jsonKind(body)}` };
  if (raw.time === undefined) return { ok: false, reason: "missing time" };
  const time = toEpochMillis(raw.time);
  if (time === undefined) return { ok: false, reason: "time is not an RFC 3339 timestamp at or after 1970" };
  if (!isRecord(body.process)) return { ok: false, reason: `${type}.process is missing or not an object` };
  const read = createFieldReader();
  const proc = toProcess(body.process, read, "process");
  if (!proc && (type === "process_exec" || type === "process_exit"))
    return { ok: false, reason: `${type}.process.binary is missing` };

  const pod = isRecord(body.process.pod) ? body.process.pod : {};
  const base = {
    source: "tetragon" as const,
    node: read.text(raw.node_name, 253, "node"),
    container: container(body.process, pod, read),
    k8s: kubernetes(pod, read),
    process: proc,
    ancestors: ancestry(body, read),
  };
  let payload: RuntimePayloadInput;
  if (type === "process_exec")
    payload = {
      ...base,
      category: "exec",
      severity: TETRAGON_SEVERITY.observation,
      message: `process_exec ${proc?.binary}`,
    };
  else if (type === "process_exit")
    payload = {
      ...base,
      category: "exit",
      severity: TETRAGON_SEVERITY.observation,
      message: `process_exit ${proc?.binary}${exitDetail(body)}`,
    };
  else payload = { ...base, ...hook(type, body, read), severity: hookSeverity(body.action) };
  return { ok: true, time, payload: dropUndefined(payload), truncated: [...read.truncated] };
}

function toProcess(p: Record<string, unknown>, read: FieldReader, field: string): RuntimeProcess | undefined {
  const binary = read.text(p.binary, 4096, `${field}.binary`);
  if (!binary) return undefined;
  const user = isRecord(p.user) ? p.user.name : undefined;
  return dropUndefined({
    pid: toCount(p.pid),
    binary,
    args: boundedArgs(
      typeof p.arguments === "string" ? splitTetragonArguments(p.arguments) : [],
      read,
      `${field}.args`,
    ),
    cwd: read.text(p.cwd, 4096, `${field}.cwd`),
    uid: toUid(p.uid),
    user: read.text(user, 256, `${field}.user`),
  });
}

/** The parent, then `ancestors` (Tetragon's `--enable-process-ancestors`, nearest first), capped at 16. */
function ancestry(body: Record<string, unknown>, read: FieldReader): RuntimeProcess[] {
  const chain = [body.parent, ...(Array.isArray(body.ancestors) ? body.ancestors.slice(0, 17) : [])];
  const out: RuntimeProcess[] = [];
  for (const p of chain) {
    const proc = isRecord(p) ? toProcess(p, read, "ancestors") : undefined;
    if (!proc) break;
    out.push(proc);
  }
  return read.list(out, 16, "ancestors");
}

/**
 * The container: Kubernetes' id (`containerd://<64 hex>`) when Tetragon resolved the pod, else
 * the cgroup-derived `docker` id. The image reference is `pod.container.image.name`; its digest
 * comes from `image.id` (`repo@sha256:...` or `sha256:...`).
 */
function container(
  p: Record<string, unknown>,
  pod: Record<string, unknown>,
  read: FieldReader,
): RuntimePayloadInput["container"] {
  const c = isRecord(pod.container) ? pod.container : {};
  const image = isRecord(c.image) ? c.image : {};
  const rawId = typeof c.id === "string" ? c.id : typeof p.docker === "string" ? p.docker : undefined;
  const imageId = typeof image.id === "string" ? image.id.toLowerCase() : "";
  const digest = /(?:^|@)(sha256:[0-9a-f]{64})$/.exec(imageId)?.[1];
  const out = {
    id: normaliseContainerId(rawId),
    name: read.text(c.name, 256, "container.name"),
    image: read.text(image.name, 1024, "container.image"),
    imageDigest: digest,
  };
  return someDefined(out) ? dropUndefined(out) : undefined;
}

function kubernetes(pod: Record<string, unknown>, read: FieldReader): RuntimePayloadInput["k8s"] {
  const k = { namespace: read.text(pod.namespace, 253, "k8s.namespace"), pod: read.text(pod.name, 253, "k8s.pod") };
  return someDefined(k) ? dropUndefined(k) : undefined;
}

function exitDetail(body: Record<string, unknown>): string {
  if (typeof body.signal === "string" && body.signal !== "") return ` signal=${body.signal.slice(0, 32)}`;
  const status = toCount(body.status);
  return status === undefined ? "" : ` status=${status}`;
}

function hookSeverity(action: unknown): Severity {
  const word = typeof action === "string" ? action.toUpperCase().replace(/^KPROBE_ACTION_/, "") : "";
  return ENFORCING_ACTIONS.has(word) ? TETRAGON_SEVERITY.enforced : TETRAGON_SEVERITY.policy;
}

type HookFields = Pick<RuntimePayloadInput, "category" | "rule" | "message" | "network" | "file" | "tags">;

/** A hook event: network when it carries a socket or is a connect/send-like call, file likewise, else other. */
function hook(type: TetragonEventType, body: Record<string, unknown>, read: FieldReader): HookFields {
  const fn = hookName(type, body);
  const args = Array.isArray(body.args) ? body.args.slice(0, 64).filter(isRecord) : [];
  const sock = args.map((a) => a.sock_arg ?? a.skb_arg ?? a.sockaddr_arg).find(isRecord);
  const path = args.map((a) => pathOf(a)).find((p) => p !== undefined);
  let category: RuntimeCategory = "other";
  if (sock || (!path && NETWORK_CALL.test(fn))) category = "network";
  else if (path || FILE_CALL.test(fn)) category = "file";
  const binary = isRecord(body.process) && typeof body.process.binary === "string" ? body.process.binary : "?";
  const action =
    typeof body.action === "string" ? ` (${body.action.replace(/^KPROBE_ACTION_/, "").toLowerCase()})` : "";
  return dropUndefined({
    category,
    rule: read.text(body.policy_name, 512, "rule"),
    message: read.text(
      typeof body.message === "string" && body.message !== "" ? body.message : `${fn || type} by ${binary}${action}`,
      4096,
      "message",
    ),
    network: category === "network" && sock ? socket(sock, fn, read) : undefined,
    file:
      category === "file" && path
        ? dropUndefined({ path: read.text(path, 4096, "file.path") ?? "/", operation: fileOperation(fn, args) })
        : undefined,
    tags: Array.isArray(body.tags)
      ? read.list(
          body.tags.map((t) => read.text(t, 128, "tags")).filter((t): t is string => t !== undefined),
          64,
          "tags",
        )
      : [],
  });
}

const NETWORK_CALL = /connect|sendmsg|recvmsg|accept|bind|listen|sendto|recvfrom|tcp_|udp_|inet_/;
const FILE_CALL = /file|fd_install|open|unlink|rename|truncate|write|read|mmap|chmod|chown|mkdir|rmdir|link|mount/;

function hookName(type: TetragonEventType, body: Record<string, unknown>): string {
  const name =
    type === "process_tracepoint"
      ? [body.subsys, body.event].filter((v) => typeof v === "string").join("/")
      : type === "process_uprobe"
        ? body.symbol
        : body.function_name;
  return typeof name === "string" ? name.slice(0, 256) : "";
}

/** The path of a `file_arg`, `path_arg`, `linux_binprm_arg`, or an absolute `string_arg` (openat's filename). */
function pathOf(arg: Record<string, unknown>): string | undefined {
  for (const key of ["file_arg", "path_arg", "linux_binprm_arg"]) {
    const v = arg[key];
    if (isRecord(v) && typeof v.path === "string" && v.path !== "") return v.path;
  }
  return typeof arg.string_arg === "string" && arg.string_arg.startsWith("/") ? arg.string_arg : undefined;
}

/** MAY_WRITE and MAY_READ bits of `security_file_permission`'s mask (include/linux/fs.h). */
const MAY_WRITE = 0x2;
const MAY_READ = 0x4;

function fileOperation(fn: string, args: Record<string, unknown>[]): string {
  if (fn === "security_file_permission") {
    const mask = args.map((a) => toCount(a.int_arg)).find((m) => m !== undefined);
    if (mask !== undefined && mask & MAY_WRITE) return "write";
    if (mask !== undefined && mask & MAY_READ) return "read";
    return "access";
  }
  if (/fd_install|file_open|open/.test(fn)) return "open";
  for (const op of ["unlink", "rename", "truncate", "write", "read", "mmap", "chmod", "chown"])
    if (fn.includes(op)) return op;
  return fn.slice(0, 64) || "access";
}

const PROTOCOLS: Record<string, string> = {
  IPPROTO_TCP: "tcp",
  IPPROTO_UDP: "udp",
  IPPROTO_ICMP: "icmp",
  IPPROTO_ICMPV6: "icmpv6",
};

/** `sock_arg`/`skb_arg` {saddr, daddr, sport, dport, protocol}, `sockaddr_arg` {addr, port}. */
function socket(s: Record<string, unknown>, fn: string, read: FieldReader): RuntimePayloadInput["network"] {
  const proto = typeof s.protocol === "string" ? s.protocol : typeof s.proto === "string" ? s.proto : undefined;
  const protocol =
    (proto && (PROTOCOLS[proto.toUpperCase()] ?? proto.toLowerCase())) ??
    (s.type === "SOCK_STREAM" || fn.startsWith("tcp_")
      ? "tcp"
      : s.type === "SOCK_DGRAM" || fn.startsWith("udp_")
        ? "udp"
        : undefined);
  const n = {
    protocol: read.text(protocol, 16, "network.protocol"),
    srcIp: toIp(s.saddr),
    srcPort: toPort(s.sport),
    dstIp: toIp(s.daddr) ?? toIp(s.addr),
    dstPort: toPort(s.dport) ?? toPort(s.port),
  };
  return someDefined(n) ? dropUndefined(n) : undefined;
}

/**
 * Tetragon's `arguments` string back into argv. Tetragon joins argv with spaces and wraps an
 * argument that contains a space in double quotes, without escaping anything inside
 * (pkg/process ArgsDecoder), so a quote opens only at the start of a word and closes only before
 * a space or the end. Empty arguments cannot be recovered.
 */
export function splitTetragonArguments(text: string): string[] {
  const n = text.length;
  // Quotes that can close an argument, ascending: found once so the split stays linear.
  const closers: number[] = [];
  for (let k = text.indexOf('"'); k !== -1; k = text.indexOf('"', k + 1))
    if (k + 1 === n || text[k + 1] === " ") closers.push(k);
  const out: string[] = [];
  let next = 0;
  let i = 0;
  while (i < n) {
    while (i < n && text[i] === " ") i++;
    if (i >= n) break;
    if (text[i] === '"') {
      while (next < closers.length && (closers[next] as number) <= i) next++;
      const close = closers[next];
      if (close !== undefined) {
        out.push(text.slice(i + 1, close));
        i = close + 1;
        continue;
      }
    }
    let end = text.indexOf(" ", i);
    if (end === -1) end = n;
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}
