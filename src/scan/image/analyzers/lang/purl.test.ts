import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodePurlComponent, toPep503Name, toPurl } from "./purl.js";

describe("purl builder", () => {
  it("writes the purl spec's examples", () => {
    assert.equal(
      toPurl({ type: "maven", namespace: "org.apache.xmlgraphics", name: "batik-anim", version: "1.9.1" }),
      "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1",
    );
    assert.equal(
      toPurl({ type: "npm", namespace: "@angular", name: "animation", version: "12.3.1" }),
      "pkg:npm/%40angular/animation@12.3.1",
    );
    assert.equal(toPurl({ type: "pypi", name: "django", version: "1.11.1" }), "pkg:pypi/django@1.11.1");
    assert.equal(
      toPurl({ type: "golang", namespace: "github.com/gorilla", name: "context", version: "234fd47e07d1004f0aed9c" }),
      "pkg:golang/github.com/gorilla/context@234fd47e07d1004f0aed9c",
    );
  });

  it("percent-encodes components but keeps the namespace's slashes", () => {
    assert.equal(
      toPurl({ type: "golang", namespace: "github.com/docker", name: "docker", version: "v24.0.7+incompatible" }),
      "pkg:golang/github.com/docker/docker@v24.0.7%2Bincompatible",
    );
    assert.equal(encodePurlComponent("a b@c/d!"), "a%20b%40c%2Fd%21");
    assert.equal(encodePurlComponent("1:2.0"), "1:2.0");
  });

  it("sorts qualifiers, lower-cases their keys and drops empty ones", () => {
    assert.equal(
      toPurl({
        type: "maven",
        namespace: "g",
        name: "a",
        version: "1",
        qualifiers: { Type: "jar", classifier: "x y", e: "" },
      }),
      "pkg:maven/g/a@1?classifier=x%20y&type=jar",
    );
  });

  it("omits an empty version", () => {
    assert.equal(
      toPurl({ type: "golang", namespace: "example.com", name: "app", version: "" }),
      "pkg:golang/example.com/app",
    );
  });

  it("normalises PyPI names per PEP 503", () => {
    assert.equal(toPep503Name("Foo.Bar__baz-_-Qux"), "foo-bar-baz-qux");
  });
});
