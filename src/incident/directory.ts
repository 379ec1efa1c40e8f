/**
 * The inventory as correlation and traces ask it: a container's workload and image (from the
 * Kubernetes inventory), an MCP server's image and workload (from the MCP configuration), the
 * worst vulnerability in an image (from its stored scan). Answers are cached for a while: a
 * flood of events from one container asks once.
 */
import { type McpConfig, SEVERITIES, type Severity, severityRank } from "../core/index.js";
import { workloadOfContainer } from "../gate/index.js";
import type { Db } from "./events.js";
import type { ImageSeverityLookup } from "./match.js";
import type { ContainerFacts, McpServerFacts, SubjectDirectory } from "./subjects.js";

const DIGEST = /@?(sha256:[0-9a-f]{64})$/;

export interface StoreDirectoryOptions {
  /** The MCP servers (`mcp.servers`) with their `image` and `workload`. */
  mcp?: McpConfig["servers"];
  /** Container id (12 hex) → what the Kubernetes inventory knows (default: the inventory `k8s import` records). */
  container?: (db: Db, id: string) => Promise<ContainerFacts | undefined>;
  /** How long an answer is reused (default 30 s). */
  ttlMs?: number;
  now?: () => number;
}

function cached<T>(
  ttl: number,
  now: () => number,
  fn: (db: Db, key: string) => Promise<T>,
): (db: Db, key: string) => Promise<T> {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return (db, key) => {
    const hit = entries.get(key);
    if (hit && now() - hit.at < ttl) return hit.value;
    if (entries.size > 10_000) entries.clear();
    const value = fn(db, key);
    entries.set(key, { at: now(), value });
    return value;
  };
}

/** The digest an image reference names, or the newest stored scan of that repository and tag. */
export async function resolveImageDigest(db: Db, reference: string): Promise<string | undefined> {
  const pinned = DIGEST.exec(reference)?.[1];
  if (pinned) return pinned;
  const at = reference.lastIndexOf(":");
  const slash = reference.lastIndexOf("/");
  const [name, tag] = at > slash ? [reference.slice(0, at), reference.slice(at + 1)] : [reference, "latest"];
  const rows = await db
    .selectFrom("assets")
    .select(["digest", "name", "properties"])
    .where("kind", "=", "image")
    .where("name", "in", [name, name.replace(/^docker\.io\/(library\/)?/, "")])
    .orderBy("last_seen", "desc")
    .limit(20)
    .execute();
  for (const row of rows) {
    if (!row.digest) continue;
    try {
      const tags = (JSON.parse(row.properties) as { tags?: unknown }).tags;
      if (!Array.isArray(tags) || tags.length === 0 || tags.some((t) => String(t).endsWith(`:${tag}`) || t === tag))
        return row.digest;
    } catch {
      // A properties column that does not parse names no tags.
    }
  }
  return undefined;
}

export function createStoreDirectory(options: StoreDirectoryOptions): SubjectDirectory & {
  imageSeverity: ImageSeverityLookup;
} {
  const ttl = options.ttlMs ?? 30_000;
  const now = options.now ?? Date.now;
  const servers = Object.entries(options.mcp ?? {});

  const mcpServer = cached(ttl, now, async (db, name): Promise<McpServerFacts | undefined> => {
    const server = servers.find(([n]) => n === name)?.[1];
    if (!server) return undefined;
    const imageDigest = server.image ? await resolveImageDigest(db, server.image) : undefined;
    return {
      ...(imageDigest ? { imageDigest } : {}),
      ...(server.workload ? { workload: server.workload } : {}),
    };
  });

  const imageSeverity = cached(ttl, now, async (db, digest): Promise<Severity | undefined> => {
    const rows = await db
      .selectFrom("edges as contains")
      .innerJoin("edges as affected", "affected.src", "contains.dst")
      .innerJoin("assets as vuln", "vuln.id", "affected.dst")
      .select("vuln.properties")
      .where("contains.src", "=", `image:${digest}`)
      .where("contains.kind", "=", "contains")
      .where("affected.kind", "=", "affected-by")
      .limit(10_000)
      .execute();
    let worst: Severity | undefined;
    for (const row of rows) {
      const severity = vulnerabilitySeverity(row.properties);
      if (severity && (!worst || severityRank(severity) > severityRank(worst))) worst = severity;
    }
    return worst;
  });

  return {
    container: cached(ttl, now, options.container ?? containerInInventory),
    mcpServer,
    mcpServersIn: async (workload) => servers.filter(([, s]) => s.workload === workload).map(([n]) => n),
    imageSeverity,
  };
}

/** A vulnerability asset's severity word (`properties.severity`), lower-cased; unknown ones are none. */
export function vulnerabilitySeverity(properties: string): Severity | undefined {
  try {
    const value = (JSON.parse(properties) as { severity?: unknown }).severity;
    const word = typeof value === "string" ? value.toLowerCase() : "";
    return (SEVERITIES as readonly string[]).includes(word) ? (word as Severity) : undefined;
  } catch {
    return undefined;
  }
}

/** A container of the Kubernetes inventory (`palisade k8s import`): its workload, pod and image digest. */
export async function containerInInventory(db: Db, id: string): Promise<ContainerFacts | undefined> {
  const placed = await workloadOfContainer({ db }, id);
  if (!placed) return undefined;
  return {
    workload: placed.workload.replace(/^workload:/, ""),
    pod: `${placed.namespace}/${placed.pod}`,
    ...(placed.imageDigest ? { imageDigest: placed.imageDigest } : {}),
  };
}
