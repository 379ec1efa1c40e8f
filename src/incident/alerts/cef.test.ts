import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { anAlert, parseCef, parseCefExtension } from "./alert-sink.contract.js";
import { escapeCefHeader, escapeCefValue, toCef, withoutControls } from "./cef.js";

describe("CEF", () => {
  it("writes the header and the standard extension keys", () => {
    const line = toCef(anAlert({ severity: "critical" }), { productVersion: "1.2.3" });
    const event = parseCef(line);
    assert.equal(event.version, "0");
    assert.equal(event.vendor, "Palisade");
    assert.equal(event.product, "Palisade");
    assert.equal(event.deviceVersion, "1.2.3");
    assert.equal(event.signatureId, "injection.blocked");
    assert.equal(event.name, "Prompt injection blocked");
    assert.equal(event.severity, "10");
    assert.equal(event.extension.rt, String(anAlert().time));
    assert.equal(event.extension.externalId, "inc-42");
    assert.equal(event.extension.cs1Label, "dedupKey");
    assert.equal(event.extension.cs1, "injection.blocked:api-key:ci-bot");
    assert.equal(event.extension.cs2, "injection.blocked");
    assert.equal(event.extension.suser, "api-key:ci-bot");
    assert.equal(event.extension.palisadeModel, "llama3.1");
    assert.equal(event.extension.palisadeScore, "0.97");
    assert.equal(event.extension.request, "https://palisade.example/incidents/inc-42");
  });

  it("maps severities onto 0-10", () => {
    const scale = (["critical", "high", "medium", "low", "info"] as const).map(
      (severity) => parseCef(toCef(anAlert({ severity }))).severity,
    );
    assert.deepEqual(scale, ["10", "8", "5", "3", "1"]);
  });

  it("escapes hostile header and extension values so they cannot forge fields", () => {
    const line = toCef(
      anAlert({
        rule: "rule|with\\pipes",
        title: "evil|CEF:0|Fake|Vendor\\|x\nsecond line",
        summary: "a=b c\\d\nsrc=10.0.0.1 act=allowed\r\nend |pipe|",
        fields: { identity: "eve suser=root", "bad key!": "x=y", "": "empty name" },
      }),
    );
    assert.ok(!line.includes("\n") && !line.includes("\r"), "one line");
    assert.match(line, /\|rule\\\|with\\\\pipes\|evil\\\|CEF:0\\\|Fake\\\|Vendor\\\\\\\|x second line\|8\|/);
    assert.match(line, / msg=a\\=b c\\\\d\\nsrc\\=10\.0\.0\.1 act\\=allowed\\r\\nend \|pipe\| /);
    const event = parseCef(line);
    assert.equal(event.signatureId, "rule|with\\pipes");
    assert.equal(event.name, "evil|CEF:0|Fake|Vendor\\|x second line");
    assert.equal(event.extension.msg, "a=b c\\d\nsrc=10.0.0.1 act=allowed\r\nend |pipe|");
    assert.equal(event.extension.suser, "eve suser=root");
    assert.equal(event.extension.palisadeBadkey, "x=y");
    assert.equal(event.extension.palisadeField, "empty name");
    assert.equal(event.extension.act, undefined, "no forged key");
    assert.equal(event.extension.src, undefined, "no forged key");
  });

  it("replaces control characters that have no escape", () => {
    assert.equal(escapeCefValue("a\u0000b\u001bc"), "a b c");
    assert.equal(escapeCefHeader("x\u0007|y"), "x \\|y");
  });

  it("gives two fields that sanitise to the same key distinct keys", () => {
    const event = parseCef(toCef(anAlert({ fields: { "a-b": "1", ab: "2", "a b": "3" } })));
    assert.equal(event.extension.palisadeAb, "1");
    assert.equal(event.extension.palisadeAb2, "2");
    assert.equal(event.extension.palisadeAb3, "3");
  });

  const hostile = fc.string({
    unit: fc.oneof(
      fc.constantFrom("\\", "=", "|", "\n", "\r", " ", "  ", "\\n", "\\=", "k=", " a=", "\u0000", "é", "😀", "\t"),
      fc.string({ maxLength: 3 }),
    ),
    maxLength: 60,
  });

  it("parses an escaped extension back to the original values (property)", () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 6 }), (values) => {
        const text = values.map((v, i) => `k${i}=${escapeCefValue(v)}`).join(" ");
        const parsed = parseCefExtension(text);
        assert.deepEqual(parsed, Object.fromEntries(values.map((v, i) => [`k${i}`, withoutControls(v)])));
      }),
      { numRuns: 500 },
    );
  });

  it("parses an escaped header back to the original values (property)", () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (rule, title, summary) => {
        const event = parseCef(toCef(anAlert({ rule, title, summary, fields: { identity: title } })));
        const asHeader = (v: string) => withoutControls(v).replace(/\r\n|[\r\n]/g, " ");
        assert.equal(event.signatureId, asHeader(rule));
        assert.equal(event.name, asHeader(title));
        assert.equal(event.extension.msg, withoutControls(summary));
        assert.equal(event.extension.suser, withoutControls(title));
        assert.equal(event.extension.cs2, rule === "" ? undefined : withoutControls(rule));
      }),
      { numRuns: 500 },
    );
  });
});
