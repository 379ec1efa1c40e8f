import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  imageDigestOf,
  normaliseContainerId,
  type OwnerLookup,
  type PodObservation,
  podSpecProblem,
  resolvePodOwner,
  toPodObservation,
} from "./k8s-pods.js";

const FIXTURE = new URL("./fixtures/k8s-cluster/kubectl-get-all.json", import.meta.url);
const items = (JSON.parse(readFileSync(FIXTURE, "utf8")) as { items: Record<string, unknown>[] }).items;
const podNamed = (name: string) => {
  const object = items.find((o) => o.kind === "Pod" && (o.metadata as { name: string }).name === name);
  assert.ok(object, name);
  const pod = toPodObservation(object);
  assert.ok(!("problem" in pod), JSON.stringify(pod));
  return pod;
};
const HEX = "8a551c83aab7b9657838b83fd18d5da8e0f6754ddb1bce05d4d947a4fc1025db";
const DIGEST = "sha256:1356c7c3ebfd845f19796bef1e5685b37b1face15b7b26304b5a7e8d6daab07c";

describe("container ids and image digests", () => {
  it("keys a container by the first 12 hex digits of its id, whatever the runtime's scheme", () => {
    for (const raw of [
      `containerd://${HEX}`,
      `docker://${HEX}`,
      `cri-o://${HEX}`,
      HEX,
      HEX.toUpperCase(),
      HEX.slice(0, 12),
    ])
      assert.equal(normaliseContainerId(raw), "8a551c83aab7", raw);
    for (const raw of ["", undefined, null, "containerd://", "containerd://xyz", HEX.slice(0, 11), `${HEX}0`, "a/b"])
      assert.equal(normaliseContainerId(raw), undefined, String(raw));
  });

  it("reads the digest a container runs from every imageID form", () => {
    for (const imageId of [
      `docker.io/library/nginx@${DIGEST}`,
      `docker-pullable://nginx@${DIGEST}`,
      `docker://${DIGEST}`,
      DIGEST,
      `ghcr.io/acme/vllm-app@${DIGEST}`,
    ])
      assert.equal(imageDigestOf(imageId), DIGEST, imageId);
    for (const imageId of ["", "nginx:1.27", "sha256:abc", `${DIGEST}x`, 42, null, `x@${"a".repeat(3000)}`])
      assert.equal(imageDigestOf(imageId), undefined, String(imageId));
  });
});

describe("reading pods", () => {
  it("reads a running vLLM pod: node, owner, container id, digest, GPUs", () => {
    const pod = podNamed("vllm-7d9f8b6c5d-x2x7k");
    assert.equal(pod.namespace, "ml");
    assert.equal(pod.node, "gpu-node-1");
    assert.equal(pod.phase, "Running");
    assert.deepEqual(pod.owner, { kind: "ReplicaSet", name: "vllm-7d9f8b6c5d" });
    assert.equal(pod.containers.length, 1);
    const [vllm] = pod.containers;
    assert.equal(vllm?.name, "vllm");
    assert.equal(vllm?.role, "app");
    assert.equal(vllm?.state, "running");
    assert.equal(vllm?.image, "ghcr.io/acme/vllm-app:v1");
    assert.equal(vllm?.imageDigest, DIGEST);
    assert.match(vllm?.runtimeId ?? "", /^containerd:\/\/[0-9a-f]{64}$/);
    assert.equal(vllm?.id, vllm?.runtimeId?.slice("containerd://".length, "containerd://".length + 12));
    assert.deepEqual(vllm?.gpu, { "nvidia.com/gpu": 1 });
  });

  it("reads an initialising pod: the init container runs, the main one has no id yet", () => {
    const pod = podNamed("ollama-5f6d7c8b9-tr5hz");
    assert.deepEqual(
      pod.containers.map((c) => [c.name, c.role, c.state, c.id !== undefined]),
      [
        ["ollama", "app", "waiting", false],
        ["pull-model", "init", "running", true],
      ],
    );
    // Not started: no digest from the status; the spec names a tag, so none at all.
    assert.equal(pod.containers[0]?.imageDigest, undefined);
  });

  it("takes the digest from a pinned spec image when the status has none", () => {
    const pod = toPodObservation({
      kind: "Pod",
      metadata: { name: "pinned", namespace: "ml" },
      spec: { containers: [{ name: "app", image: `registry.acme.internal/app@${DIGEST}` }] },
    });
    assert.ok(!("problem" in pod));
    assert.equal(pod.containers[0]?.imageDigest, DIGEST);
    assert.equal(pod.containers[0]?.state, "unknown");
  });

  it("reads a completed Job pod as terminated and keeps its id", () => {
    const pod = podNamed("model-sync-28845120-9xk2p");
    assert.equal(pod.containers[0]?.state, "terminated");
    assert.ok(pod.containers[0]?.id);
  });

  it("gives a reason, never an exception, for pods of the wrong shape", () => {
    const cases: [unknown, RegExp][] = [
      [{ kind: "Pod" }, /without metadata/],
      [{ kind: "Pod", metadata: [] }, /without metadata/],
      [{ kind: "Pod", metadata: { name: 42 } }, /metadata.name/],
      [{ kind: "Pod", metadata: { name: "a/b" } }, /metadata.name/],
      [{ kind: "Pod", metadata: { name: "p", namespace: {} } }, /namespace/],
      [{ kind: "Pod", metadata: { name: "p" } }, /without spec/],
      [{ kind: "Pod", metadata: { name: "p" }, spec: { containers: 5 } }, /not a list/],
      [{ kind: "Pod", metadata: { name: "p" }, spec: { containers: [null] } }, /not an object/],
      [{ kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", ports: "80" }] } }, /ports/],
      [
        { kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", resources: { limits: 1 } }] } },
        /limits/,
      ],
      [
        { kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ image: "x" }] } },
        /container without a valid name/,
      ],
      [
        { kind: "Pod", metadata: { name: "p" }, spec: { containers: [] }, status: { containerStatuses: "running" } },
        /not a list/,
      ],
      [
        {
          kind: "Pod",
          metadata: { name: "p" },
          spec: { containers: Array.from({ length: 300 }, (_, i) => ({ name: `c${i}` })) },
        },
        /more than 256/,
      ],
    ];
    for (const [object, reason] of cases) {
      const result = toPodObservation(object as Record<string, unknown>);
      assert.ok("problem" in result, JSON.stringify(object).slice(0, 80));
      assert.match(result.problem, reason);
    }
  });

  it("ignores status fields of the wrong type rather than trusting them", () => {
    const pod = toPodObservation({
      kind: "Pod",
      metadata: { name: "p", namespace: "ml", ownerReferences: "nope", labels: { a: 1, b: "x" } },
      spec: { nodeName: 7, containers: [{ name: "c", image: 9 }] },
      status: {
        phase: 3,
        containerStatuses: [7, { name: "c", containerID: 12, imageID: ["x"], restartCount: -1, state: "running" }],
      },
    });
    assert.ok(!("problem" in pod));
    assert.deepEqual(pod.labels, { b: "x" });
    assert.equal(pod.owner, undefined);
    assert.equal(pod.node, undefined);
    assert.deepEqual(pod.containers, [{ name: "c", role: "app", image: "", state: "unknown", gpu: {} }]);
  });

  it("never throws on any JSON value (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.jsonValue({ maxDepth: 4 }), (spec, status) => {
        const result = toPodObservation({ kind: "Pod", metadata: { name: "p" }, spec, status } as Record<
          string,
          unknown
        >);
        assert.ok("problem" in result || Array.isArray(result.containers));
        podSpecProblem(spec);
      }),
      { numRuns: 500 },
    );
  });
});

