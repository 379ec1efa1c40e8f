import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { analysePickle } from "./vm.js";

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe("pickle VM", () => {
  it("resolves GLOBAL + REDUCE into a reconstructed call at the REDUCE offset", () => {
    const a = analysePickle(bytes("cos\nsystem\n(S'id'\ntR."));
    assert.equal(a.pickles, 1);
    assert.equal(a.findings[0]?.rule, "pickle-dangerous-call");
    assert.equal(a.findings[0]?.detail, 'os.system("id") (can start processes or run shell commands: os)');
    assert.equal(a.findings[0]?.capability, "spawn-process");
    assert.equal(a.findings[0]?.offset, 19);
  });

  it("leaves an allowlisted state dict without findings and counts its tensors", () => {
    // OrderedDict({'w': _rebuild_tensor_v2(persid(('storage', FloatStorage, '0', 'cpu', 6)), 0, (2, 3), (3, 1))})
    const a = analysePickle(
      bytes(
        [0x80, 2],
        "ccollections\nOrderedDict\n)R",
        "X",
        [1, 0, 0, 0],
        "w",
        "ctorch._utils\n_rebuild_tensor_v2\n(",
        "(X",
        [7, 0, 0, 0],
        "storagectorch\nFloatStorage\nX",
        [1, 0, 0, 0],
        "0X",
        [3, 0, 0, 0],
        "cpuK",
        [6],
        "tQK",
        [0],
        "K",
        [2],
        "K",
        [3],
        [0x86],
        "K",
        [3],
        "K",
        [1],
        [0x86],
        "tRs.",
      ),
    );
    assert.deepEqual(a.findings, []);
    assert.equal(a.tensors, 1);
    assert.equal(a.parameters, 6);
    assert.deepEqual(a.dtypes, ["float32"]);
  });

  it("pops a MARK with POP when the segment above it is empty, as pickle.py does", () => {
    const a = analysePickle(bytes("(0cos\nsystem\n(S'id'\ntR."));
    assert.equal(a.pickles, 1);
    assert.equal(a.findings[0]?.rule, "pickle-dangerous-call");
  });

  it("classifies unknown callables as suspicious, never safe", () => {
    const a = analysePickle(bytes("cmypkg.models\nNet\n)R."));
    assert.equal(a.findings[0]?.rule, "pickle-unknown-global");
    assert.equal(a.findings[0]?.effect, "suspicious");
  });

  it("reports a truncated stream and an unknown opcode as unscannable", () => {
    assert.equal(analysePickle(bytes([0x80, 2], "N")).findings[0]?.effect, "unscannable");
    assert.match(analysePickle(bytes([0x80, 2, 0xfd], ".")).findings[0]?.detail ?? "", /unknown opcode 0xfd/);
    assert.match(analysePickle(bytes([0x80, 7], "N.")).findings[0]?.detail ?? "", /protocol 7/);
    assert.equal(analysePickle(new Uint8Array()).findings[0]?.effect, "unscannable");
  });

  it("stops at the opcode limit instead of running on", () => {
    const long = new Uint8Array(200_001).fill(0x4e);
    long[long.length - 1] = 0x2e;
    const a = analysePickle(long, { limits: { maxOps: 1000 } });
    assert.match(a.findings[0]?.detail ?? "", /limit/);
    assert.equal(a.findings[0]?.effect, "unscannable");
  });

  it("analyses a pickle nested in bytes handed to pickle.loads", () => {
    const inner = bytes("cos\nsystem\n(S'id'\ntR.");
    const outer = bytes("cpickle\nloads\n(C", [inner.length], [...inner], "tR.");
    outer[0] = 0x63;
    const withProto = Uint8Array.from([0x80, 3, ...outer]);
    const a = analysePickle(withProto);
    assert.ok(a.findings.some((f) => f.detail.startsWith("nested pickle") && f.detail.includes('os.system("id")')));
  });

  it("never throws and never calls a non-empty unparsed stream safe (random bytes)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (input) => {
        const a = analysePickle(input, { limits: { maxMs: 500 } });
        if (a.pickles === 0) assert.ok(a.findings.some((f) => f.effect === "unscannable"));
      }),
      { numRuns: 3000 },
    );
  });

  it("catches a dangerous call nested anywhere in a benign structure (generated pickles)", () => {
    type Tree =
      | { k: "int"; v: number }
      | { k: "str"; v: string }
      | { k: "evil" }
      | { k: "list" | "tuple" | "dict"; items: Tree[] };
    const leaf = fc.oneof(
      fc.record({ k: fc.constant("int" as const), v: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }),
      fc.record({ k: fc.constant("str" as const), v: fc.string({ maxLength: 20 }) }),
    );
    const tree = fc.letrec<{ tree: Tree }>((tie) => ({
      tree: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        leaf,
        fc.record({
          k: fc.constantFrom("list" as const, "tuple" as const, "dict" as const),
          items: fc.array(tie("tree"), { maxLength: 4 }),
        }),
      ),
    })).tree;
    const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
    const text = (t: string) => [...new TextEncoder().encode(t)];
    const encode = (t: Tree): number[] => {
      switch (t.k) {
        case "int":
          return [0x4a, ...u32(t.v)];
        case "str":
          return [0x58, ...u32(text(t.v).length), ...text(t.v)];
        case "evil":
          return [...text("cposix\nsystem\n("), 0x58, ...u32(2), ...text("id"), 0x74, 0x52];
        case "list":
          return [0x5d, 0x28, ...t.items.flatMap(encode), 0x65];
        case "tuple":
          return [0x28, ...t.items.flatMap(encode), 0x74];
        case "dict":
          return [0x7d, 0x28, ...t.items.flatMap((item, i) => [0x4a, ...u32(i), ...encode(item)]), 0x75];
      }
    };
    const insert = (t: Tree, path: number): Tree => {
      if (t.k === "list" || t.k === "tuple" || t.k === "dict") {
        const items = [...t.items];
        const at = items.length === 0 ? 0 : path % (items.length + 1);
        if (at === items.length) items.push({ k: "evil" });
        else items[at] = insert(items[at] as Tree, Math.floor(path / 2));
        return { ...t, items };
      }
      return { k: "list", items: [t, { k: "evil" }] };
    };
    fc.assert(
      fc.property(tree, fc.nat(), (t, path) => {
        const benign = analysePickle(Uint8Array.from([0x80, 2, ...encode(t), 0x2e]));
        assert.deepEqual(benign.findings, []);
        const evil = analysePickle(Uint8Array.from([0x80, 2, ...encode(insert(t, path)), 0x2e]));
        assert.equal(evil.pickles, 1);
        assert.ok(
          evil.findings.some((f) => f.rule === "pickle-dangerous-call" && f.detail.startsWith('posix.system("id")')),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it("never throws on opcode soup built from real opcodes", () => {
    const ops = [..."(.012FIJKLMNPQRSTUVXabcdeghijlopqrstu}])GBC"].map((c) => c.charCodeAt(0));
    const opcodes = fc.array(
      fc.oneof(
        fc.constantFrom(...ops, 0x80, 0x81, 0x85, 0x86, 0x87, 0x88, 0x8c, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95),
        fc.integer({ min: 0, max: 255 }),
      ),
      { maxLength: 300 },
    );
    fc.assert(
      fc.property(opcodes, (soup) => {
        const a = analysePickle(Uint8Array.from([0x80, 4, ...soup, 0x2e]), { limits: { maxMs: 500 } });
        assert.ok(a.findings.length <= 400);
      }),
      { numRuns: 3000 },
    );
  });
});
