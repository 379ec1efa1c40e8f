/**
 * The shipped sensor rules: rules/falco/palisade-ai.yaml is well-formed Falco, self-contained
 * (every macro and list it uses is defined here, before use, and none is unused) and only names
 * output fields our parser reads; rules/tetragon/palisade-ai.yaml is a well-formed TracingPolicy.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parse, parseAllDocuments } from "yaml";
import { FALCO_OUTPUT_FIELDS, FALCO_PRIORITY_SEVERITY, toFalcoPriority } from "./falco.js";
import { parseSensorBatch } from "./ingest.js";

const FALCO_RULES = new URL("../../rules/falco/palisade-ai.yaml", import.meta.url);
const TETRAGON_POLICY = new URL("../../rules/tetragon/palisade-ai.yaml", import.meta.url);
const RULE_FIXTURES = new URL("./fixtures/falco/palisade-rules.ndjson", import.meta.url);

// ---------------------------------------------------------------------------------------------
// A small reader for Falco conditions: enough grammar to tell fields, operators and literal
// values from macro and list references (https://falco.org/docs/concepts/rules/conditions/).

type Token = { kind: "word" | "string" | "symbol"; text: string };

function tokenize(condition: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\()|(\))|(,)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(!=|<=|>=|=|<|>)|([^\s(),"'=<>!]+))/y;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < condition.length) {
    re.lastIndex = at;
    m = re.exec(condition);
    if (!m) {
      if (/^\s*$/.test(condition.slice(at))) break;
      throw new Error(`cannot tokenize condition at ${at}: ${condition.slice(at, at + 20)}`);
    }
    at = re.lastIndex;
    if (m[1] || m[2] || m[3]) tokens.push({ kind: "symbol", text: m[1] ?? m[2] ?? m[3] ?? "" });
    else if (m[4]) tokens.push({ kind: "string", text: m[4] });
    else if (m[5]) tokens.push({ kind: "symbol", text: m[5] });
    else if (m[6]) tokens.push({ kind: "word", text: m[6] });
  }
  return tokens;
}

const UNARY_OPERATORS = new Set(["exists"]);
const LIST_OPERATORS = new Set(["in", "intersects", "pmatch"]);
const BINARY_OPERATORS = new Set([
  "=",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "contains",
  "icontains",
  "bcontains",
  "startswith",
  "bstartswith",
  "endswith",
  "glob",
  "iglob",
  "regex",
]);
/** Fields are `class.name`, optionally with an argument: `proc.aname[2]`, `evt.arg.fd`. */
const isField = (word: string) => /^[a-z0-9_]+\.[a-z0-9_.]+(\[[^\]]*\])?$/.test(word);

interface References {
  macros: string[];
  /** Bare words inside `in (...)`-style lists: list references or literals. */
  listItems: string[];
  fields: string[];
}

/** Walk a condition, returning the macros it calls and the words inside its value lists. */
function references(condition: string): References {
  const tokens = tokenize(condition);
  const out: References = { macros: [], listItems: [], fields: [] };
  let state: "operand" | "operator" | "value" | "logical" = "operand";
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const where = `token ${i} (${t.text}) in: ${condition}`;
    switch (state) {
      case "operand":
        if (t.text === "not") continue;
        if (t.text === "(") {
          depth++;
          continue;
        }
        assert.equal(t.kind, "word", `expected a field or macro at ${where}`);
        if (isField(t.text)) {
          out.fields.push(t.text);
          state = "operator";
        } else {
          out.macros.push(t.text);
          state = "logical";
        }
        continue;
      case "operator":
        if (UNARY_OPERATORS.has(t.text)) state = "logical";
        else if (LIST_OPERATORS.has(t.text)) {
          assert.equal(tokens[i + 1]?.text, "(", `expected ( after ${t.text} at ${where}`);
          i += 2;
          for (; i < tokens.length && tokens[i]?.text !== ")"; i++) {
            const item = tokens[i] as Token;
            if (item.text === ",") continue;
            if (item.kind === "word") out.listItems.push(item.text);
          }
          assert.equal(tokens[i]?.text, ")", `unclosed list at ${where}`);
          state = "logical";
        } else {
          assert.ok(BINARY_OPERATORS.has(t.text), `unknown operator at ${where}`);
          state = "value";
        }
        continue;
      case "value":
        assert.notEqual(t.text, "(", `expected a value at ${where}`);
        state = "logical";
        continue;
      case "logical":
        if (t.text === ")") {
          depth--;
          assert.ok(depth >= 0, `unbalanced ) at ${where}`);
          continue;
        }
        assert.ok(t.text === "and" || t.text === "or", `expected and/or at ${where}`);
        state = "operand";
        continue;
    }
  }
  assert.equal(depth, 0, `unbalanced parentheses in: ${condition}`);
  assert.equal(state, "logical", `condition ends early: ${condition}`);
  return out;
}

