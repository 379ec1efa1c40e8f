/**
 * Misconfiguration checks of an image: what it runs as, what its configuration exposes, and
 * what its file system carries that a runtime image should not.
 */
import type { Finding, Severity } from "../../core/index.js";
import type { TextDetector } from "../../detect/index.js";
import type { FsNode } from "./layers.js";
import type { ImageConfig } from "./oci.js";

function finding(
  ruleId: string,
  severity: Severity,
  title: string,
  detail: string,
  remediation: string,
  location?: Finding["location"],
): Finding {
  return {
    ruleId: `image/${ruleId}`,
    severity,
    title,
    detail,
    references: [],
    owasp: [],
    atlas: [],
    remediation,
    ...(location ? { location } : {}),
  };
}

/** Checks of the image configuration (user, environment, labels, ports, health check). */
export function checkConfig(config: ImageConfig, secrets: TextDetector): Finding[] {
  const out: Finding[] = [];
  const c = config.config ?? {};
  const user = (c.User ?? "").trim();
  const name = user.split(":")[0] ?? "";
  if (name === "" || name === "root" || name === "0")
    out.push(
      finding(
        "runs-as-root",
        "high",
        "Image runs as root",
        user === "" ? "the image sets no USER, so its process runs as uid 0" : `USER is ${user}`,
        "add a non-root user and `USER 10001` (or a named user) to the Dockerfile",
      ),
    );
  for (const [where, entries] of [
    ["ENV", (c.Env ?? []).map((e) => [e.split("=")[0] ?? e, e.slice(e.indexOf("=") + 1)] as const)],
    ["LABEL", Object.entries(c.Labels ?? {})],
  ] as const) {
    for (const [key, value] of entries) {
      const found = secrets.detect(`${key}=${value}`);
      if (found.length === 0) continue;
      out.push(
        finding(
          "secret-in-config",
          "critical",
          `Secret in image ${where}`,
          `${where} ${key} holds a ${found[0]?.entity} (value not shown); anyone who can pull the image can read it`,
          "pass secrets at run time (a mounted secret or the orchestrator's secret store), never bake them into the image",
        ),
      );
    }
  }
  const ports = Object.keys(c.ExposedPorts ?? {});
  if (ports.length > 0)
    out.push(
      finding(
        "exposed-ports",
        "info",
        "Image exposes ports",
        `EXPOSE ${ports.join(" ")}`,
        "expose only what clients need, and put model servers behind the gateway",
      ),
    );
  const health = c.Healthcheck?.Test ?? [];
  if (health.length === 0 || health[0] === "NONE")
    out.push(
      finding(
        "no-healthcheck",
        "low",
        "Image has no HEALTHCHECK",
        "without a health check an orchestrator cannot tell a hung inference server from a working one",
        "add a HEALTHCHECK (or a Kubernetes liveness probe) that calls the server's health endpoint",
      ),
    );
  return out;
}

/** Tools a runtime image does not need: each is a foothold for whoever gets a shell. */
const TOOLS: { kind: string; names: Set<string> }[] = [
  { kind: "shell", names: new Set(["sh", "bash", "dash", "ash", "zsh", "busybox"]) },
  {
    kind: "package manager",
    names: new Set(["apt", "apt-get", "dpkg", "apk", "yum", "dnf", "rpm", "microdnf", "pip", "pip3", "npm"]),
  },
  { kind: "compiler", names: new Set(["gcc", "cc", "g++", "clang", "make", "go", "rustc"]) },
  { kind: "network tool", names: new Set(["curl", "wget", "nc", "ncat", "netcat", "ssh", "scp"]) },
];
const BIN_DIRS = /^(bin|sbin|usr\/bin|usr\/sbin|usr\/local\/bin|usr\/local\/sbin)\/[^/]+$/;

/** Checks of the file system: SUID/SGID files, world-writable paths, tools a runtime image should not ship. */
export function checkFiles(files: Iterable<[string, FsNode]>): Finding[] {
  const out: Finding[] = [];
  const tools = new Map<string, string[]>();
  const worldWritable: string[] = [];
  for (const [path, node] of files) {
    if (node.type === "file" && (node.mode & 0o6000) !== 0) {
      const bits = [node.mode & 0o4000 ? "SUID" : "", node.mode & 0o2000 ? "SGID" : ""].filter(Boolean).join("+");
      out.push(
        finding(
          "setuid-file",
          "medium",
          `${bits} file`,
          `/${path} is ${bits} (mode ${(node.mode & 0o7777).toString(8)}), owner uid ${node.uid}`,
          "remove the bit (chmod u-s,g-s) or the file, unless the image needs it to switch users",
          { path: `/${path}`, layer: String(node.layer) },
        ),
      );
    }
    // World-writable without the sticky bit (the sticky bit is what makes /tmp safe).
    if ((node.type === "file" || node.type === "dir") && (node.mode & 0o002) !== 0 && (node.mode & 0o1000) === 0)
      worldWritable.push(`/${path}`);
    if ((node.type === "file" || node.type === "symlink") && BIN_DIRS.test(path)) {
      const base = path.slice(path.lastIndexOf("/") + 1);
      for (const t of TOOLS) if (t.names.has(base)) tools.set(t.kind, [...(tools.get(t.kind) ?? []), `/${path}`]);
    }
  }
  if (worldWritable.length > 0)
    out.push(
      finding(
        "world-writable",
        "medium",
        "World-writable paths",
        `${worldWritable.length} path(s) anyone can write: ${worldWritable.slice(0, 5).join(", ")}${worldWritable.length > 5 ? ", ..." : ""}`,
        "chmod o-w, or set the sticky bit on shared directories",
      ),
    );
  for (const [kind, paths] of tools)
    out.push(
      finding(
        `runtime-${kind.replace(" ", "-")}`,
        "low",
        `Runtime image ships a ${kind}`,
        `${paths.slice(0, 6).join(", ")}${paths.length > 6 ? ", ..." : ""}`,
        `build from a distroless or slim base, or remove the ${kind} in the final stage of a multi-stage build`,
      ),
    );
  return out;
}
