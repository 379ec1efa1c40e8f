/**
 * The REST API over a real store (SQLite, and PostgreSQL when configured) behind real API keys:
 * every endpoint's auth, filters, pagination and bad input, every answer checked against the
 * schema the OpenAPI document publishes, and every write audited.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { Event } from "../src/core/index.js";
import { createAuthenticator, generateApiKey } from "../src/gateway/index.js";
import { createStoreDirectory } from "../src/incident/index.js";
import { loadPolicyFiles } from "../src/policy/index.js";
import { type Api, type ApiServer, createApi, startApiServer } from "../src/server/index.js";
import { openStore, type Store } from "../src/store/index.js";
import { createTempDatabase, postgresSkipReason } from "./helpers/postgres.js";

interface OpenApiOperation {
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
  parameters: { name: string; schema: object }[];
}

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const EXAMPLE_POLICY = new URL("../examples/policy/policy.yaml", import.meta.url).pathname;
/** Exceptions on top of the example policy: one in force on a finding's path, one expired on a scanned image. */
const EXCEPTIONS_POLICY = join(mkdtempSync(join(tmpdir(), "palisade-api-policy-")), "exceptions.yaml");
writeFileSync(
  EXCEPTIONS_POLICY,
  [
    "apiVersion: palisade.dev/v1",
    "kind: Policy",
    "metadata: { name: accepted-risks }",
    "spec:",
    "  exceptions:",
    '    - { rule: code.hardcoded-key, target: "app.py", owner: appsec@example.com, reason: test key, expires: 2030-01-01 }',
    '    - { rule: "image.*", target: "registry.local/*", owner: ml@example.com, reason: rebuild, expires: 2026-11-30 }',
    "",
  ].join("\n"),
);
const HOUR = 3_600_000;

function gatewayEvent(i: number, over: Partial<Record<string, unknown>> & { identity?: string; time?: number }): Event {
  const { identity, time, ...payload } = over;
  return {
    id: `req-${String(i).padStart(4, "0")}`,
    kind: "gateway.request",
    time: time ?? NOW - HOUR + i * 1000,
    identity: identity ?? "key-alice",
    correlation: { requestId: `req-${i}` },
    payload: {
      endpoint: "chat",
      model: "llama3.1:8b",
      status: 200,
      guards: [],
      usage: { prompt: 100, completion: 50 },
      latencyMs: 250,
      promptExcerpt: "hello <EMAIL_ADDRESS>",
      answerExcerpt: "hi",
      ...payload,
    },
  };
}