/** `%field` placeholders of a rule output. */
const outputFields = (output: string) =>
  [...output.matchAll(/%([a-z0-9_]+\.[a-z0-9_.]+(?:\[\d+\])?)/g)].map((m) => m[1]);

// ---------------------------------------------------------------------------------------------

type FalcoItem = Record<string, unknown>;
const falcoItems = parse(readFileSync(FALCO_RULES, "utf8")) as FalcoItem[];
const rules = falcoItems.filter((i) => "rule" in i);

describe("Falco condition reader", () => {
  it("tells macros, list references, literals and fields apart", () => {
    const refs = references(
      'not a_macro and (proc.name in (bash, my_list) or fd.name startswith /etc) and evt.dir = < and fd.sip in ("1.2.3.4")',
    );
    assert.deepEqual(refs.macros, ["a_macro"]);
    assert.deepEqual(refs.listItems, ["bash", "my_list"]);
    assert.deepEqual(refs.fields, ["proc.name", "fd.name", "evt.dir", "fd.sip"]);
  });

  it("refuses broken conditions", () => {
    assert.throws(() => references("proc.name = "));
    assert.throws(() => references("(a_macro and b_macro"));
    assert.throws(() => references("proc.name in bash"));
    assert.throws(() => references("a_macro b_macro"));
  });
});

describe("rules/falco/palisade-ai.yaml", () => {
  const defined = new Map<string, { kind: "macro" | "list"; at: number }>();
  falcoItems.forEach((item, at) => {
    if (typeof item.macro === "string") defined.set(item.macro, { kind: "macro", at });
    if (typeof item.list === "string") defined.set(item.list, { kind: "list", at });
  });

  it("declares the engine version and only rules, macros and lists", () => {
    assert.equal(typeof falcoItems[0]?.required_engine_version, "string");
    for (const item of falcoItems.slice(1))
      assert.equal(["rule", "macro", "list"].filter((k) => k in item).length, 1, JSON.stringify(item).slice(0, 80));
    assert.ok(rules.length >= 6);
  });

  it("gives every rule the required keys, a known priority and the palisade tag", () => {
    for (const rule of rules) {
      for (const key of ["rule", "desc", "condition", "output", "priority"])
        assert.equal(typeof rule[key], "string", `${rule.rule}: ${key}`);
      assert.ok(toFalcoPriority(rule.priority), `${rule.rule}: priority ${rule.priority}`);
      assert.ok(Array.isArray(rule.tags) && rule.tags.includes("palisade"), `${rule.rule}: tags`);
      assert.ok(rule.tags.includes("ai_workload"), `${rule.rule}: tags`);
    }
  });

  it("prefixes every name with palisade_ and defines each once", () => {
    const names = falcoItems.flatMap((i) => [i.rule, i.macro, i.list].filter((n) => typeof n === "string"));
    for (const name of names) assert.match(name as string, /^palisade_[a-z0-9_]+$/);
    assert.equal(new Set(names).size, names.length);
  });

  it("defines every macro and list it references, before the reference, and leaves none unused", () => {
    const used = new Set<string>();
    falcoItems.forEach((item, at) => {
      const name = String(item.rule ?? item.macro ?? item.list);
      const refs: { macros: string[]; listItems: string[] } =
        typeof item.condition === "string"
          ? references(item.condition)
          : { macros: [], listItems: Array.isArray(item.items) ? item.items.map(String) : [] };
      for (const macro of refs.macros) {
        const def = defined.get(macro);
        assert.equal(def?.kind, "macro", `${name} calls undefined macro ${macro}`);
        assert.ok((def?.at ?? Infinity) < at, `${name} uses ${macro} before it is defined`);
        used.add(macro);
      }
      for (const word of refs.listItems) {
        const def = defined.get(word);
        if (def) {
          assert.equal(def.kind, "list", `${name}: ${word} is a macro inside a list`);
          assert.ok(def.at < at, `${name} uses ${word} before it is defined`);
          used.add(word);
        } else assert.doesNotMatch(word, /^palisade_/, `${name} references undefined list ${word}`);
      }
    });
    assert.deepEqual(
      [...defined.keys()].filter((n) => !used.has(n)),
      [],
      "unused macros or lists",
    );
  });

  it("names only output fields the Falco parser reads", () => {
    const known = new Set(FALCO_OUTPUT_FIELDS);
    for (const rule of rules) {
      const unknown = outputFields(String(rule.output)).filter((f) => !known.has(f as string));
      assert.deepEqual(unknown, [], `${rule.rule}`);
    }
  });
});

