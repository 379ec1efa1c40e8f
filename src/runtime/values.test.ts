import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { cleanString, createFieldReader, toEpochMillis, toIp, toPort } from "./values.js";

describe("toEpochMillis", () => {
  it("reads RFC 3339 with nanoseconds and offsets", () => {
    assert.equal(toEpochMillis("2024-05-01T10:20:05.408091526Z"), Date.UTC(2024, 4, 1, 10, 20, 5, 408));
    assert.equal(toEpochMillis("2024-05-01T12:20:05.4+02:00"), Date.UTC(2024, 4, 1, 10, 20, 5, 400));
    assert.equal(toEpochMillis("2024-05-01t10:20:05z"), Date.UTC(2024, 4, 1, 10, 20, 5));
    assert.equal(toEpochMillis("2016-12-31T23:59:60Z"), Date.UTC(2016, 11, 31, 23, 59, 59));
  });

  it("refuses what is not a timestamp at or after 1970", () => {
    for (const bad of [
      "2024-02-30T00:00:00Z",
      "2024-13-01T00:00:00Z",
      "2024-05-01T10:20:05",
      "0050-01-01T00:00:00Z",
      "1970-01-01T00:30:00+01:00",
      1714557605,
      null,
      "2024-05-01T24:00:00Z",
    ])
      assert.equal(toEpochMillis(bad), undefined, String(bad));
  });

  it("agrees with Date for every millisecond timestamp it is given (property)", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(0), max: new Date("2200-01-01T00:00:00Z"), noInvalidDate: true }), (d) => {
        assert.equal(toEpochMillis(d.toISOString()), d.getTime());
      }),
    );
  });
});

describe("values", () => {
  it("cleans NUL and lone surrogates and cuts without splitting a pair", () => {
    assert.equal(cleanString("a\u0000b\uD800c\uDC00"), "a\uFFFDb\uFFFDc\uFFFD");
    assert.equal(cleanString("😀"), "😀");
    const read = createFieldReader();
    assert.equal(read.text("ab😀", 3, "x"), "ab");
    assert.equal(read.text("<NA>", 3, "y"), undefined);
    assert.deepEqual([...read.truncated], ["x"]);
  });

  it("accepts only real IPs and ports", () => {
    assert.equal(toIp("2001:DB8::1"), "2001:db8::1");
    assert.equal(toIp("[::1]"), "::1");
    assert.equal(toIp("1.2.3"), undefined);
    assert.equal(toPort("443"), 443);
    assert.equal(toPort(65536), undefined);
    assert.equal(toPort(1.5), undefined);
  });
});
