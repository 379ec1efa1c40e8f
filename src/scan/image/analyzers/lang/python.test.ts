import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { pythonAnalyzer } from "./python.js";
import { toPythonMetadata } from "./python-metadata.js";
import { anImageFile, imageFilesFrom } from "./test-helpers.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURE_ROOT = join(HERE, "fixtures/python");
const SYSTEM_DIST_PACKAGES = "/usr/lib/python3/dist-packages";
const SYSTEM_PYTHON = "/usr/bin/python3";

/**
 * Debian 12's python3 packages, as `importlib.metadata.distributions()` of the system Python
 * listed them from /usr/lib/python3/dist-packages (the fixture holds those files' header
 * blocks). cryptography appears twice: Debian ships both a .dist-info and an .egg-info.
 */
const DEBIAN_DISTRIBUTIONS = [
  "PyGObject==3.42.2",
  "PyJWT==2.6.0",
  "PyYAML==6.0",
  "Pygments==2.14.0",
  "argcomplete==2.0.0",
  "blinker==1.5",
  "crcmod==1.7",
  "cryptography==38.0.4",
  "cryptography==38.0.4",
  "dbus-python==1.3.2",
  "distro==1.8.0",
  "httplib2==0.20.4",
  "lazr.restfulclient==0.14.5",
  "lazr.uri==1.0.6",
  "oauthlib==3.2.2",
  "perf==0.1",
  "pip==23.0.1",
  "pyOpenSSL==23.0.0",
  "pyparsing==3.0.9",
  "python-apt==2.6.0",
  "setuptools==66.1.1",
  "six==1.16.0",
  "toml==0.10.2",
  "wadllib==1.3.6",
  "wheel==0.38.4",
  "xmltodict==0.13.0",
  "yq==3.1.0",
];

function listed(packages: { name: string; version: string }[]): string[] {
  return packages.map((p) => `${p.name}==${p.version}`).sort();
}

describe("python analyzer", () => {
  it("wants dist-info METADATA and egg-info PKG-INFO, not other files", () => {
    const wants = (path: string) => pythonAnalyzer.wants(path, 1000, 0o100644);
    assert.equal(wants("usr/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA"), true);
    assert.equal(wants("usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO"), true);
    assert.equal(wants("usr/lib/python3/dist-packages/python_apt-2.6.0.egg-info"), true);
    assert.equal(wants("app/src/myapp.egg-info/PKG-INFO"), true);
    assert.equal(wants("usr/lib/python3.11/site-packages/requests-2.31.0.dist-info/RECORD"), false);
    assert.equal(wants("home/u/Downloads/x.dist-info/METADATA"), false);
    assert.equal(wants("docs/notes.egg-info"), false);
    assert.equal(pythonAnalyzer.wants("a/site-packages/x-1.dist-info/METADATA", 1000, 0o120777), false);
    assert.equal(pythonAnalyzer.maxBytes, 8 * 1024 * 1024, "a larger file is refused by the scan, with a warning");
  });

  it("finds the 27 Debian python3 distributions of the fixture, with purls per PEP 503", () => {
    const files = imageFilesFrom({ root: FIXTURE_ROOT, imageRoot: FIXTURE_ROOT, wants: pythonAnalyzer.wants });
    const { packages, warnings } = pythonAnalyzer.analyze(files, {});
    assert.deepEqual(warnings, []);
    assert.deepEqual(listed(packages), [...DEBIAN_DISTRIBUTIONS].sort());
    const yaml = packages.find((p) => p.name === "PyYAML");
    assert.equal(yaml?.purl, "pkg:pypi/pyyaml@6.0");
    assert.equal(yaml?.path, "usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA");
    assert.equal(yaml?.ecosystem, "PyPI");
    assert.equal(packages.find((p) => p.name === "python-apt")?.purl, "pkg:pypi/python-apt@2.6.0");
    assert.equal(packages.find((p) => p.name === "lazr.uri")?.purl, "pkg:pypi/lazr-uri@1.0.6");
    assert.deepEqual(packages.find((p) => p.name === "cryptography")?.licenses, ["BSD-3-Clause OR Apache-2.0"]);
  });

  const systemSkip =
    !existsSync(SYSTEM_DIST_PACKAGES) || !existsSync(SYSTEM_PYTHON)
      ? `needs ${SYSTEM_DIST_PACKAGES} and ${SYSTEM_PYTHON} (a Debian-family host)`
      : false;
  it("agrees with importlib.metadata on this machine's dist-packages", { skip: systemSkip }, () => {
    // The independent reading first: the system Python's own metadata loader.
    const script = [
      "import importlib.metadata as m, json, sys",
      "ds = m.distributions(path=[sys.argv[1]])",
      'print(json.dumps([d.metadata["Name"] + "==" + d.version for d in ds]))',
    ].join("\n");
    const output = execFileSync(SYSTEM_PYTHON, ["-c", script, SYSTEM_DIST_PACKAGES], { encoding: "utf8" });
    const expected = (JSON.parse(output) as string[]).sort();
    const files = imageFilesFrom({ root: SYSTEM_DIST_PACKAGES, imageRoot: "/", wants: pythonAnalyzer.wants });
    const { packages, warnings } = pythonAnalyzer.analyze(files, {});
    assert.deepEqual(warnings, []);
    assert.deepEqual(listed(packages), expected);
  });

  it("reads only the header block and follows continuation lines", () => {
    const text = [
      "Metadata-Version: 2.1",
      "Name: Demo_Pkg",
      "Version: 1.0.post1",
      "License: Apache Software License",
      "Description: first line",
      "        second line",
      "",
      "Name: not-the-name",
      "Version: 9.9",
    ].join("\n");
    assert.deepEqual(toPythonMetadata(text), {
      name: "Demo_Pkg",
      version: "1.0.post1",
      licenses: ["Apache Software License"],
    });
    const { packages } = pythonAnalyzer.analyze(
      [anImageFile("usr/lib/python3/site-packages/Demo_Pkg-1.0.post1.dist-info/METADATA", text, { layer: 3 })],
      {},
    );
    assert.equal(packages[0]?.purl, "pkg:pypi/demo-pkg@1.0.post1");
    assert.equal(packages[0]?.layer, 3);
  });

  it("prefers License-Expression, then a short License, then the licence classifiers", () => {
    const licenses = (headers: string) => toPythonMetadata(`Name: a\nVersion: 1\n${headers}`).licenses;
    assert.deepEqual(licenses("License-Expression: MIT OR Apache-2.0\nLicense: MIT\n"), ["MIT OR Apache-2.0"]);
    assert.deepEqual(licenses("License: UNKNOWN\nClassifier: License :: OSI Approved :: MIT License\n"), [
      "MIT License",
    ]);
    assert.deepEqual(licenses("License: Copyright (c) 2020\n   Permission is hereby granted\n"), []);
    assert.deepEqual(licenses("Classifier: License :: OSI Approved\nClassifier: Topic :: Utilities\n"), []);
  });

  it("warns about metadata without a Name or Version", () => {
    const { packages, warnings } = pythonAnalyzer.analyze(
      [anImageFile("usr/lib/python3/dist-packages/x.egg-info/PKG-INFO", "Metadata-Version: 1.0\nName: x\n")],
      {},
    );
    assert.deepEqual(packages, []);
    assert.equal(warnings.length, 1);
  });

  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const file = anImageFile("lib/site-packages/x-1.dist-info/METADATA", Buffer.from(bytes));
        const result = pythonAnalyzer.analyze([file], {});
        assert.equal(result.packages.length + result.warnings.length, 1);
      }),
    );
  });
});
