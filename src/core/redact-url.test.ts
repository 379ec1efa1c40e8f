import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { redactUrl } from "./redact-url.js";

describe("redactUrl", () => {
  it("hides the password of URLs the parser accepts and of those it does not", () => {
    assert.equal(redactUrl("postgres://pal:secret@db:5432/x"), "postgres://pal:***@db:5432/x");
    assert.equal(redactUrl("htp://admin:secretpw@host"), "htp://admin:***@host");
    assert.equal(redactUrl("mysql:/u:secretpw@h/x"), "mysql:/u:***@h/x");
    assert.equal(redactUrl("redis://:secretpw@127.0.0.1:6379"), "redis://:***@127.0.0.1:6379");
    assert.equal(redactUrl("http://127.0.0.1:8000/v1"), "http://127.0.0.1:8000/v1");
    assert.equal(redactUrl("./palisade.db"), "./palisade.db");
  });

  it("never returns a password it was given", () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{6,20}$/);
    const scheme = fc.constantFrom("postgres", "mysql", "htp", "redis", "file", "ftp");
    const slashes = fc.constantFrom("", "/", "//");
    fc.assert(
      fc.property(scheme, slashes, secret, (s, sl, pw) => !redactUrl(`${s}:${sl}user:${pw}@host/x`).includes(pw)),
    );
  });
});
