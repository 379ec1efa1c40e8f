/**
 * Attacks on the incident API, each sent as an attacker would: a sensor's key (no role) trying to
 * close the incident its own alerts opened, ids built to escape the path or inject SQL, a body
 * far over the limit, a prototype-polluting body, fields the API does not take, and an owner
 * string meant to smuggle markup into the history. A real socket, a real SQLite store, API keys.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createAuthenticator, generateApiKey } from "../../src/gateway/index.js";
import { getIncident, listIncidents } from "../../src/incident/index.js";
import type { IngestServer } from "../../src/runtime/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import { startIncidentServer } from "../helpers/incident-server.js";

const dir = mkdtempSync(join(tmpdir(), "palisade-incident-api-attacks-"));
let store: Store;
let server: IngestServer;
let sensorKey: string;
let viewerKey: string;
let incidentId: string;

async function key(name: string, roles: string[]): Promise<string> {
  const generated = generateApiKey();
  await store.createApiKey({ name, prefix: generated.prefix, hash: generated.hash, roles });
  return generated.key;
}

before(async () => {
  store = openStore({ location: join(dir, "palisade.db") });
  await store.migrate();
  sensorKey = await key("falco", []);
  viewerKey = await key("dashboard", ["viewer"]);
  const auth = createAuthenticator({ apiKeys: store });
  server = await startIncidentServer(store, (header) => auth.authenticate(header));
  const alert = JSON.stringify({
    time: "2026-12-07T09:00:00.000Z",
    rule: "palisade_inference_server_package_manager",
    priority: "Critical",
    output: "pip in an inference server",
    output_fields: { "container.id": "0123456789ab", "proc.name": "pip" },
  });
  const posted = await fetch(`${server.url}/api/v1/events/falco`, {
    method: "POST",
    headers: { authorization: `Bearer ${sensorKey}` },
    body: alert,
  });
  assert.equal(posted.status, 200);
  incidentId = ((await listIncidents(store.db))[0]?.id ?? "") as string;
  assert.ok(incidentId, "the alert opened an incident");
});
after(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const patch = (id: string, body: string | Buffer, token = sensorKey) =>
  fetch(`${server.url}/api/v1/incidents/${id}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body,
  });

describe("incident API attacks", () => {
  it("a sensor's key cannot resolve the incident its alerts opened", async () => {
    const response = await patch(incidentId, JSON.stringify({ status: "resolved", note: "false positive" }));
    assert.equal(response.status, 403);
    assert.equal((await getIncident(store.db, incidentId))?.status, "open");
  });

  it("ids that try to leave the path or inject SQL find nothing", async () => {
    for (const id of [
      "..%2F..%2Fevents%2Ffalco",
      "%2e%2e",
      encodeURIComponent("' OR '1'='1"),
      encodeURIComponent(`${incidentId}' --`),
    ]) {
      const response = await fetch(`${server.url}/api/v1/incidents/${id}`, {
        headers: { authorization: `Bearer ${viewerKey}` },
      });
      assert.equal(response.status, 404, id);
    }
  });

  it("an admin's oversized, polluting or unknown-field bodies change nothing", async () => {
    const admin = await key("oncall", ["admin"]);
    const before = await getIncident(store.db, incidentId);
    for (const body of [Buffer.alloc(200 * 1024, "a"), JSON.stringify({ note: "x".repeat(100 * 1024) })]) {
      const response = await patch(incidentId, body, admin);
      assert.equal(response.status, 413);
    }
    for (const body of [
      '{"__proto__": {"status": "resolved"}, "note": "polluted"}',
      JSON.stringify({ status: "resolved", severity: "low" }),
      JSON.stringify({ status: "resolved", ruleId: "none" }),
      JSON.stringify([{ status: "resolved" }]),
    ]) {
      const response = await patch(incidentId, body, admin);
      assert.equal(response.status, 400, String(body).slice(0, 60));
    }
    assert.deepEqual(await getIncident(store.db, incidentId), before);
    assert.equal(({} as Record<string, unknown>).status, undefined, "no prototype was polluted");
  });

  it("an owner carrying markup is stored as text and returned as JSON, never interpreted", async () => {
    const admin = await key("oncall-2", ["admin"]);
    const owner = '<img src=x onerror="fetch(`//evil`)">';
    const response = await patch(incidentId, JSON.stringify({ owner }), admin);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    assert.equal(((await response.json()) as { owner: string }).owner, owner);
  });
});
