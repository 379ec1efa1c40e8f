/**
 * `palisade scan image` end to end, on images the test writes (layers built in code, as OCI
 * layouts and docker archives). Each fixture's expected result is written in the test before
 * the scanner runs on it; the Debian image carries this machine's own dpkg database and is
 * checked against what `dpkg-query` says of it.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Spec, Validation } from "@cyclonedx/cyclonedx-library";
import { defaultScanOptions, scanImage } from "../src/scan/image/index.js";
import { createMemoryIndex, loadOsvDirectory } from "../src/vuln/index.js";
import { runCli } from "./helpers/cli.js";
import { buildLayer, writeDockerArchive, writeOciLayout } from "./helpers/oci-image.js";

const dir = mkdtempSync(join(tmpdir(), "palisade-scan-image-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `image-${n++}`);
const scan = (reference: string) => scanImage(reference, defaultScanOptions());

/** A pickle that calls os.system: what a poisoned checkpoint looks like to the model scanner. */
const EVIL_PICKLE = Buffer.from([
  0x80, 0x04, 0x95, 0x10, 0, 0, 0, 0, 0, 0, 0, 0x8c, 0x02, 0x6f, 0x73, 0x94, 0x8c, 0x06, 0x73, 0x79, 0x73, 0x74, 0x65,
  0x6d, 0x94, 0x93, 0x94, 0x2e,
]);
const distInfo = (name: string, version: string) => ({
  path: `usr/local/lib/python3.11/site-packages/${name}-${version}.dist-info/METADATA`,
  content: `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n\nA package.\n`,
});
const DEBIAN_OS =
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n';

/** The Python AI image: torch, transformers and vLLM, a poisoned pickle, CUDA, served model in the command. */
async function aiImage(path: string): Promise<void> {
  writeOciLayout(path, {
    "vllm-app": {
      layers: [
        await buildLayer({
          files: [
            { path: "etc/os-release", content: DEBIAN_OS },
            {
              path: "var/lib/dpkg/status",
              content:
                "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nSource: glibc\nVersion: 2.36-9+deb12u4\n\nPackage: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b2\n\nPackage: removed-one\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1.0\n",
            },
            { path: "bin/bash", content: "ELF", mode: 0o755 },
          ],
        }),
        await buildLayer({
          compression: "zstd",
          files: [
            distInfo("torch", "2.3.1"),
            distInfo("transformers", "4.41.2"),
            distInfo("vllm", "0.5.0"),
            distInfo("requests", "2.32.3"),
            { path: "usr/local/cuda/lib64/libcudart.so.12.2.140", content: "ELF" },
            { path: "models/classifier.pkl", content: EVIL_PICKLE },
          ],
        }),
        // The last layer removes requests again: it must not be reported.
        await buildLayer({ files: [{ path: "usr/local/lib/python3.11/site-packages/.wh.requests-2.32.3.dist-info" }] }),
      ],
      config: {
        User: "1000",
        Entrypoint: ["python3", "-m", "vllm.entrypoints.openai.api_server"],
        Cmd: ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--port", "8000"],
        Env: ["PATH=/usr/local/bin:/usr/bin", "HF_TOKEN=hf_Qx7Vb2Lm9Ty4Rk8Wn3Hs6Jd1Fc5Gp0ZaXe"],
        ExposedPorts: { "8000/tcp": {} },
        Healthcheck: { Test: ["CMD", "curl", "-f", "http://localhost:8000/health"] },
      },
    },
  });
}

