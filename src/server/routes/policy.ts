/**
 * Policy and compliance: the effective policy (merged from its files, defaults filled in), its
 * exceptions with their expiry, recent gate decisions; and OWASP LLM Top 10 (2025) and MITRE
 * ATLAS, each risk or technique with the controls that address it (on or off under this policy)
 * and the findings mapped to it.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { PalisadeError, parseYamlSource } from "../../core/index.js";
import { CONTROL_IDS, CONTROL_STATES, type ControlState, controlsOf, type LoadedPolicy } from "../../policy/index.js";
import type { Store } from "../../store/index.js";
import { ApiError } from "../errors.js";
import { defineRoute, type Route } from "../route.js";
import { likeText, parseJson } from "../rows.js";

const DAY = 86_400_000;
const DECISIONS_SHOWN = 50;

/** The shipped mappings; data, so a user can read and extend what maps where. */
export const COMPLIANCE_FILES = ["owasp-llm-2025.yaml", "mitre-atlas.yaml"].map(
  (f) => new URL(`../../../rules/compliance/${f}`, import.meta.url).pathname,
);

const MappingSchema = z.strictObject({
  framework: z.enum(["owasp-llm-2025", "mitre-atlas"]),
  name: z.string().min(1),
  items: z.array(
    z.strictObject({ id: z.string().min(1), title: z.string().min(1), controls: z.array(z.string().min(1)) }),
  ),
});
type Mapping = z.infer<typeof MappingSchema>;

/** Controls that depend on what was scanned, not on the policy: on once such a scan is recorded. */
const SCAN_CONTROLS = [
  { id: "scan.ai-bom", name: "AI-BOM of source code (SDKs, models, MCP servers)", kinds: ["code", "fs"] },
  { id: "scan.model-files", name: "Model-file safety scan (pickle code, formats)", kinds: ["model", "fs"] },
  {
    id: "scan.images",
    name: "Container image scan (packages, vulnerabilities, AI signals)",
    kinds: ["image", "registry"],
  },
] as const;

export function loadComplianceMappings(files: readonly string[] = COMPLIANCE_FILES): Mapping[] {
  return files.map((file) => {
    const parsed = MappingSchema.safeParse(parseYamlSource(readFileSync(file, "utf8"), file).value);
    if (!parsed.success)
      throw new PalisadeError(
        "bad-config",
        `${file}: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`,
        { input: file },
      );
    // A misspelt control would drop out of the view silently: refuse it.
    const known = new Set<string>([...CONTROL_IDS, ...SCAN_CONTROLS.map((c) => c.id)]);
    for (const item of parsed.data.items)
      for (const control of item.controls)
        if (!known.has(control))
          throw new PalisadeError("bad-config", `${file}: ${item.id}: no control ${control}`, { input: file });
    return parsed.data;
  });
}

export interface PolicyRouteOptions {
  store: Store;
  /** The policy the gateways enforce now; absent: the policy and compliance views answer 404. */
  policy?: () => LoadedPolicy;
  mappings?: Mapping[];
}

const ControlSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(CONTROL_STATES),
  setting: z.string(),
});

export function policyRoutes(options: PolicyRouteOptions): Route[] {
  const { store } = options;
  const mappings = options.mappings ?? loadComplianceMappings();
  const current = (): LoadedPolicy => {
    if (!options.policy) throw new ApiError("not_found", "no policy: this server runs without one");
    return options.policy();
  };

  const policy = defineRoute({
    method: "GET",
    path: "/api/v1/policy",
    tag: "policy",
    summary: "The effective policy, its exceptions and their expiry, and recent gate decisions",
    response: z.object({
      name: z.string(),
      files: z.array(z.string()),
      spec: z.record(z.string(), z.unknown()),
      exceptions: z.array(
        z.object({
          rule: z.string(),
          target: z.string(),
          owner: z.string(),
          reason: z.string(),
          expires: z.string(),
          expired: z.boolean(),
          daysLeft: z.number(),
        }),
      ),
      decisions: z.array(
        z.object({
          id: z.string(),
          time: z.number(),
          kind: z.string(),
          verdict: z.string().nullable(),
          payload: z.record(z.string(), z.unknown()),
        }),
      ),
    }),
    roles: ["viewer"],
    async handler({ now }) {
      const loaded = current();
      const decisions = await store.db
        .selectFrom("events")
        .select(["id", "time", "kind", "verdict", "payload"])
        .where(likeText("kind", "gate.", "starts"))
        .orderBy("time", "desc")
        .limit(DECISIONS_SHOWN)
        .execute();
      return {
        json: {
          name: loaded.name,
          files: loaded.files,
          spec: loaded.spec as Record<string, unknown>,
          exceptions: loaded.spec.exceptions.map((e) => {
            // An exception holds through the whole day it names.
            const end = Date.parse(`${e.expires}T23:59:59.999Z`);
            return { ...e, expired: end < now, daysLeft: Math.floor((end - now) / DAY) };
          }),
          decisions: decisions.map((d) => ({
            id: d.id,
            time: Number(d.time),
            kind: d.kind,
            verdict: d.verdict,
            payload: parseJson<Record<string, unknown>>(d.payload, {}),
          })),
        },
      };
    },
  });

  const compliance = defineRoute({
    method: "GET",
    path: "/api/v1/compliance",
    tag: "compliance",
    summary: "OWASP LLM Top 10 (2025) and MITRE ATLAS: controls on or off under the policy, findings mapped to each",
    response: z.object({
      policy: z.string(),
      controls: z.array(ControlSchema),
      frameworks: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          items: z.array(
            z.object({
              id: z.string(),
              title: z.string(),
              controls: z.array(ControlSchema),
              /** enforce when a control enforces, monitor when one only reports, off when none is on. */
              coverage: z.enum(CONTROL_STATES),
              findings: z.number(),
            }),
          ),
        }),
      ),
    }),
    roles: ["viewer"],
    async handler() {
      const loaded = current();
      const scanned = new Set(
        (await store.db.selectFrom("scans").select("kind").distinct().execute()).map((r) => r.kind),
      );
      const controls = [
        ...controlsOf(loaded.spec),
        ...SCAN_CONTROLS.map((c) => ({
          id: c.id,
          name: c.name,
          state: (c.kinds.some((k) => scanned.has(k)) ? "enforce" : "off") as ControlState,
          setting: `a recorded scan (palisade scan ${c.kinds[0]})`,
        })),
      ];
      const byId = new Map(controls.map((c) => [c.id, c]));
      const frameworks = await Promise.all(
        mappings.map(async (m) => ({
          id: m.framework,
          name: m.name,
          items: await Promise.all(
            m.items.map(async (item) => {
              const mapped = item.controls.flatMap((id) => {
                const control = byId.get(id);
                return control ? [control] : [];
              });
              const coverage: ControlState = mapped.some((c) => c.state === "enforce")
                ? "enforce"
                : mapped.some((c) => c.state === "monitor")
                  ? "monitor"
                  : "off";
              // A technique id also counts its sub-techniques (AML.T0051 ⊇ AML.T0051.000).
              const tag = m.framework === "mitre-atlas" ? `"${item.id}` : `"${item.id}"`;
              const row = await store.db
                .selectFrom("findings")
                .select((eb) => eb.fn.countAll<number>().as("n"))
                .where(likeText("tags", tag))
                .executeTakeFirst();
              return { ...item, controls: mapped, coverage, findings: Number(row?.n ?? 0) };
            }),
          ),
        })),
      );
      return { json: { policy: loaded.name, controls, frameworks } };
    },
  });
  return [policy, compliance];
}