describe("an alert from every shipped Falco rule", () => {
  const lines = readFileSync(RULE_FIXTURES, "utf8").trim().split("\n");
  const batch = parseSensorBatch("falco", readFileSync(RULE_FIXTURES));

  it("has a recorded alert per rule, whose fields are exactly the rule's output fields", () => {
    assert.deepEqual(
      lines.map((l) => JSON.parse(l).rule),
      rules.map((r) => r.rule),
    );
    for (const [i, line] of lines.entries()) {
      const alert = JSON.parse(line);
      assert.deepEqual(
        Object.keys(alert.output_fields).sort(),
        [...new Set(outputFields(String(rules[i]?.output)))].sort(),
        alert.rule,
      );
    }
  });

  it("normalises each one completely", () => {
    assert.deepEqual(batch.rejected, []);
    assert.equal(batch.events.length, rules.length);
    for (const [i, event] of batch.events.entries()) {
      const rule = rules[i] as FalcoItem;
      const p = event.payload as Record<string, Record<string, unknown> | string | undefined>;
      const priority = toFalcoPriority(rule.priority);
      assert.ok(priority);
      assert.equal(p.rule, rule.rule);
      assert.equal(p.severity, FALCO_PRIORITY_SEVERITY[priority]);
      assert.deepEqual(event.payload.tags, rule.tags);
      assert.ok(p.process && p.container && p.k8s, `${rule.rule}: process, container, k8s`);
      assert.match(String((p.container as Record<string, unknown>).id), /^[0-9a-f]{12}$/);
      const tags = rule.tags as string[];
      if (tags.includes("network"))
        assert.ok(p.network && (p.network as Record<string, unknown>).dstPort !== undefined);
      if (tags.includes("filesystem") || tags.includes("gpu")) assert.ok(p.file, `${rule.rule}: file`);
    }
  });
});

// ---------------------------------------------------------------------------------------------

const ARG_TYPES = new Set([
  "int",
  "uint32",
  "uint64",
  "int64",
  "size_t",
  "string",
  "char_buf",
  "file",
  "path",
  "fd",
  "sock",
  "skb",
  "sockaddr",
  "linux_binprm",
  "cred",
]);
const ARG_OPERATORS = new Set([
  "Equal",
  "NotEqual",
  "Prefix",
  "NotPrefix",
  "Postfix",
  "NotPostfix",
  "Mask",
  "GreaterThan",
  "LessThan",
  "SAddr",
  "DAddr",
  "NotSAddr",
  "NotDAddr",
  "SPort",
  "DPort",
  "NotSPort",
  "NotDPort",
  "SPortPriv",
  "DPortPriv",
  "Protocol",
  "Family",
  "State",
]);
const BINARY_MATCH_OPERATORS = new Set(["In", "NotIn", "Prefix", "NotPrefix", "Postfix", "NotPostfix"]);
/** Tetragon evaluates at most this many selectors per hook. */
const MAX_SELECTORS = 5;