describe("scan image", () => {
  it("inventories a Python AI image: packages, the AI layer, the poisoned model, the served model", async () => {
    const path = fresh();
    await aiImage(path);
    const report = await scan(`oci:${path}:vllm-app`);
    const packages = report.packages.map((p) => `${p.ecosystem} ${p.name} ${p.version} layer ${p.layer}`).sort();
    assert.deepEqual(packages, [
      "Debian:12 bash 5.2.15-2+b2 layer 0",
      "Debian:12 libc6 2.36-9+deb12u4 layer 0",
      "PyPI torch 2.3.1 layer 1",
      "PyPI transformers 4.41.2 layer 1",
      "PyPI vllm 0.5.0 layer 1",
    ]);
    assert.equal(report.packages.find((p) => p.name === "libc6")?.sourceName, "glibc");
    const ai = report.ai.map((a) => `${a.kind} ${a.name} ${a.version ?? "-"} ${a.category ?? "-"}`).sort();
    assert.deepEqual(ai, [
      "ai-sdk torch 2.3.1 ml-framework",
      "ai-sdk transformers 4.41.2 local-inference",
      "ai-sdk vllm 0.5.0 local-inference",
      "gpu-library cuda-runtime 12.2.140 -",
      "inference-server vllm 0.5.0 -",
    ]);
    assert.deepEqual(
      report.models.map((m) => [m.path, m.layer, m.result.format, m.result.verdict]),
      [["/models/classifier.pkl", 1, "pickle", "malicious"]],
    );
    assert.deepEqual(report.servedModel, { model: "meta-llama/Llama-3.1-8B-Instruct", from: "command --model" });
    const rules = report.findings.map((f) => f.ruleId).sort();
    assert.deepEqual(rules, [
      "image/exposed-ports",
      "image/runtime-shell",
      "image/secret-in-config",
      "model/pickle-dangerous-global",
    ]);
    const secret = report.findings.find((f) => f.ruleId === "image/secret-in-config");
    assert.ok(!JSON.stringify(secret).includes("Qx7Vb2"), "the secret's value is never in the report");
    assert.equal(report.os?.id, "debian");
  });

  it("reads this machine's dpkg database as dpkg-query does, from a docker archive", async () => {
    const archive = `${fresh()}.tar`;
    await writeDockerArchive(archive, {
      layers: [
        await buildLayer({
          compression: "none",
          files: [
            { path: "etc/os-release", content: readFileSync("/etc/os-release") },
            { path: "var/lib/dpkg/status", content: readFileSync("/var/lib/dpkg/status") },
          ],
        }),
      ],
      config: { User: "app" },
    });
    const expected = execFileSync("dpkg-query", ["-W", "-f", "${Package}\t${Version}\t${db:Status-Status}\n"], {
      encoding: "utf8",
    })
      .split("\n")
      .filter((l) => l.endsWith("\tinstalled"))
      .map((l) => l.split("\t").slice(0, 2).join(" "));
    const report = await scan(`docker-archive:${archive}`);
    const found = report.packages.map((p) => `${p.name} ${p.version}`);
    assert.deepEqual([...new Set(found)].sort(), [...new Set(expected)].sort());
    assert.ok(!report.findings.some((f) => f.ruleId === "image/runs-as-root"));
  });

  it("reads an Alpine image and a distroless one", async () => {
    const alpine = fresh();
    writeOciLayout(alpine, {
      latest: {
        layers: [
          await buildLayer({
            files: [
              { path: "etc/os-release", content: 'ID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\n' },
              {
                path: "lib/apk/db/installed",
                content:
                  "C:Q1abc=\nP:musl\nV:1.2.5-r0\nA:x86_64\nL:MIT\no:musl\n\nC:Q1def=\nP:libcrypto3\nV:3.3.2-r0\nA:x86_64\nL:Apache-2.0\no:openssl\n\n",
              },
            ],
          }),
        ],
      },
    });
    const a = await scan(`oci:${alpine}`);
    assert.deepEqual(
      a.packages.map((p) => [p.ecosystem, p.name, p.version, p.sourceName]),
      [
        ["Alpine:v3.20", "musl", "1.2.5-r0", "musl"],
        ["Alpine:v3.20", "libcrypto3", "3.3.2-r0", "openssl"],
      ],
    );
    const distroless = fresh();
    writeOciLayout(distroless, {
      latest: {
        layers: [
          await buildLayer({
            files: [
              { path: "etc/os-release", content: DEBIAN_OS },
              {
                path: "var/lib/dpkg/status.d/base-files",
                content:
                  "Package: base-files\nStatus: install ok installed\nArchitecture: amd64\nVersion: 12.4+deb12u7\n",
              },
              { path: "var/lib/dpkg/status.d/base-files.md5sums", content: "abc  etc/issue\n" },
              {
                path: "var/lib/dpkg/status.d/libssl3",
                content:
                  "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.14-1~deb12u2\n",
              },
            ],
          }),
        ],
        config: { User: "65532" },
      },
    });
    const d = await scan(`oci:${distroless}`);
    assert.deepEqual(d.packages.map((p) => `${p.name} ${p.version}`).sort(), [
      "base-files 12.4+deb12u7",
      "libssl3 3.0.14-1~deb12u2",
    ]);
    assert.ok(!d.findings.some((f) => f.ruleId.startsWith("image/runtime-")), "distroless ships no shell");
  });

  it("finds the MCP server of a Node image", async () => {
    const path = fresh();
    writeOciLayout(path, {
      latest: {
        layers: [
          await buildLayer({
            files: [
              {
                path: "app/node_modules/@modelcontextprotocol/server-filesystem/package.json",
                content: JSON.stringify({
                  name: "@modelcontextprotocol/server-filesystem",
                  version: "2025.7.1",
                  license: "MIT",
                }),
              },
              {
                path: "app/node_modules/@modelcontextprotocol/sdk/package.json",
                content: JSON.stringify({ name: "@modelcontextprotocol/sdk", version: "1.17.0" }),
              },
              {
                path: "app/node_modules/zod/package.json",
                content: JSON.stringify({ name: "zod", version: "3.25.76" }),
              },
            ],
          }),
        ],
        config: {
          User: "node",
          Entrypoint: ["node", "/app/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js"],
        },
      },
    });
    const report = await scan(`oci:${path}`);
    assert.deepEqual(report.ai.map((a) => `${a.kind} ${a.name}`).sort(), [
      "ai-sdk @modelcontextprotocol/sdk",
      "mcp-server @modelcontextprotocol/server-filesystem",
    ]);
  });

  it("streams a Go binary (its modules found, the file never kept) and says which files were over a limit", async (t) => {
    // typescript@7 ships its compiler as a Go binary: a real one, 24 MB, over the 16 MB kept whole.
    const tsgo = join(process.cwd(), "node_modules/@typescript/typescript-linux-x64/lib/tsc");
    if (!existsSync(tsgo)) return t.skip("no Go binary in node_modules");
    const path = fresh();
    const huge = JSON.stringify({ name: "huge", version: "1.0.0", description: "x".repeat(5 * 1024 * 1024) });
    writeOciLayout(path, {
      latest: {
        layers: [
          await buildLayer({
            files: [
              { path: "usr/local/bin/tsc", content: readFileSync(tsgo), mode: 0o755 },
              { path: "app/node_modules/huge/package.json", content: huge },
              {
                path: "app/node_modules/small/package.json",
                content: JSON.stringify({ name: "small", version: "2.0.0" }),
              },
            ],
          }),
        ],
        config: { User: "1000" },
      },
    });
    // Kept content is capped far below the binary's size: only its build info can have been kept.
    const report = await scanImage(`oci:${path}`, { ...defaultScanOptions(), limits: { maxKeptBytes: 1024 * 1024 } });
    const go = report.packages.filter((p) => p.ecosystem === "Go");
    assert.ok(
      go.some((p) => p.name === "stdlib" && /^v1\.\d+\.\d+/.test(p.version)),
      JSON.stringify(go.slice(0, 3)),
    );
    assert.ok(go.length > 3, `${go.length} Go packages`);
    assert.ok(go.every((p) => p.path === "usr/local/bin/tsc"));
    assert.deepEqual(
      report.packages.filter((p) => p.ecosystem === "npm").map((p) => p.name),
      ["small"],
    );
    // The same binary in a root file system on disk (`dir:`) is streamed from the file.
    const root = fresh();
    mkdirSync(join(root, "bin"), { recursive: true });
    copyFileSync(tsgo, join(root, "bin/tsc"));
    const fromDir = await scan(`dir:${root}`);
    assert.deepEqual(
      fromDir.packages.map((p) => `${p.name}@${p.version}`),
      go.map((p) => `${p.name}@${p.version}`),
    );
    assert.ok(
      report.warnings.some((w) =>
        /node-modules: \/app\/node_modules\/huge\/package\.json \(\d+ bytes\) was not read: over its/.test(w),
      ),
      report.warnings.join("\n"),
    );
  });

  it("finds secrets baked into configuration and credential files, not in package trees or placeholders", async () => {
    const path = fresh();
    const github = `ghp_${"R8mKq2Wz5Tn7Yx3Vb9Lc4Hd6Jf1Gs0Pa2Ue"}`;
    const aws = "AKIAZ7QXW3ERT5YUI8OP";
    writeOciLayout(path, {
      latest: {
        layers: [
          await buildLayer({
            files: [
              { path: "app/.env", content: `PORT=8000\nGITHUB_TOKEN=${github}\nOPENAI_API_KEY=your-key-here\n` },
              {
                path: "etc/myapp/config.yaml",
                content: `region: eu-west-1\naws:\n  access_key_id: ${aws}\n  secret_access_key: Wq3rT8yU2iO5pA9sD4fG7hJ1kL6zX0cV3bN8mQ2e\n`,
              },
              // Third-party test fixtures and documentation are not the image author's secrets.
              { path: "app/node_modules/somelib/test/.env", content: `GITHUB_TOKEN=${github}\n` },
              { path: "usr/share/doc/tool/example.conf", content: `token = ${github}\n` },
            ],
          }),
        ],
        config: { User: "1000" },
      },
    });
    const report = await scan(`oci:${path}`);
    const found = report.findings
      .filter((f) => f.ruleId === "image/secret-in-file")
      .map((f) => `${f.location?.path}:${f.location?.line}`)
      .sort();
    // Written before the run as lines 2 and 3 only; the secret access key on line 4 is a secret too.
    assert.deepEqual(found, ["/app/.env:2", "/etc/myapp/config.yaml:3", "/etc/myapp/config.yaml:4"]);
    assert.ok(
      report.findings.every((f) => !JSON.stringify(f).includes(github)),
      "the value is never shown",
    );
  });

  it("writes CycloneDX 1.6 that the official schema accepts, and JSON, from the CLI", async () => {
    const path = fresh();
    await aiImage(path);
    const bom = await runCli(["scan", "image", `oci:${path}:vllm-app`, "--format", "cyclonedx"]);
    assert.equal(bom.code, 0, bom.stderr);
    const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
    const errors = await validator.validate(bom.stdout);
    assert.equal(errors, null, JSON.stringify(errors)?.slice(0, 500));
    const parsed = JSON.parse(bom.stdout) as {
      components: { purl?: string; type: string }[];
      metadata: { component: { type: string } };
    };
    assert.equal(parsed.metadata.component.type, "container");
    assert.ok(parsed.components.some((c) => c.purl === "pkg:pypi/torch@2.3.1"));
    assert.ok(parsed.components.some((c) => c.type === "machine-learning-model"));

    const json = await runCli(["scan", "image", `oci:${path}:vllm-app`, "--format", "json"]);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as { summary: { packages: number; models: number } };
    assert.deepEqual([report.summary.packages, report.summary.models], [5, 1]);
  });

  it("gates with --exit-code and names a bad reference in one line with exit 2", async () => {
    const path = fresh();
    await aiImage(path);
    const gate = await runCli(["scan", "image", `oci:${path}:vllm-app`, "--exit-code"]);
    assert.equal(gate.code, 1, gate.stderr);
    const missing = await runCli(["scan", "image", `oci:${path}:nope`]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no image tagged nope \(tags: vllm-app\)/);
    const registry = await runCli(["scan", "image", "registry:localhost:5000/Bad/Name"]);
    assert.equal(registry.code, 2);
    assert.match(registry.stderr, /expected HOST\/REPOSITORY/);
  });

  it("matches the packages against OSV advisories (expected ids listed by hand from the PyPA files)", async (t) => {
    const pypa = [process.env.PALISADE_DATASETS, "../shared/datasets", "/work/shared/datasets"]
      .filter((d): d is string => d !== undefined)
      .map((d) => join(d, "osv/pypa-advisory-database/vulns"))
      .find((d) => existsSync(d));
    if (!pypa) {
      if (process.env.CI) throw new Error("CI is set but ../shared/datasets/osv is missing");
      t.skip("the OSV datasets are not at ../shared/datasets/osv");
      return;
    }
    const index = createMemoryIndex();
    for (const name of ["jinja2", "torch"]) await loadOsvDirectory(join(pypa, name), { index });
    const path = fresh();
    writeOciLayout(path, {
      latest: {
        layers: [
          await buildLayer({
            files: [distInfo("Jinja2", "2.10"), distInfo("torch", "1.13.0"), distInfo("transformers", "4.41.2")],
          }),
        ],
        config: { User: "1000" },
      },
    });
    const report = await scanImage(`oci:${path}`, { ...defaultScanOptions(), advisories: index });
    // From jinja2/*.yaml: PYSEC-2019-217 (< 2.10.1) and PYSEC-2021-66 (< 2.11.3) cover 2.10; the
    // 2014 and 2019-220 advisories were fixed in 2.7.2, 2.7.3 and 2.8.1. torch/PYSEC-2022-43015: < 1.13.1.
    assert.deepEqual(
      report.vulnerabilities?.map((v) => [v.package.name, v.id, v.fixedIn, v.advisories.join(",")]).sort(),
      [
        ["Jinja2", "CVE-2019-10906", "2.10.1", "PYSEC-2019-217"],
        ["Jinja2", "CVE-2020-28493", "2.11.3", "PYSEC-2021-66"],
        ["torch", "CVE-2022-45907", "1.13.1", "PYSEC-2022-43015"],
      ],
    );
    const finding = report.findings.find((f) => f.ruleId === "CVE-2022-45907");
    assert.equal(finding?.location?.path, "/usr/local/lib/python3.11/site-packages/torch-1.13.0.dist-info/METADATA");

    const bom = await runCli([
      "scan",
      "image",
      `oci:${path}`,
      "--format",
      "cyclonedx",
      "--advisories",
      join(pypa, "jinja2"),
    ]);
    assert.equal(bom.code, 0, bom.stderr);
    const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
    assert.equal(await validator.validate(bom.stdout), null);
    const ids = (JSON.parse(bom.stdout) as { vulnerabilities: { id: string }[] }).vulnerabilities
      .map((v) => v.id)
      .sort();
    assert.deepEqual(ids, ["CVE-2019-10906", "CVE-2020-28493"]);
  });
});
