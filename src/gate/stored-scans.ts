/**
 * The latest stored scan of an image digest, as a policy input: what `palisade scan image`,
 * `scan registry`, a worker or a gate recorded (the scan row, its findings, the image asset and
 * what it contains), read back so a gate can judge the image under today's policy without
 * scanning it again. A multi-platform index is followed to its scanned platform image.
 */
import type { Component, ComponentKind, Finding, Severity } from "../core/index.js";
import { COMPONENT_KINDS, SEVERITIES } from "../core/index.js";
import type { Store } from "../store/index.js";
import { type ImageScanInput, imageFactsOf } from "./scan-input.js";

/** A stored scan: the policy input it gives, and when it finished (epoch ms). */
export interface StoredScan {
  input: ImageScanInput;
  scannedAt: number;
  /** The image digest the scan was of (a platform image when `digest` was an index). */
  scannedDigest: string;
}

/** Looks up the latest stored scan of a digest. */
export type StoredScans = (digest: string) => Promise<StoredScan | undefined>;

const imageId = (digest: string) => `image:${digest}`;
const parse = (text: string | null): Record<string, unknown> => {
  try {
    const value = JSON.parse(text ?? "{}") as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** Stored scans read from `store` (SQLite or PostgreSQL). */
export function createStoredScans(store: Store): StoredScans {
  const { db } = store;
  const latestScan = (target: string) =>
    db
      .selectFrom("scans")
      .selectAll()
      .where("kind", "=", "image")
      .where("target", "=", target)
      .where("status", "=", "completed")
      .orderBy("finished_at", "desc")
      .limit(1)
      .executeTakeFirst();

  return async (digest) => {
    let scannedDigest = digest;
    let scan = await latestScan(imageId(digest));
    if (!scan) {
      const platforms = await db
        .selectFrom("edges")
        .select("dst")
        .where("src", "=", imageId(digest))
        .where("kind", "=", "platform")
        .execute();
      for (const { dst } of platforms) {
        scan = await latestScan(dst);
        if (scan) {
          scannedDigest = dst.slice("image:".length);
          break;
        }
      }
    }
    if (!scan) return undefined;
    const target = scan.target;
    const [findingRows, asset, contained] = await Promise.all([
      db.selectFrom("findings").selectAll().where("scan_id", "=", scan.id).execute(),
      store.getAsset(target),
      db
        .selectFrom("edges")
        .innerJoin("assets", "assets.id", "edges.dst")
        .select([
          "assets.id",
          "assets.kind",
          "assets.subkind",
          "assets.name",
          "assets.version",
          "assets.purl",
          "assets.digest",
          "assets.properties",
          "edges.properties as edgeProperties",
        ])
        .where("edges.src", "=", target)
        .where("edges.kind", "=", "contains")
        .execute(),
    ]);
    const findings: Finding[] = findingRows.map((row) => {
      const tags = parse(row.tags) as { owasp?: Finding["owasp"]; atlas?: string[]; references?: string[] };
      return {
        ruleId: row.rule_id,
        severity: (SEVERITIES as readonly string[]).includes(row.severity) ? (row.severity as Severity) : "info",
        title: row.title,
        detail: row.detail,
        ...(row.location ? { location: parse(row.location) as Finding["location"] } : {}),
        references: tags.references ?? [],
        owasp: tags.owasp ?? [],
        atlas: tags.atlas ?? [],
        ...(row.fingerprint ? { fingerprint: row.fingerprint } : {}),
      } as Finding;
    });
    const components: Component[] = [];
    const models: NonNullable<ImageScanInput["models"]> = [];
    for (const row of contained) {
      const edge = parse(row.edgeProperties);
      const props = parse(row.properties);
      const location = {
        path: typeof edge.path === "string" ? edge.path : typeof edge.evidence === "string" ? edge.evidence : "",
        ...(typeof edge.layer === "number" ? { layer: String(edge.layer) } : {}),
      };
      if (row.kind === "model-file") {
        const sha256 = row.digest?.startsWith("sha256:") ? row.digest.slice(7) : undefined;
        models.push({
          id: row.name,
          ...(sha256 ? { sha256 } : {}),
          ...(typeof props.license === "string" ? { license: props.license } : {}),
          location,
        });
        components.push({
          kind: "model",
          name: row.name,
          ...(row.digest ? { digest: row.digest } : {}),
          locations: [location],
          properties: {},
        });
        continue;
      }
      if (row.kind !== "component") continue;
      const kind = (COMPONENT_KINDS as readonly string[]).includes(row.subkind ?? "")
        ? (row.subkind as ComponentKind)
        : "library";
      components.push({
        kind,
        name: row.name,
        ...(row.version ? { version: row.version } : {}),
        ...(row.purl ? { purl: row.purl } : {}),
        ...(typeof props.ecosystem === "string" ? { ecosystem: props.ecosystem } : {}),
        locations: [location],
        properties: {},
      });
    }
    const purls = components.flatMap((c) => (c.purl ? [c.purl] : []));
    const vulnerabilities: NonNullable<ImageScanInput["vulnerabilities"]> = [];
    for (let i = 0; i < purls.length; i += 500) {
      const rows = await db
        .selectFrom("edges")
        .innerJoin("assets", "assets.id", "edges.dst")
        .select(["edges.src", "edges.properties as edgeProperties", "assets.name", "assets.properties"])
        .where("edges.kind", "=", "affected-by")
        .where("edges.src", "in", purls.slice(i, i + 500))
        .execute();
      for (const row of rows) {
        const props = parse(row.properties);
        const edge = parse(row.edgeProperties);
        const severity = (SEVERITIES as readonly string[]).includes(String(props.severity))
          ? (props.severity as Severity)
          : "medium";
        vulnerabilities.push({
          id: row.name,
          purl: row.src,
          severity,
          ...(typeof edge.fixedIn === "string" ? { fixedIn: edge.fixedIn } : {}),
          ...(typeof props.published === "string" ? { published: props.published } : {}),
        });
      }
    }
    const properties = asset?.properties ?? {};
    const [family, version] = typeof properties.os === "string" ? properties.os.split(" ", 2) : [];
    const summary = parse(scan.summary);
    const reference = typeof summary.reference === "string" ? summary.reference : target;
    return {
      scannedAt: Number(scan.finished_at ?? scan.started_at),
      scannedDigest,
      input: {
        target: reference,
        image: {
          reference,
          ...(family ? { os: { family, version: version ?? "" } } : {}),
          ...(typeof properties.user === "string" ? { user: properties.user } : {}),
          ...imageFactsOf(findings),
        },
        components,
        vulnerabilities,
        models,
        findings,
      },
    };
  };
}