/** The store's contents: one code scan, one image in a workload, gateway traffic, MCP calls, a sensor alert. */
async function seed(store: Store): Promise<void> {
  await store.recordInventory({
    scan: {
      id: "scan-code-1",
      kind: "code",
      target: "/src/shop-assistant",
      status: "completed",
      startedAt: NOW - 2 * HOUR,
    },
    assets: [
      { id: "repo:shop-assistant", kind: "repo", name: "shop-assistant" },
      {
        id: "pkg:pypi/openai@1.40.0",
        kind: "component",
        subkind: "ai-sdk",
        name: "openai",
        version: "1.40.0",
        purl: "pkg:pypi/openai@1.40.0",
      },
      { id: "model:gpt-4o-mini", kind: "component", subkind: "model", name: "gpt-4o-mini" },
      { id: "model:llama3.1:8b", kind: "component", subkind: "model", name: "llama3.1:8b" },
      { id: "mcp:github", kind: "component", subkind: "mcp-server", name: "github" },
    ],
    edges: [
      { src: "repo:shop-assistant", dst: "pkg:pypi/openai@1.40.0", kind: "uses" },
      { src: "repo:shop-assistant", dst: "model:gpt-4o-mini", kind: "uses" },
    ],
    findings: [
      {
        ruleId: "code.hardcoded-key",
        severity: "critical",
        title: "OpenAI key in source",
        detail: "",
        references: [],
        owasp: ["LLM02:2025"],
        atlas: [],
        assetId: "repo:shop-assistant",
        location: { path: "app.py", line: 3 },
      },
      {
        ruleId: "mcp.secret-in-env",
        severity: "high",
        title: "Token in MCP server env",
        detail: "",
        references: [],
        owasp: [],
        atlas: ["AML.T0055"],
        assetId: "mcp:github",
      },
      {
        ruleId: "code.unpinned-model",
        severity: "low",
        title: "Model alias not pinned",
        detail: "",
        references: [],
        owasp: [],
        atlas: [],
        assetId: "model:gpt-4o-mini",
      },
    ],
  });
  await store.recordInventory({
    scan: {
      id: "scan-image-1",
      kind: "image",
      target: "registry.local/vllm:0.6",
      status: "completed",
      startedAt: NOW - HOUR,
    },
    assets: [
      { id: "image:sha256:aaa", kind: "image", name: "registry.local/vllm:0.6", digest: "sha256:aaa" },
      { id: "workload:default/Deployment/vllm", kind: "workload", name: "default/Deployment/vllm" },
      { id: "inference:vllm", kind: "component", subkind: "inference-server", name: "vllm" },
    ],
    edges: [
      { src: "workload:default/Deployment/vllm", dst: "image:sha256:aaa", kind: "runs" },
      { src: "image:sha256:aaa", dst: "inference:vllm", kind: "contains" },
      { src: "image:sha256:aaa", dst: "model:llama3.1:8b", kind: "contains" },
    ],
    findings: [
      {
        ruleId: "image.vuln",
        severity: "high",
        title: "CVE-2026-0001 in vllm",
        detail: "",
        references: [],
        owasp: ["LLM03:2025"],
        atlas: [],
        assetId: "inference:vllm",
      },
    ],
  });
  const events: Event[] = [];
  for (let i = 0; i < 40; i++) events.push(gatewayEvent(i, {}));
  for (let i = 40; i < 46; i++)
    events.push(
      gatewayEvent(i, {
        identity: "key-mallory",
        status: 400,
        guards: [{ guard: "injection", direction: "prompt", outcome: "blocked", signals: ["override"] }],
        usage: null,
      }),
    );
  for (let i = 46; i < 49; i++)
    events.push(
      gatewayEvent(i, {
        identity: "key-bob",
        model: "gpt-4o-mini",
        guards: [{ guard: "pii", direction: "prompt", outcome: "redacted", signals: ["EMAIL_ADDRESS"] }],
      }),
    );
  events.push(
    gatewayEvent(49, {
      identity: "key-bob",
      status: 429,
      guards: [{ guard: "limits", direction: "prompt", outcome: "blocked", signals: ["budget"] }],
      usage: null,
    }),
  );
  // Two days old: outside the default 24-hour window.
  events.push(gatewayEvent(50, { time: NOW - 48 * HOUR }));
  events.push({
    id: "mcp-1",
    kind: "mcp.call",
    time: NOW - 30 * 60_000,
    identity: "key-alice",
    correlation: {},
    payload: {
      method: "tools/call",
      server: "github",
      target: "delete_repo",
      decision: "deny",
      rule: "mcp.tool-not-allowed",
      guards: [],
      redacted: false,
      latencyMs: 3,
      argumentValues: { repo: "x" },
    },
  });
  events.push({
    id: "falco-1",
    kind: "runtime.alert",
    time: NOW - 20 * 60_000,
    correlation: { workload: "default/Deployment/vllm" },
    payload: { rule: "Shell in AI container", severity: "critical" },
  });
  await store.appendEvents(events);
}

interface Keys {
  admin: string;
  viewer: string;
  ci: string;
  responder: string;
  sensor: string;
}

async function makeKeys(store: Store): Promise<Keys> {
  const make = async (name: string, roles: string[]) => {
    const g = generateApiKey();
    await store.createApiKey({ name, prefix: g.prefix, hash: g.hash, roles });
    return g.key;
  };
  return {
    admin: await make("admin", ["admin"]),
    viewer: await make("viewer", ["viewer"]),
    ci: await make("ci", ["scans:write"]),
    responder: await make("responder", ["incidents:write"]),
    sensor: await make("sensor", ["sensor"]),
  };
}