describe("rules/tetragon/palisade-ai.yaml", () => {
  const docs = parseAllDocuments(readFileSync(TETRAGON_POLICY, "utf8")).map((d) => d.toJS());
  const policy = docs[0] as {
    apiVersion: string;
    kind: string;
    metadata: { name: string };
    spec: { kprobes: Record<string, unknown>[] };
  };

  it("is one TracingPolicy named palisade-ai", () => {
    assert.equal(docs.length, 1);
    assert.equal(policy.apiVersion, "cilium.io/v1alpha1");
    assert.equal(policy.kind, "TracingPolicy");
    assert.equal(policy.metadata.name, "palisade-ai");
    assert.ok(Array.isArray(policy.spec.kprobes) && policy.spec.kprobes.length > 0);
  });

  it("hooks connects, file permission checks and fd installs", () => {
    assert.deepEqual(
      policy.spec.kprobes.map((k) => k.call),
      ["tcp_connect", "security_file_permission", "fd_install"],
    );
  });

  it("gives every kprobe typed args and selectors that refer to them", () => {
    for (const kprobe of policy.spec.kprobes) {
      const call = String(kprobe.call);
      assert.equal(kprobe.syscall, false, call);
      const args = kprobe.args as { index: number; type: string }[];
      assert.ok(Array.isArray(args) && args.length > 0, call);
      for (const arg of args) {
        assert.ok(Number.isInteger(arg.index) && arg.index >= 0, call);
        assert.ok(ARG_TYPES.has(arg.type), `${call}: arg type ${arg.type}`);
      }
      assert.ok(Array.isArray(kprobe.tags) && (kprobe.tags as string[]).includes("palisade"), call);
      const selectors = kprobe.selectors as Record<string, unknown>[];
      assert.ok(Array.isArray(selectors) && selectors.length > 0 && selectors.length <= MAX_SELECTORS, call);
      for (const selector of selectors) {
        for (const key of Object.keys(selector))
          assert.ok(["matchArgs", "matchBinaries"].includes(key), `${call}: ${key}`);
        for (const m of (selector.matchArgs ?? []) as { index: number; operator: string; values: unknown[] }[]) {
          assert.ok(
            args.some((a) => a.index === m.index),
            `${call}: matchArgs index ${m.index} is not a declared arg`,
          );
          assert.ok(ARG_OPERATORS.has(m.operator), `${call}: operator ${m.operator}`);
          assert.ok(Array.isArray(m.values) && m.values.length > 0 && m.values.every((v) => typeof v === "string"));
          const type = args.find((a) => a.index === m.index)?.type;
          if (/Addr$/.test(m.operator)) {
            assert.equal(type, "sock", `${call}: ${m.operator} needs a sock arg`);
            for (const v of m.values) assert.match(String(v), /^[0-9.]+\/\d{1,2}$/, `${call}: CIDR ${v}`);
          }
          if (m.operator === "Prefix" && type === "file")
            for (const v of m.values) assert.match(String(v), /^\//, `${call}: path ${v}`);
        }
        for (const m of (selector.matchBinaries ?? []) as { operator: string; values: unknown[] }[]) {
          assert.ok(BINARY_MATCH_OPERATORS.has(m.operator), `${call}: matchBinaries ${m.operator}`);
          for (const v of m.values) assert.match(String(v), /^\//, `${call}: binary ${v} must be absolute`);
        }
      }
    }
  });

  it("names the policy the Tetragon fixtures were recorded under", () => {
    const exported = parseSensorBatch(
      "tetragon",
      readFileSync(new URL("./fixtures/tetragon/export.ndjson", import.meta.url)),
    );
    const policies = new Set(exported.events.map((e) => e.payload.rule).filter(Boolean));
    assert.deepEqual([...policies], [policy.metadata.name]);
  });
});
