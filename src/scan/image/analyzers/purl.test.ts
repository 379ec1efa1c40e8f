import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { encodePurlComponent, toPurl } from "./purl.js";

describe("toPurl", () => {
  it("builds the deb purl of the contract's example", () => {
    const purl = toPurl({
      type: "deb",
      namespace: "debian",
      name: "openssl",
      version: "3.0.11-1~deb12u2",
      qualifiers: { distro: "debian-12", arch: "amd64" },
    });
    assert.equal(purl, "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12");
  });

  it("encodes + but keeps an epoch's colon, as the spec's canonical form does", () => {
    const purl = toPurl({ type: "deb", namespace: "debian", name: "bsdutils", version: "1:2.38.1-5+deb12u3" });
    assert.equal(purl, "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bdeb12u3");
  });

  it("sorts qualifiers by key and drops empty ones", () => {
    const purl = toPurl({
      type: "RPM",
      namespace: "redhat",
      name: "bash",
      version: "5.1.8-9.el9",
      qualifiers: { epoch: "1", distro: "rhel-9.4", Arch: "x86_64", empty: "", missing: undefined },
    });
    assert.equal(purl, "pkg:rpm/redhat/bash@5.1.8-9.el9?arch=x86_64&distro=rhel-9.4&epoch=1");
  });

  it("encodes separators inside components", () => {
    const purl = toPurl({ type: "apk", namespace: "a b", name: "x@y/z?#", version: "1&2=3" });
    assert.equal(purl, "pkg:apk/a%20b/x%40y%2Fz%3F%23@1%262%3D3");
  });

  it("leaves out the namespace and version when there are none", () => {
    assert.equal(toPurl({ type: "rpm", name: "bash" }), "pkg:rpm/bash");
  });

  it("encodes every component reversibly into the spec's character set", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (value) => {
        const encoded = encodePurlComponent(value);
        assert.match(encoded, /^[A-Za-z0-9.\-_~:%]*$/);
        assert.equal(decodeURIComponent(encoded), value);
      }),
    );
  });
});