function apiContract(name: string, open: () => Promise<{ store: Store; cleanup: () => Promise<void> }>, skip?: string) {
  describe(`REST API: ${name}`, { skip }, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let api: Api;
    let server: ApiServer;
    let keys: Keys;

    before(async () => {
      ({ store, cleanup } = await open());
      await store.migrate();
      await seed(store);
      keys = await makeKeys(store);
      const authenticator = createAuthenticator({ apiKeys: store, cacheMs: 0 });
      api = createApi({
        store,
        directory: createStoreDirectory({ mcp: {} }),
        authenticate: (h) => authenticator.authenticate(h),
        version: "test",
        policy: () => loadPolicyFiles([EXAMPLE_POLICY, EXCEPTIONS_POLICY]),
        now: () => NOW,
      });
      server = await startApiServer({ host: "127.0.0.1", port: 0, api: api.handler });
    });
    after(async () => {
      await server?.close();
      await store?.close();
      await cleanup?.();
    });

    /** A request; a 200 JSON answer is checked against the schema its route publishes. */
    async function call(path: string, key: string | undefined, init: RequestInit = {}) {
      const response = await fetch(`${server.url}${path}`, {
        ...init,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(init.body ? { "content-type": "application/json" } : {}),
          ...(init.headers as Record<string, string> | undefined),
        },
      });
      const text = await response.text();
      const body = response.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : text;
      if (response.ok && typeof body === "object") {
        const pathname = new URL(path, server.url).pathname;
        const route = api.routes.find((r) => r.method === (init.method ?? "GET") && r.pattern.test(pathname));
        assert.ok(route, `no route for ${path}`);
        if (route.response) {
          const checked = route.response.safeParse(body);
          assert.ok(checked.success, `${path}: answer does not match its schema: ${checked.error?.message}`);
        }
      }
      return { status: response.status, body, headers: response.headers };
    }

    it("serves an OpenAPI 3.1 document without credentials, covering every route, whose schemas compile", async () => {
      const { status, body } = await call("/api/v1/openapi.json", undefined);
      assert.equal(status, 200);
      assert.equal(body.openapi, "3.1.0");
      for (const route of api.routes)
        assert.ok(body.paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path} missing`);
      const ajv = new Ajv2020({ strict: false });
      for (const [path, operations] of Object.entries(body.paths as Record<string, Record<string, OpenApiOperation>>))
        for (const [method, op] of Object.entries(operations)) {
          const schema = op.responses[200]?.content?.["application/json"]?.schema;
          if (schema) assert.doesNotThrow(() => ajv.compile(schema), `${method} ${path}`);
          for (const p of op.parameters)
            assert.doesNotThrow(() => ajv.compile(p.schema), `${method} ${path} ${p.name}`);
        }
    });

    it("refuses missing or forged credentials (401) and callers without a reading role (403)", async () => {
      assert.equal((await call("/api/v1/inventory", undefined)).status, 401);
      assert.equal((await call("/api/v1/inventory", "pal_forged")).status, 401);
      const denied = await call("/api/v1/inventory", keys.sensor);
      assert.equal(denied.status, 403);
      assert.match(denied.body.error.message, /viewer/);
      assert.equal((await call("/api/v1/inventory", keys.viewer)).status, 200);
      assert.equal((await call("/api/v1/keys", keys.viewer)).status, 403);
    });

    it("answers unknown routes 404 and wrong methods 405 with Allow, in the API's error shape", async () => {
      const missing = await call("/api/v1/nothing-here", keys.admin);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, "not_found");
      const wrong = await call("/api/v1/inventory", keys.admin, { method: "DELETE" });
      assert.equal(wrong.status, 405);
      assert.equal(wrong.headers.get("allow"), "GET");
    });

    it("lists inventory by type and text, and pages through it with cursors without gaps or repeats", async () => {
      const models = await call("/api/v1/inventory?type=model", keys.viewer);
      assert.deepEqual(models.body.items.map((a: { name: string }) => a.name).sort(), ["gpt-4o-mini", "llama3.1:8b"]);
      const mixed = await call("/api/v1/inventory?type=image,workload", keys.viewer);
      assert.deepEqual(mixed.body.items.map((a: { kind: string }) => a.kind).sort(), ["image", "workload"]);
      const text = await call("/api/v1/inventory?q=OPENAI", keys.viewer);
      assert.deepEqual(
        text.body.items.map((a: { id: string }) => a.id),
        ["pkg:pypi/openai@1.40.0"],
      );
      const wildcard = await call("/api/v1/inventory?q=%25", keys.viewer);
      assert.deepEqual(wildcard.body.items, [], "a % in the text is a character, not a wildcard");
      const all = await call("/api/v1/inventory?limit=500", keys.viewer);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const p = await call(`/api/v1/inventory?limit=3${cursor ? `&cursor=${cursor}` : ""}`, keys.viewer);
        assert.ok(p.body.items.length <= 3);
        seen.push(...p.body.items.map((a: { id: string }) => a.id));
        cursor = p.body.nextCursor;
      } while (cursor);
      assert.deepEqual(
        seen,
        all.body.items.map((a: { id: string }) => a.id),
      );
      assert.equal(new Set(seen).size, 8);
    });

    it("shows an asset with its findings, its edges and the workloads it runs in", async () => {
      const vllm = await call(`/api/v1/inventory/${encodeURIComponent("inference:vllm")}`, keys.viewer);
      assert.equal(vllm.status, 200);
      assert.deepEqual(
        vllm.body.findings.map((f: { ruleId: string }) => f.ruleId),
        ["image.vuln"],
      );
      assert.deepEqual(
        vllm.body.runsIn.map((r: { id: string; depth: number }) => [r.id, r.depth]),
        [
          ["image:sha256:aaa", 1],
          ["workload:default/Deployment/vllm", 2],
        ],
      );
      assert.equal((await call("/api/v1/inventory/nope", keys.viewer)).status, 404);
    });

    it("filters findings by severity, rule, target, mapping and title", async () => {
      const ids = async (query: string) =>
        (await call(`/api/v1/findings?${query}`, keys.viewer)).body.items
          .map((f: { ruleId: string }) => f.ruleId)
          .sort();
      assert.deepEqual(await ids("min_severity=high"), ["code.hardcoded-key", "image.vuln", "mcp.secret-in-env"]);
      assert.deepEqual(await ids("severity=low,critical"), ["code.hardcoded-key", "code.unpinned-model"]);
      assert.deepEqual(await ids("severity=high,low&min_severity=medium"), ["image.vuln", "mcp.secret-in-env"]);
      assert.deepEqual(await ids("rule=code."), ["code.hardcoded-key", "code.unpinned-model"]);
      assert.deepEqual(await ids("rule=code_"), [], "an underscore is not a wildcard");
      assert.deepEqual(await ids("target=vllm"), ["image.vuln"]);
      assert.deepEqual(await ids("owasp=LLM02:2025"), ["code.hardcoded-key"]);
      assert.deepEqual(await ids("atlas=AML.T0055"), ["mcp.secret-in-env"]);
      assert.deepEqual(await ids("q=token"), ["mcp.secret-in-env"]);
      assert.deepEqual(await ids("scan=scan-image-1"), ["image.vuln"]);
    });

    it("gives each finding its status under the policy's exceptions, and filters and pages by it", async () => {
      const all = (await call("/api/v1/findings?limit=500", keys.viewer)).body.items as {
        ruleId: string;
        status: string;
        exception: { owner: string; expires: string } | null;
      }[];
      const byRule = Object.fromEntries(all.map((f) => [f.ruleId, [f.status, f.exception?.owner ?? null]]));
      assert.deepEqual(byRule["code.hardcoded-key"], ["excepted", "appsec@example.com"]);
      assert.deepEqual(byRule["image.vuln"], ["expired", "ml@example.com"]);
      assert.deepEqual(byRule["mcp.secret-in-env"], ["open", null]);
      const statusIds = async (status: string) => {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const r = await call(
            `/api/v1/findings?status=${status}&limit=1${cursor ? `&cursor=${cursor}` : ""}`,
            keys.viewer,
          );
          assert.equal(r.status, 200);
          seen.push(...r.body.items.map((f: { ruleId: string; status: string }) => `${f.ruleId}:${f.status}`));
          cursor = r.body.nextCursor;
        } while (cursor);
        return seen.sort();
      };
      assert.deepEqual(await statusIds("excepted"), ["code.hardcoded-key:excepted"]);
      assert.deepEqual(await statusIds("expired"), ["image.vuln:expired"]);
      assert.deepEqual(
        await statusIds("open"),
        all
          .filter((f) => f.status === "open")
          .map((f) => `${f.ruleId}:open`)
          .sort(),
      );
      assert.equal((await call("/api/v1/findings?status=waived", keys.viewer)).status, 400);
    });

    it("answers bad query parameters and cursors 400, naming the parameter", async () => {
      for (const [query, field] of [
        ["min_severity=urgent", "min_severity"],
        ["severity=high,bogus", "severity"],
        ["limit=0", "limit"],
        ["limit=100000", "limit"],
        ["owasp=LLM11", "owasp"],
        ["cursor=not-a-cursor", "cursor"],
      ]) {
        const r = await call(`/api/v1/findings?${query}`, keys.viewer);
        assert.equal(r.status, 400, query);
        assert.equal(r.body.error.code, "bad_request");
        assert.match(r.body.error.message, new RegExp(`^${field}`), query);
      }
      const time = await call("/api/v1/events?from=yesterday", keys.viewer);
      assert.equal(time.status, 400);
      assert.match(time.body.error.message, /^from: expected epoch milliseconds/);
    });

    it("takes scan uploads from a CI key, idempotently, and refuses bad ones with the field named", async () => {
      const upload = {
        scan: {
          id: "scan-ci-1",
          kind: "code",
          target: "github.com/acme/bot@abc123",
          status: "completed",
          startedAt: NOW - 1000,
        },
        assets: [{ id: "model:claude-3-5-haiku", kind: "component", subkind: "model", name: "claude-3-5-haiku" }],
        edges: [{ src: "repo:shop-assistant", dst: "model:claude-3-5-haiku", kind: "uses" }],
        findings: [
          {
            ruleId: "code.model-unapproved",
            severity: "medium",
            title: "Unapproved model",
            assetId: "model:claude-3-5-haiku",
          },
        ],
      };
      const first = await call("/api/v1/scans", keys.ci, { method: "POST", body: JSON.stringify(upload) });
      assert.equal(first.status, 201);
      assert.deepEqual(first.body, { scanId: "scan-ci-1", created: true });
      const again = await call("/api/v1/scans", keys.ci, { method: "POST", body: JSON.stringify(upload) });
      assert.deepEqual([again.status, again.body.created], [200, false]);
      const scan = await call("/api/v1/scans/scan-ci-1", keys.viewer);
      assert.equal(scan.body.findings.medium, 1);

      assert.equal((await call("/api/v1/scans?kind=code", keys.viewer)).body.items.length, 2);

      assert.equal(
        (await call("/api/v1/scans", keys.viewer, { method: "POST", body: JSON.stringify(upload) })).status,
        403,
      );
      const bad = async (body: unknown, field: RegExp, status = 400) => {
        const r = await call("/api/v1/scans", keys.ci, { method: "POST", body: JSON.stringify(body) });
        assert.equal(r.status, status, JSON.stringify(body).slice(0, 80));
        assert.match(r.body.error.message, field);
      };
      await bad({ ...upload, scan: { ...upload.scan, id: undefined } }, /^scan\.id/);
      await bad({ ...upload, extra: 1 }, /extra|unrecognized/i);
      await bad(
        { ...upload, edges: [{ src: "repo:shop-assistant", dst: "model:nowhere", kind: "uses" }] },
        /^edges\.0\.dst: no asset/,
      );
      await bad({ ...upload, findings: [{ ...upload.findings[0], severity: "urgent" }] }, /^findings\.0\.severity/);
      const notJson = await call("/api/v1/scans", keys.ci, {
        method: "POST",
        body: "{",
        headers: { "content-type": "application/json" },
      });
      assert.equal(notJson.status, 400);
      const wrongType = await call("/api/v1/scans", keys.ci, {
        method: "POST",
        body: "x",
        headers: { "content-type": "text/plain" },
      });
      assert.equal(wrongType.status, 415);
      const huge = await fetch(`${server.url}/api/v1/scans`, {
        method: "POST",
        headers: { authorization: `Bearer ${keys.ci}`, "content-type": "application/json" },
        body: JSON.stringify({ ...upload, padding: "x".repeat(32 * 1024 * 1024 + 100_000) }),
      });
      assert.equal(huge.status, 413);
    });

    it("lists events by kind, verdict, identity and time, and shows prompt excerpts to admins only", async () => {
      const blocked = await call("/api/v1/events?verdict=blocked&kind=gateway.request&limit=500", keys.viewer);
      assert.equal(blocked.body.items.length, 7);
      assert.deepEqual([...new Set(blocked.body.items.map((e: { reason: string }) => e.reason))].sort(), [
        "injection",
        "limits",
      ]);
      const viewerSees = blocked.body.items[0];
      assert.equal(viewerSees.payload.promptExcerpt, undefined);
      assert.deepEqual(viewerSees.withheld, ["promptExcerpt", "answerExcerpt"]);
      const adminSees = await call(`/api/v1/events/${viewerSees.id}`, keys.admin);
      assert.equal(adminSees.body.payload.promptExcerpt, "hello <EMAIL_ADDRESS>");
      assert.deepEqual(adminSees.body.withheld, []);
      const mcp = await call("/api/v1/events/mcp-1", keys.viewer);
      assert.deepEqual(
        [mcp.body.verdict, mcp.body.reason, mcp.body.payload.argumentValues],
        ["blocked", "mcp.tool-not-allowed", undefined],
      );
      const runtime = await call("/api/v1/events?kind=runtime.*", keys.viewer);
      assert.deepEqual(
        runtime.body.items.map((e: { id: string }) => e.id),
        ["falco-1"],
      );
      const bob = await call("/api/v1/events?identity=key-bob&limit=500", keys.viewer);
      assert.equal(bob.body.items.length, 4);
      const recent = await call(
        `/api/v1/events?from=${NOW - 24 * HOUR}&to=${new Date(NOW).toISOString()}&limit=500`,
        keys.viewer,
      );
      assert.equal(recent.body.items.length, 52, "50 requests, the MCP call and the alert of the last day");
    });

    it("aggregates activity and the overview in the database", async () => {
      const activity = await call("/api/v1/activity", keys.viewer);
      assert.equal(activity.status, 200);
      const a = activity.body;
      assert.equal(a.totals.requests, 50);
      assert.deepEqual(a.totals.verdicts, { allowed: 40, redacted: 3, flagged: 0, blocked: 7, rejected: 0, error: 0 });
      assert.equal(a.totals.tokens, 43 * 150);
      assert.deepEqual(a.blockedByReason, [
        { reason: "injection", count: 6 },
        { reason: "limits", count: 1 },
      ]);
      assert.deepEqual(a.byIdentity[0], {
        identity: "key-alice",
        requests: 40,
        blocked: 0,
        tokens: 6000,
        latencyMs: 10_000,
      });
      assert.deepEqual(
        a.byModel.find((m: { model: string }) => m.model === "gpt-4o-mini"),
        { model: "gpt-4o-mini", requests: 3, tokens: 450, latencyMs: 750 },
      );
      assert.equal(
        a.series.reduce((s: number, p: { requests: number }) => s + p.requests, 0),
        50,
      );
      const mcp = await call("/api/v1/activity?kind=mcp.call", keys.viewer);
      assert.deepEqual(mcp.body.blockedByReason, [{ reason: "mcp.tool-not-allowed", count: 1 }]);
      const reversed = await call(`/api/v1/activity?from=${NOW}&to=${NOW - HOUR}`, keys.viewer);
      assert.equal(reversed.status, 400);
      const tooFine = await call(`/api/v1/activity?from=0&to=${NOW}&bucket=60000`, keys.viewer);
      assert.equal(tooFine.status, 400);

      const overview = (await call("/api/v1/overview", keys.viewer)).body;
      assert.deepEqual(overview.findings, { critical: 1, high: 2, medium: 1, low: 1, info: 0 });
      assert.equal(overview.inventory.find((i: { type: string }) => i.type === "model").count, 3);
      assert.deepEqual(overview.traffic, {
        since: NOW - 24 * HOUR,
        requests: 50,
        blocked: 7,
        mcpCalls: 1,
        mcpBlocked: 1,
      });
      assert.deepEqual(overview.topRisks[0], {
        ruleId: "code.hardcoded-key",
        severity: "critical",
        title: "OpenAI key in source",
        count: 1,
        lastSeen: overview.topRisks[0].lastSeen,
      });
      assert.equal(overview.scans.count, 3);
    });

    it("lets admins manage keys: a created key works at once, a revoked one stops", async () => {
      const created = await call("/api/v1/keys", keys.admin, {
        method: "POST",
        body: JSON.stringify({ name: "dash-viewer", roles: ["viewer"], expiresInDays: 30 }),
      });
      assert.equal(created.status, 201);
      assert.match(created.body.key, /^pal_/);
      assert.equal((await call("/api/v1/overview", created.body.key)).status, 200);
      const listed = await call("/api/v1/keys", keys.admin);
      const row = listed.body.items.find((k: { name: string }) => k.name === "dash-viewer");
      assert.equal(row.status, "active");
      assert.equal(JSON.stringify(listed.body).includes(created.body.key), false, "the key itself is never listed");
      const dup = await call("/api/v1/keys", keys.admin, {
        method: "POST",
        body: JSON.stringify({ name: "dash-viewer" }),
      });
      assert.equal(dup.status, 409);
      const badName = await call("/api/v1/keys", keys.admin, {
        method: "POST",
        body: JSON.stringify({ name: "<script>" }),
      });
      assert.equal(badName.status, 400);
      assert.equal(
        (await call("/api/v1/keys", keys.viewer, { method: "POST", body: JSON.stringify({ name: "x" }) })).status,
        403,
      );
      assert.equal((await call("/api/v1/keys/dash-viewer", keys.admin, { method: "DELETE" })).status, 200);
      assert.equal((await call("/api/v1/overview", created.body.key)).status, 401);
      assert.equal((await call("/api/v1/keys/dash-viewer-nope", keys.admin, { method: "DELETE" })).status, 404);
    });

    it("shows the effective policy with its exceptions' expiry", async () => {
      const { status, body } = await call("/api/v1/policy", keys.viewer);
      assert.equal(status, 200);
      assert.equal(body.name, "example+accepted-risks");
      const legacy = body.exceptions.find((e: { rule: string }) => e.rule === "image.non-root");
      assert.deepEqual([legacy.expires, legacy.expired, legacy.daysLeft], ["2026-12-31", false, 24]);
      assert.equal((await call("/api/v1/policy", keys.sensor)).status, 403);
    });

    it("maps OWASP LLM 2025 and MITRE ATLAS to the controls the policy turns on and to findings", async () => {
      const { status, body } = await call("/api/v1/compliance", keys.viewer);
      assert.equal(status, 200);
      const owasp = body.frameworks.find((f: { id: string }) => f.id === "owasp-llm-2025");
      const item = (id: string) => owasp.items.find((i: { id: string }) => i.id === id);
      assert.equal(owasp.items.length, 10);
      assert.equal(item("LLM01:2025").coverage, "enforce", "the injection guard blocks by default");
      assert.deepEqual([item("LLM02:2025").findings, item("LLM03:2025").findings], [1, 1]);
      assert.equal(item("LLM08:2025").coverage, "off", "no control addresses vector stores yet");
      const atlas = body.frameworks.find((f: { id: string }) => f.id === "mitre-atlas");
      assert.equal(atlas.items.find((i: { id: string }) => i.id === "AML.T0055").findings, 1);
      const control = (id: string) => body.controls.find((c: { id: string }) => c.id === id).state;
      assert.deepEqual(
        [control("scan.images"), control("scan.ai-bom"), control("scan.model-files")],
        ["enforce", "enforce", "off"],
      );
      assert.equal(control("supply-chain.registries"), "enforce");
    });

    it("refuses NUL characters in paths and queries (400) and bodies without a JSON content type (415)", async () => {
      const nul = await call("/api/v1/events/a%00b", keys.viewer);
      assert.equal(nul.status, 400);
      assert.match(nul.body.error.message, /^id: a NUL character/);
      assert.equal((await call("/api/v1/findings?q=a%00b", keys.viewer)).status, 400);
      const untyped = await fetch(`${server.url}/api/v1/keys`, {
        method: "POST",
        headers: { authorization: `Bearer ${keys.admin}` },
        body: new Blob(['{"name":"no-type","roles":["admin"]}']),
      });
      assert.equal(untyped.status, 415, "a body a web page can send without a preflight is refused");
    });

    it("without authentication, answers only requests addressed to a loopback host name (DNS rebinding)", async () => {
      const open = createApi({ store, directory: createStoreDirectory({ mcp: {} }), version: "test", now: () => NOW });
      const local = await startApiServer({ host: "127.0.0.1", port: 0, api: open.handler });
      try {
        const port = new URL(local.url).port;
        const ask = (host: string) =>
          new Promise<number>((resolve, reject) => {
            const req = httpRequest({ host: "127.0.0.1", port, path: "/api/v1/overview", headers: { host } }, (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            });
            req.on("error", reject);
            req.end();
          });
        assert.equal(await ask(`127.0.0.1:${port}`), 200);
        assert.equal(await ask(`localhost:${port}`), 200);
        assert.equal(await ask(`attacker.example:${port}`), 403);
      } finally {
        await local.close();
      }
    });

    it("tells the dashboard who is calling", async () => {
      assert.deepEqual((await call("/api/v1/whoami", keys.viewer)).body.admin, false);
      assert.deepEqual((await call("/api/v1/whoami", keys.admin)).body.roles, ["admin"]);
    });

    it("audits every write, allowed or refused, with the caller and the outcome, never the body", async () => {
      const r = await call("/api/v1/events?kind=api.write&limit=500", keys.admin);
      const writes = r.body.items as { identity: string; payload: { method: string; route: string; status: number } }[];
      assert.ok(writes.length >= 10);
      const refused = writes.filter((w) => w.payload.status === 403);
      assert.ok(
        refused.some((w) => w.payload.route === "/api/v1/scans"),
        "a viewer's refused upload is audited",
      );
      const created = writes.find((w) => w.payload.route === "/api/v1/keys" && w.payload.status === 201);
      assert.ok(created);
      assert.equal(JSON.stringify(writes).includes("pal_"), false, "no key, no body in the audit");
    });

    it("records the CI gate's decision that comes with an upload, once, among the policy's recent decisions", async () => {
      const gated = {
        scan: {
          id: "scan-ci-gated",
          kind: "code",
          target: "github.com/acme/bot@def456",
          status: "completed",
          startedAt: NOW - 900,
          finishedAt: NOW - 500,
        },
        assets: [],
        edges: [],
        findings: [],
        gate: {
          gate: "ci",
          target: "github.com/acme/bot@def456",
          decision: "deny",
          policy: "policy.yaml",
          reasons: [
            {
              ruleId: "supply-chain.model-not-approved",
              decision: "deny",
              message: "model claude-3-5-haiku is not approved",
            },
          ],
        },
      };
      for (const expected of [201, 200]) {
        const r = await call("/api/v1/scans", keys.ci, { method: "POST", body: JSON.stringify(gated) });
        assert.equal(r.status, expected);
      }
      const decisions = (await call("/api/v1/policy", keys.viewer)).body.decisions.filter(
        (d: { payload: { scanId?: string } }) => d.payload.scanId === "scan-ci-gated",
      );
      assert.deepEqual(
        decisions.map((d: { kind: string; verdict: string; payload: { decision: string } }) => [
          d.kind,
          d.verdict,
          d.payload.decision,
        ]),
        [["gate.ci", "blocked", "deny"]],
      );
      const events = await call("/api/v1/events?kind=gate.ci&verdict=blocked", keys.viewer);
      assert.equal(events.body.items[0]?.reason, "supply-chain.model-not-approved");
      const bad = await call("/api/v1/scans", keys.ci, {
        method: "POST",
        body: JSON.stringify({ ...gated, gate: { ...gated.gate, gate: "registry" } }),
      });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /^gate\.gate/);
    });
  });
}

apiContract("sqlite", async () => {
  const dir = mkdtempSync(join(tmpdir(), "palisade-api-"));
  return {
    store: openStore({ location: join(dir, "api.db") }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

const pgSkip = postgresSkipReason();
apiContract(
  "postgres",
  async () => {
    const db = await createTempDatabase();
    return { store: openStore({ location: db.url }), cleanup: db.drop };
  },
  pgSkip,
);