describe("the workload a pod belongs to", () => {
  const lookup = (
    controllers: Record<string, { kind: string; name: string } | null> = {},
    known: string[] = [],
  ): OwnerLookup => ({
    controllerOf: (ns, kind, name) => controllers[`${ns}/${kind}/${name}`],
    isKnownWorkload: (ns, kind, name) => known.includes(`${ns}/${kind}/${name}`),
  });
  const aPod = (owner: PodObservation["owner"], labels: Record<string, string> = {}): PodObservation => ({
    namespace: "ml",
    name: "p",
    labels,
    containers: [],
    ...(owner ? { owner } : {}),
  });

  it("follows Pod → ReplicaSet → Deployment through the ReplicaSet's ownerReferences", () => {
    const pod = podNamed("vllm-7d9f8b6c5d-x2x7k");
    const owner = resolvePodOwner(
      pod,
      lookup({ "ml/ReplicaSet/vllm-7d9f8b6c5d": { kind: "Deployment", name: "vllm" } }),
    );
    assert.deepEqual(owner, { kind: "Deployment", name: "vllm", via: "owner-references" });
  });

  it("derives the Deployment from the pod-template-hash when the ReplicaSet is not in the input", () => {
    const pod = podNamed("vllm-7d9f8b6c5d-x2x7k");
    assert.deepEqual(resolvePodOwner(pod, lookup()), { kind: "Deployment", name: "vllm", via: "pod-template-hash" });
    // A ReplicaSet whose name does not end in the pod's hash stays the workload.
    const bare = aPod({ kind: "ReplicaSet", name: "batch-rs" }, { "pod-template-hash": "abc12" });
    assert.deepEqual(resolvePodOwner(bare, lookup()), {
      kind: "ReplicaSet",
      name: "batch-rs",
      via: "owner-references",
    });
  });

  it("keeps a ReplicaSet or Job with no controller as the workload", () => {
    const pod = aPod({ kind: "ReplicaSet", name: "rs-x" });
    assert.deepEqual(resolvePodOwner(pod, lookup({ "ml/ReplicaSet/rs-x": null })), {
      kind: "ReplicaSet",
      name: "rs-x",
      via: "owner-references",
    });
  });

  it("follows Pod → Job → CronJob, and names a CronJob from a Job's name only when the CronJob is known", () => {
    const pod = podNamed("model-sync-28845120-9xk2p");
    assert.deepEqual(
      resolvePodOwner(pod, lookup({ "ml/Job/model-sync-28845120": { kind: "CronJob", name: "model-sync" } })),
      { kind: "CronJob", name: "model-sync", via: "owner-references" },
    );
    assert.deepEqual(resolvePodOwner(pod, lookup({}, ["ml/CronJob/model-sync"])), {
      kind: "CronJob",
      name: "model-sync",
      via: "cronjob-name",
    });
    assert.deepEqual(resolvePodOwner(pod, lookup()), {
      kind: "Job",
      name: "model-sync-28845120",
      via: "owner-references",
    });
  });

  it("takes StatefulSet and DaemonSet owners directly", () => {
    assert.deepEqual(resolvePodOwner(podNamed("qdrant-0"), lookup()), {
      kind: "StatefulSet",
      name: "qdrant",
      via: "owner-references",
    });
  });

  it("makes a pod with no owner, or an owner it does not model (a static pod's Node), its own workload", () => {
    assert.deepEqual(resolvePodOwner(podNamed("debug-shell"), lookup()), {
      kind: "Pod",
      name: "debug-shell",
      via: "pod",
    });
    assert.deepEqual(resolvePodOwner(aPod({ kind: "Node", name: "node-1" }), lookup()), {
      kind: "Pod",
      name: "p",
      via: "pod",
    });
  });
});
