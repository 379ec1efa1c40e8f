import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseHostPort } from "./listen.js";

describe("parseHostPort", () => {
  it("reads HOST:PORT, [IPv6]:PORT and :PORT (loopback)", () => {
    assert.deepEqual(parseHostPort("0.0.0.0:7070"), { host: "0.0.0.0", port: 7070 });
    assert.deepEqual(parseHostPort("localhost:0"), { host: "localhost", port: 0 });
    assert.deepEqual(parseHostPort("[::1]:8443"), { host: "::1", port: 8443 });
    assert.deepEqual(parseHostPort(":5050"), { host: "127.0.0.1", port: 5050 });
  });

  it("refuses what is not one, naming the flag", () => {
    for (const bad of ["localhost", "::1:80", "host:65536", "host:-1", "host:80x", "[::1]", "a b:80", "h:123456", ""])
      assert.throws(() => parseHostPort(bad, "--mcp-listen"), /^PalisadeError: --mcp-listen must be HOST:PORT/, bad);
  });

  it("gives back any host name and port it was given", () => {
    fc.assert(
      fc.property(fc.domain(), fc.integer({ min: 0, max: 65_535 }), (host, port) => {
        assert.deepEqual(parseHostPort(`${host}:${port}`), { host, port });
      }),
    );
  });
});
