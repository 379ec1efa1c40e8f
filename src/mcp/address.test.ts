/**
 * The SSRF classifier: fixed cases for every range and spelling the scan must catch, and
 * properties over generated addresses (every 10/8, 172.16/12, 192.168/16, 127/8 and 169.254/16
 * address is non-public in every spelling a URL parser accepts: dotted, decimal, hex, octal,
 * IPv4-mapped IPv6), checked against a plain CIDR test written here independently of ipaddr.js.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { classifyHost, classifyUrl } from "./address.js";

/** Independent oracle: is a.b.c.d in one of the ranges a scan must never treat as public? */
function isPrivateV4([a, b]: readonly number[]): boolean {
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 172 && (b as number) >= 16 && (b as number) <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && (b as number) >= 64 && (b as number) <= 127)
  );
}

const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet);
const privateV4 = fc.oneof(
  fc.tuple(fc.constant(10), octet, octet, octet),
  fc.tuple(fc.constant(127), octet, octet, octet),
  fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), octet, octet),
  fc.tuple(fc.constant(192), fc.constant(168), octet, octet),
  fc.tuple(fc.constant(169), fc.constant(254), octet, octet),
);

/** The spellings of one IPv4 address that WHATWG URL parsing (and so every Electron client) accepts. */
function spellings(o: readonly number[]): string[] {
  const n = (((o[0] as number) << 24) >>> 0) + ((o[1] as number) << 16) + ((o[2] as number) << 8) + (o[3] as number);
  const hex = (x: number) => `0x${x.toString(16)}`;
  const oct = (x: number) => `0${x.toString(8)}`;
  const mapped = `[::ffff:${(((o[0] as number) << 8) | (o[1] as number)).toString(16)}:${(((o[2] as number) << 8) | (o[3] as number)).toString(16)}]`;
  return [
    o.join("."),
    String(n),
    hex(n),
    oct(n),
    o.map(hex).join("."),
    o.map(oct).join("."),
    `${o[0]}.${((o[1] as number) << 16) + ((o[2] as number) << 8) + (o[3] as number)}`,
    mapped,
    `[::ffff:${o.join(".")}]`,
  ];
}

describe("SSRF address classifier", () => {
  it("classifies the addresses and names the issue lists", () => {
    const cases: [string, string][] = [
      ["http://169.254.169.254/latest/meta-data/", "metadata"],
      ["http://[fd00:ec2::254]/", "metadata"],
      ["http://metadata.google.internal/computeMetadata/v1/", "metadata"],
      ["http://[fd00::1]/", "private"],
      ["http://[fd12:3456::1]/", "private"],
      ["http://10.1.2.3/", "private"],
      ["http://172.16.0.1/", "private"],
      ["http://172.31.255.255/", "private"],
      ["http://192.168.1.1/", "private"],
      ["http://127.0.0.1/", "loopback"],
      ["http://127.255.0.9/", "loopback"],
      ["http://[::1]/", "loopback"],
      ["http://localhost:8080/", "loopback"],
      ["http://api.localhost/", "loopback"],
      ["http://0.0.0.0/", "loopback"],
      ["http://2130706433/", "loopback"],
      ["http://0x7f.1/", "loopback"],
      ["http://017700000001/", "loopback"],
      ["http://[::ffff:127.0.0.1]/", "loopback"],
      ["http://[::ffff:a9fe:a9fe]/", "metadata"],
      ["http://[64:ff9b::10.0.0.1]/", "private"],
      ["http://[2002:c0a8:101::1]/", "private"],
      ["http://[fe80::1]/", "link-local"],
      ["http://169.254.10.10/", "link-local"],
      ["http://service.internal/", "local-name"],
      ["http://printer.local/", "local-name"],
      ["http://intranet/", "local-name"],
      ["http://10.0.0.1.nip.io/", "private"],
      ["http://app.127-0-0-1.sslip.io/", "loopback"],
      ["http://localtest.me/", "loopback"],
      ["https://mcp.example.com/mcp", "public"],
      ["https://8.8.8.8/", "public"],
      ["https://[2606:4700::1111]/", "public"],
      ["http://172.32.0.1/", "public"],
      ["not a url", "invalid"],
    ];
    for (const [url, expected] of cases) assert.equal(classifyUrl(url).class, expected, url);
  });

  it("finds every private IPv4 address non-public in every spelling a URL accepts", () => {
    fc.assert(
      fc.property(privateV4, (o) => {
        for (const host of spellings(o)) {
          const got = classifyUrl(`http://${host}/mcp`).class;
          assert.notEqual(got, "public", `${host} (${o.join(".")}) classified public`);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("agrees with an independent CIDR check on any IPv4 address", () => {
    fc.assert(
      fc.property(ipv4, (o) => {
        const got = classifyHost(o.join("."));
        if (isPrivateV4(o)) assert.notEqual(got, "public", o.join("."));
        // Public per the oracle may still be special-purpose (documentation, multicast, 240/4).
        else if (got !== "public")
          assert.ok(["reserved", "metadata", "private"].includes(got), `${o.join(".")}: ${got}`);
      }),
      { numRuns: 2000 },
    );
  });

  it("never throws on arbitrary hosts and URLs", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.ipV6(), fc.domain()), (text) => {
        classifyHost(text);
        classifyUrl(text);
        classifyUrl(`http://${text}/`);
      }),
      { numRuns: 2000 },
    );
  });
});
