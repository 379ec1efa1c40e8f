/**
 * Store rows as the API shows them, with their zod schemas (the OpenAPI document is generated
 * from these). Times are epoch milliseconds; JSON columns are parsed, and a column that does not
 * parse reads as empty rather than failing the whole page.
 */
import { type SqlBool, sql } from "kysely";
import { z } from "zod";
import { SEVERITIES } from "../core/index.js";
import { ASSET_KINDS } from "../store/index.js";

export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * `column` contains `text` (or starts with it), case-insensitively, with the LIKE wildcards in
 * the user's text escaped: the same answer on SQLite (whose LIKE has no escape character unless
 * told) and PostgreSQL (whose LIKE is case-sensitive).
 */
export function likeText(column: string, text: string, where: "contains" | "starts" = "contains") {
  const pattern = `${where === "contains" ? "%" : ""}${escapeLike(text.toLowerCase())}%`;
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

export const AssetSchema = z.object({
  id: z.string(),
  kind: z.enum(ASSET_KINDS),
  subkind: z.string().nullable(),
  name: z.string(),
  version: z.string().nullable(),
  purl: z.string().nullable(),
  digest: z.string().nullable(),
  properties: z.record(z.string(), z.unknown()),
  firstSeen: z.number(),
  lastSeen: z.number(),
});
export const FindingSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  detail: z.string(),
  location: z.record(z.string(), z.unknown()).nullable(),
  owasp: z.array(z.string()),
  atlas: z.array(z.string()),
  references: z.array(z.string()),
  fingerprint: z.string().nullable(),
  assetId: z.string().nullable(),
  scan: z.object({ id: z.string(), kind: z.string(), target: z.string() }).nullable(),
  createdAt: z.number(),
});
export type ApiFinding = z.infer<typeof FindingSchema>;

export interface FindingRow {
  id: string;
  rule_id: string;
  severity: string;
  title: string;
  detail: string;
  location: string | null;
  tags: string;
  fingerprint: string | null;
  asset_id: string | null;
  scan_id: string | null;
  scan_kind: string | null;
  scan_target: string | null;
  created_at: number | string;
}

export function toApiFinding(row: FindingRow): ApiFinding {
  const tags = parseJson<{ owasp?: string[]; atlas?: string[]; references?: string[] }>(row.tags, {});
  return {
    id: row.id,
    ruleId: row.rule_id,
    severity: (SEVERITIES as readonly string[]).includes(row.severity)
      ? (row.severity as ApiFinding["severity"])
      : "info",
    title: row.title,
    detail: row.detail,
    location: parseJson(row.location, null),
    owasp: tags.owasp ?? [],
    atlas: tags.atlas ?? [],
    references: tags.references ?? [],
    fingerprint: row.fingerprint,
    assetId: row.asset_id,
    scan: row.scan_id ? { id: row.scan_id, kind: row.scan_kind ?? "", target: row.scan_target ?? "" } : null,
    createdAt: Number(row.created_at),
  };
}
