import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { FALCO_PRIORITIES, FALCO_PRIORITY_SEVERITY, toFalcoEvent, toFalcoPriority } from "./falco.js";
import { parseSensorBatch } from "./ingest.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/falco/${name}`, import.meta.url));
const payloadOf = (name: string) => {
  const batch = parseSensorBatch("falco", fixture(name));
  assert.deepEqual(batch.rejected, []);
  return batch.events[0]?.payload as Record<string, unknown>;
};

function anAlert(overrides: Record<string, unknown> = {}, fields: Record<string, unknown> = {}) {
  return {
    rule: "r",
    priority: "Warning",
    time: "2024-05-01T10:00:00.123456789Z",
    output_fields: { "proc.exepath": "/bin/sh", ...fields },
    ...overrides,
  };
}

describe("Falco priorities", () => {
  it("map every priority to a severity, most severe first", () => {
    assert.deepEqual(
      FALCO_PRIORITIES.map((p) => FALCO_PRIORITY_SEVERITY[p]),
      ["critical", "critical", "critical", "high", "medium", "low", "info", "info"],
    );
  });

  it("accept any case and the short INFO of rule files", () => {
    assert.equal(toFalcoPriority("CRITICAL"), "Critical");
    assert.equal(toFalcoPriority("info"), "Informational");
    assert.equal(toFalcoPriority("warn"), undefined);
  });

  it("fall back to medium, keeping the word, when the priority is unknown", () => {
    const r = toFalcoEvent(anAlert({ priority: "Severe" }));
    assert.ok(r.ok);
    assert.equal(r.payload.severity, "medium");
    assert.equal(r.payload.priority, "Severe");
  });
});

describe("toFalcoEvent", () => {
  it("normalises a terminal shell in a container", () => {
    const p = payloadOf("terminal-shell-in-container.ndjson");
    assert.equal(p.category, "alert");
    assert.equal(p.severity, "low");
    assert.equal(p.priority, "Notice");
    assert.equal(p.node, "gpu-node-a");
    assert.deepEqual(p.container, {
      id: "3ad7b26ded6d",
      name: "vllm",
      image: "docker.io/vllm/vllm-openai:v0.6.3",
    });
    assert.deepEqual(p.k8s, { namespace: "inference", pod: "vllm-7d9c5b6f4-x2x8q" });
    assert.deepEqual(p.process, { pid: 48213, binary: "/usr/bin/bash", args: [], uid: 0, user: "root" });
    assert.deepEqual(p.ancestors, [{ pid: 48190, binary: "containerd-shim", args: [] }]);
    assert.equal(p.network, undefined);
    assert.equal(p.file, undefined);
  });

  it("reads an outbound connection client to server", () => {
    const p = payloadOf("outbound-connection.ndjson");
    assert.deepEqual(p.network, {
      protocol: "tcp",
      srcIp: "10.244.1.7",
      srcPort: 43122,
      dstIp: "93.184.216.34",
      dstPort: 443,
    });
    assert.equal(p.file, undefined, "a socket tuple in fd.name is not a file");
    assert.deepEqual((p.process as { args: string[] }).args, ["-c", "import", "urllib.request"]);
  });

  it("falls back to the fd.name tuple when the ip fields are absent", () => {
    const r = toFalcoEvent(anAlert({}, { "fd.name": "[::1]:5000->[2001:db8::1]:443", "fd.l4proto": "TCP" }));
    assert.ok(r.ok);
    assert.deepEqual(r.payload.network, {
      protocol: "tcp",
      srcIp: "::1",
      srcPort: 5000,
      dstIp: "2001:db8::1",
      dstPort: 443,
    });
    const v4 = toFalcoEvent(anAlert({}, { "fd.name": "10.0.0.1:5000->1.2.3.4:443" }));
    assert.ok(v4.ok);
    assert.deepEqual(v4.payload.network, { srcIp: "10.0.0.1", srcPort: 5000, dstIp: "1.2.3.4", dstPort: 443 });
  });

  it("reads a sensitive file read with the whole ancestor chain and the image digest", () => {
    const p = payloadOf("read-sensitive-file.ndjson");
    assert.deepEqual(p.file, { path: "/etc/shadow", operation: "read" });
    assert.deepEqual(
      (p.ancestors as { binary: string }[]).map((a) => a.binary),
      ["sh", "bash", "containerd-shim"],
    );
    assert.match(String((p.container as { imageDigest: string }).imageDigest), /^sha256:[0-9a-f]{64}$/);
    assert.equal(p.severity, "medium");
  });

  it("reads a write below /etc with the parent's command line", () => {
    const p = payloadOf("write-below-etc.ndjson");
    assert.deepEqual(p.file, { path: "/etc/ld.so.preload", operation: "openat" });
    assert.equal(p.severity, "high");
    assert.deepEqual((p.ancestors as { args: string[] }[])[0]?.args, ["-m", "mcp_server_files", "--root", "/data"]);
  });

  it("reads falcosidekick's webhook, pretty-printed, with its uuid as the id", () => {
    const batch = parseSensorBatch("falco", fixture("falcosidekick-webhook.json"));
    assert.equal(batch.events[0]?.id, "falco:7c1e3e2a-4b5d-4c8e-9f0a-1b2c3d4e5f60");
    const p = batch.events[0]?.payload as Record<string, unknown>;
    assert.equal(p.severity, "critical");
    assert.equal(p.node, "gpu-node-b");
    assert.deepEqual(p.tags, ["ai_workload", "mitre_execution", "palisade", "T1059"]);
  });

  it("treats container id host as no container", () => {
    const batch = parseSensorBatch("falco", fixture("several-alerts.ndjson"));
    const host = batch.events.find((e) => e.payload.rule === "Run shell untrusted");
    assert.ok(host);
    assert.equal(host.payload.container, undefined);
    assert.ok(host.payload.process);
  });

  it("skips <NA>, null and wrong-typed fields instead of rejecting the alert", () => {
    const r = toFalcoEvent(
      anAlert(
        { tags: "x", hostname: 7 },
        {
          "proc.exepath": { a: 1 },
          "proc.exe": "<NA>",
          "proc.name": "sh",
          "proc.pid": -1,
          "user.uid": 4294967295,
          "container.id": "not-hex",
          "container.image.digest": "sha256:short",
          "fd.sip": "999.0.0.1",
          "fd.sport": 70000,
          "k8s.ns.name": null,
        },
      ),
    );
    assert.ok(r.ok);
    assert.deepEqual(r.payload.process, { binary: "sh", args: [] });
    assert.equal(r.payload.container, undefined);
    assert.equal(r.payload.network, undefined);
    assert.equal(r.payload.k8s, undefined);
    assert.deepEqual(r.payload.tags, []);
  });

  it("rejects what is not an alert", () => {
    for (const [raw, reason] of [
      [anAlert({ rule: "  " }), /rule/],
      [anAlert({ time: "2024-05-01" }), /RFC 3339/],
      [anAlert({ output_fields: "a=b" }), /output_fields/],
      [[anAlert()], /array/],
    ] as const) {
      const r = toFalcoEvent(raw);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.reason, reason);
    }
  });
});
