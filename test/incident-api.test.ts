/**
 * The incident API as `events serve` mounts it (the REST API's incident routes behind the ingest
 * server's authentication), over a real HTTP server and store: incidents opened by correlating
 * Falco alerts posted to the same server, then listed, shown, traced and updated by role.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Identity, PalisadeError } from "../src/core/index.js";
import type { IngestServer } from "../src/runtime/index.js";
import { openStore, type Store } from "../src/store/index.js";
import { startIncidentServer } from "./helpers/incident-server.js";

const TOKENS: Record<string, Identity> = {
  "Bearer admin-token": { id: "api-key:oncall", kind: "api-key", name: "oncall", roles: ["admin"], attributes: {} },
  "Bearer viewer-token": { id: "api-key:viewer", kind: "api-key", name: "viewer", roles: ["viewer"], attributes: {} },
};

function falcoAlert(n: number): string {
  return JSON.stringify({
    uuid: `00000000-0000-4000-8000-00000000000${n}`,
    output: "Critical Package manager run in an inference server",
    priority: "Critical",
    rule: "palisade_inference_server_package_manager",
    time: new Date(Date.UTC(2026, 11, 7, 9, 0, n)).toISOString(),
    output_fields: { "container.id": "0123456789ab", "proc.name": "pip", "proc.exepath": "/usr/local/bin/pip" },
    source: "syscall",
  });
}

describe("incident API", () => {
  const dir = mkdtempSync(join(tmpdir(), "palisade-incident-api-"));
  let store: Store;
  let server: IngestServer;
  let incidentId: string;
  const call = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.headers ?? {}) },
    });

  before(async () => {
    store = openStore({ location: join(dir, "palisade.db") });
    await store.migrate();
    server = await startIncidentServer(
      store,
      async (header) => {
        const identity = TOKENS[header ?? ""];
        if (!identity) throw new PalisadeError("bad-input", "unknown token");
        return identity;
      },
      () => Date.UTC(2026, 11, 7, 10),
    );
    const posted = await call("/api/v1/events/falco", {
      method: "POST",
      token: "viewer-token",
      body: [falcoAlert(1), falcoAlert(2)].join("\n"),
    });
    assert.equal(posted.status, 200);
  });
  after(async () => {
    await server?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses callers without a valid token, with the Bearer challenge", async () => {
    const response = await call("/api/v1/incidents");
    assert.equal(response.status, 401);
    assert.match(response.headers.get("www-authenticate") ?? "", /Bearer/);
    assert.equal((await call("/api/v1/incidents", { token: "forged" })).status, 401);
  });

  it("lists incidents newest first, filtered by status and severity", async () => {
    const all = (await (await call("/api/v1/incidents", { token: "viewer-token" })).json()) as {
      items: { id: string; severity: string; ruleId: string; status: string }[];
    };
    assert.equal(all.items.length, 1);
    const [incident] = all.items;
    assert.equal(incident?.ruleId, "ai-workload-runtime-alert");
    incidentId = incident?.id as string;
    const resolved = (await (await call("/api/v1/incidents?status=resolved", { token: "viewer-token" })).json()) as {
      items: unknown[];
    };
    assert.equal(resolved.items.length, 0);
    const high = (await (
      await call("/api/v1/incidents?min_severity=high&limit=5", { token: "viewer-token" })
    ).json()) as {
      items: unknown[];
    };
    assert.equal(high.items.length, 1);
  });

  it("answers bad queries 400 with the field at fault", async () => {
    for (const [query, field] of [
      ["status=burning", "status"],
      ["min_severity=urgent", "min_severity"],
      ["limit=0", "limit"],
      ["limit=lots", "limit"],
    ] as const) {
      const response = await call(`/api/v1/incidents?${query}`, { token: "viewer-token" });
      assert.equal(response.status, 400, query);
      const body = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, "bad_request");
      assert.ok(body.error.message.startsWith(field), `${query}: ${body.error.message}`);
    }
    const trace = await call(`/api/v1/incidents/${incidentId}/trace?format=svg`, { token: "viewer-token" });
    assert.equal(trace.status, 400);
  });

  it("shows one incident with its events, history and timeline, and traces it as JSON or Mermaid", async () => {
    const shown = (await (await call(`/api/v1/incidents/${incidentId}`, { token: "viewer-token" })).json()) as {
      id: string;
      events: string[];
      timeline: unknown[];
      history: unknown[];
    };
    assert.equal(shown.id, incidentId);
    assert.equal(shown.events.length, 2);
    assert.ok(shown.timeline.length >= 2);
    const trace = (await (await call(`/api/v1/incidents/${incidentId}/trace`, { token: "viewer-token" })).json()) as {
      nodes: { type: string; label: string }[];
    };
    assert.ok(trace.nodes.some((n) => n.type === "container"));
    const mermaid = await call(`/api/v1/incidents/${incidentId}/trace?format=mermaid`, { token: "viewer-token" });
    assert.match(mermaid.headers.get("content-type") ?? "", /^text\/plain/);
    assert.match(await mermaid.text(), /^flowchart LR/);
  });

  it("lets only admins change an incident; the change is in its history under the caller's id", async () => {
    const patch = (token: string, body: string) =>
      call(`/api/v1/incidents/${incidentId}`, {
        method: "PATCH",
        token,
        body,
        headers: { "content-type": "application/json" },
      });
    assert.equal((await patch("viewer-token", JSON.stringify({ status: "resolved" }))).status, 403);
    for (const bad of ["{not json", "{}", JSON.stringify({ status: "closed" }), JSON.stringify({ severity: "low" })])
      assert.equal((await patch("admin-token", bad)).status, 400, bad);
    const ok = await patch("admin-token", JSON.stringify({ status: "acknowledged", owner: "sam", note: "on it" }));
    assert.equal(ok.status, 200);
    const updated = (await ok.json()) as { status: string; owner: string };
    assert.deepEqual([updated.status, updated.owner], ["acknowledged", "sam"]);
    const shown = (await (await call(`/api/v1/incidents/${incidentId}`, { token: "viewer-token" })).json()) as {
      history: { actor: string; action: string }[];
    };
    assert.ok(shown.history.some((h) => h.actor === "api-key:oncall"));
  });

  it("serves the rest of the REST API beside ingestion: an event by id is the API's, not a sensor path", async () => {
    const page = (await (await call("/api/v1/events?kind=runtime.*&limit=1", { token: "viewer-token" })).json()) as {
      items: { id: string }[];
    };
    const id = page.items[0]?.id ?? "";
    const one = await call(`/api/v1/events/${encodeURIComponent(id)}`, { token: "viewer-token" });
    assert.equal(one.status, 200);
    assert.equal(((await one.json()) as { id: string }).id, id);
    const wrongVerb = await call("/api/v1/events/falco", { token: "viewer-token" });
    assert.equal(wrongVerb.status, 405, "a sensor's own path still takes batches only");
  });

  it("answers unknown incidents 404, unknown routes 404 and other methods 405", async () => {
    assert.equal((await call("/api/v1/incidents/INC-000000000000", { token: "viewer-token" })).status, 404);
    assert.equal((await call(`/api/v1/incidents/${incidentId}/graph`, { token: "viewer-token" })).status, 404);
    assert.equal((await call("/api/v1/nothing", { token: "viewer-token" })).status, 404);
    const deleted = await call(`/api/v1/incidents/${incidentId}`, { method: "DELETE", token: "admin-token" });
    assert.equal(deleted.status, 405);
    assert.match(deleted.headers.get("allow") ?? "", /PATCH/);
  });
});
