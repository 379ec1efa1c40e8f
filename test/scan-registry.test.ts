/**
 * The registry source against a real registry (Debian's docker-registry, started here): images
 * built by the test, pushed with skopeo, pulled by tag and by digest, one platform of a
 * multi-arch index, anonymous and behind token auth.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { defaultScanOptions, scanImage } from "../src/scan/image/index.js";
import { parseChallenge, parseRegistryReference } from "../src/scan/image/source/registry.js";
import { runCli } from "./helpers/cli.js";
import { buildLayer, writeOciLayout } from "./helpers/oci-image.js";
import { registrySkipReason, startRegistry, type TestRegistry } from "./helpers/registry.js";

const skip = registrySkipReason();
const dir = mkdtempSync(join(tmpdir(), "palisade-registry-scan-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function pythonImage(arch: string, torch: string) {
  return {
    platform: { os: "linux", architecture: arch },
    layers: [
      await buildLayer({
        files: [
          { path: "etc/os-release", content: "ID=debian\nVERSION_ID=12\n" },
          {
            path: `usr/lib/python3/dist-packages/torch-${torch}.dist-info/METADATA`,
            content: `Metadata-Version: 2.1\nName: torch\nVersion: ${torch}\n\n`,
          },
        ],
      }),
    ],
    config: { User: "1000" },
  };
}

describe("registry references", () => {
  it("split host, repository, tag and digest as Docker does", () => {
    assert.deepEqual(parseRegistryReference("127.0.0.1:5000/team/app:1.2"), {
      registry: "127.0.0.1:5000",
      repository: "team/app",
      tag: "1.2",
    });
    assert.deepEqual(parseRegistryReference("nginx"), {
      registry: "docker.io",
      repository: "library/nginx",
      tag: "latest",
    });
    const digest = `sha256:${"a".repeat(64)}`;
    assert.deepEqual(parseRegistryReference(`ghcr.io/org/model-server@${digest}`), {
      registry: "ghcr.io",
      repository: "org/model-server",
      digest,
    });
    assert.throws(() => parseRegistryReference("ghcr.io/Org/App"), /expected HOST\/REPOSITORY/);
    assert.throws(() => parseRegistryReference("ghcr.io/org/app@sha256:12"), /expected HOST/);
  });

  it("read a bearer challenge", () => {
    assert.deepEqual(
      parseChallenge(
        'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"',
      ),
      {
        scheme: "bearer",
        params: { realm: "https://auth.example/token", service: "registry.example", scope: "repository:a/b:pull" },
      },
    );
  });
});

describe("scan image from a registry", { skip }, () => {
  let open: TestRegistry;
  let locked: TestRegistry;
  const auth = { username: "ci", password: "s3cret-pass" };
  before(async () => {
    const layout = join(dir, "layout");
    writeOciLayout(layout, { multi: [await pythonImage("amd64", "2.3.1"), await pythonImage("arm64", "2.4.0")] });
    open = await startRegistry();
    await open.push(layout, "multi", "ml/app:v1");
    locked = await startRegistry(auth);
    await locked.push(layout, "multi", "ml/app:v1", `${auth.username}:${auth.password}`);
  });
  after(async () => {
    await open?.stop();
    await locked?.stop();
  });

  const torchOf = async (reference: string, options: object = {}) => {
    const report = await scanImage(reference, { ...defaultScanOptions(), registry: { insecure: true }, ...options });
    return {
      version: report.packages.find((p) => p.name === "torch")?.version,
      digest: report.digest,
      platform: report.platform,
    };
  };

  it("pulls by tag, picking linux/amd64 from the index, and another platform when asked", async () => {
    const amd = await torchOf(`registry:${open.host}/ml/app:v1`);
    assert.deepEqual([amd.version, amd.platform], ["2.3.1", "linux/amd64"]);
    const arm = await torchOf(`registry:${open.host}/ml/app:v1`, { platform: "linux/arm64" });
    assert.deepEqual([arm.version, arm.platform], ["2.4.0", "linux/arm64"]);
    // The platform manifest's digest names the same image when pulled by digest.
    const byDigest = await torchOf(`registry:${open.host}/ml/app@${amd.digest}`);
    assert.deepEqual([byDigest.version, byDigest.digest], ["2.3.1", amd.digest]);
  });

  it("gets a token from the registry's token service with credentials, and says so without them", async () => {
    await assert.rejects(torchOf(`registry:${locked.host}/ml/app:v1`), /token service refused \(401\)/);
    const withCreds = await torchOf(`registry:${locked.host}/ml/app:v1`, {
      registry: { insecure: true, username: auth.username, password: auth.password },
    });
    assert.equal(withCreds.version, "2.3.1");
  });

  it("pulls through the CLI with --insecure and credentials from the environment", async () => {
    const result = await runCli(
      ["scan", "image", `registry:${locked.host}/ml/app:v1`, "--insecure", "--format", "json", "--no-store"],
      {
        env: { PALISADE_REGISTRY_USERNAME: auth.username, PALISADE_REGISTRY_PASSWORD: auth.password },
      },
    );
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { packages: { name: string; version: string }[] };
    assert.deepEqual(
      report.packages.map((p) => `${p.name} ${p.version}`),
      ["torch 2.3.1"],
    );
  });

  it("names a missing tag and an unreachable registry", async () => {
    await assert.rejects(torchOf(`registry:${open.host}/ml/app:v9`), /no manifest v9/);
    await assert.rejects(torchOf("registry:127.0.0.1:1/ml/app:v1"), /cannot reach http:\/\/127.0.0.1:1/);
  });
});
