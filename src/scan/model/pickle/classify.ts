/**
 * Classification of the callables a pickle imports, by capability. The rules are data
 * (`rules/model-scan/callables.yaml`): each dangerous callable names what it can do (run code,
 * spawn processes, write or read files, open the network, load nested pickles or modules, import
 * by name, reach interpreter internals, disrupt the process) and each capability has a tier.
 * The allowlist is what real PyTorch, NumPy, scikit-learn, joblib and Keras checkpoints
 * reference. Everything else is unknown, which makes a file suspicious, never safe by default.
 * What stays in code is how names are resolved: Python 2 names, builtins, dunder attributes and
 * protocol 4 dotted attribute walks.
 */
import { type Capability, callableRules } from "./callables.js";

export type CallableClass = "safe" | "dangerous" | "unknown";

export interface Classification {
  class: CallableClass;
  reason: string;
  /** What the callable can do, when the rules say. */
  capability?: Capability;
}

/** Python 2 module names that `pickle` maps to Python 3 ones (fix_imports). */
const PY2_MODULES: Record<string, string> = {
  __builtin__: "builtins",
  copy_reg: "copyreg",
  cPickle: "pickle",
  commands: "subprocess",
  UserDict: "collections",
  urllib2: "urllib.request",
  httplib: "http.client",
};

/** Python 2 (module, name) pairs that map to a different Python 3 module (Lib/_compat_pickle.py NAME_MAPPING). */
const PY2_NAMES: Record<string, string> = {
  "urllib.urlopen": "urllib.request",
  "urllib.urlretrieve": "urllib.request",
  "urllib.quote": "urllib.parse",
  "__builtin__.raw_input": "builtins",
  "itertools.izip": "builtins",
  "itertools.imap": "builtins",
};

/** Normalise a module name the way the unpickler resolves it. */
export function normaliseModule(module: string, name?: string): string {
  if (name !== undefined) {
    const mapped = PY2_NAMES[`${module}.${name}`];
    if (mapped) return mapped;
  }
  return PY2_MODULES[module] ?? module;
}

/** pathlib methods that touch the file system, reachable through protocol 4 dotted names. */
const PATHLIB_FILE_METHODS =
  /\.(write_\w+|read_\w+|open|unlink|rename|replace|touch|mkdir|rmdir|chmod|lchmod|symlink_to|hardlink_to|link_to|glob|rglob|iterdir|expanduser)$/;

/** Attribute names that reach interpreter internals when they appear in a dotted name. */
const DANGEROUS_ATTRIBUTES =
  /(^|\.)__(globals|builtins|subclasses|class|mro|bases|base|dict|getattribute|getattr|setattr|import|code|func|self|reduce|reduce_ex|setstate|init|new|call|loader|spec|module)__($|\.)/;

/** The callables of a load chain: when they get bytes, the bytes are analysed as a nested pickle. */
export const NESTED_LOADERS = new Set([
  "pickle.loads",
  "pickle.load",
  "pickle._loads",
  "_pickle.loads",
  "_pickle.load",
  "dill.loads",
  "cloudpickle.loads",
  "torch.load",
  "torch.serialization.load",
  "torch.storage._load_from_bytes",
  "torch.utils._config_module.ConfigModule.load_config",
  "numpy.load",
  "joblib.load",
  "io.BytesIO",
  "_io.BytesIO",
]);

/** Names that, met anywhere in a dotted attribute walk, reach code execution or the host. */
const EXTRA_SEGMENTS = [
  "system",
  "popen",
  "spawn",
  "execv",
  "execve",
  "startfile",
  "builtins",
  "modules",
  "load",
  "loads",
];

let segments: Map<string, Capability> | undefined;

/** Segment → capability: one-word modules of the rules, builtins, and EXTRA_SEGMENTS. */
function dangerousSegments(): Map<string, Capability> {
  if (segments) return segments;
  const rules = callableRules();
  segments = new Map();
  for (const [match, rule] of rules.byMatch) if (!match.includes(".")) segments.set(match, rule.capability);
  for (const [name, capability] of rules.builtins) segments.set(name, capability);
  for (const name of EXTRA_SEGMENTS) if (!segments.has(name)) segments.set(name, "run-code");
  return segments;
}

/** A finding's reason: what the capability does, and which rule says so. */
function because(capability: Capability, why: string): Classification {
  const rules = callableRules();
  const { tier, says } = rules.capabilities[capability];
  return { class: tier === "malicious" ? "dangerous" : "unknown", capability, reason: `${says}: ${why}` };
}

/** The longest rule whose `match` is `qualified` or a dotted prefix of it. */
function longestMatch(qualified: string) {
  const { byMatch } = callableRules();
  let at = qualified.length;
  for (;;) {
    const rule = byMatch.get(qualified.slice(0, at));
    if (rule) return rule;
    at = qualified.lastIndexOf(".", at - 1);
    if (at <= 0) return undefined;
  }
}

/** Classify `module.name` (module already normalised) as safe, dangerous or unknown. */
export function classifyGlobal(module: string, name: string): Classification {
  const mod = normaliseModule(module);
  const qualified = `${mod}.${name}`;
  const rules = callableRules();
  if (DANGEROUS_ATTRIBUTES.test(name)) return because("reach-internals", `${name} is an interpreter attribute`);
  if (mod === "builtins" || mod === "__main__.__builtins__") {
    const head = name.split(".")[0] ?? name;
    const capability = rules.builtins.get(head);
    if (capability) return because(capability, `builtin ${head}`);
  }
  const rule = longestMatch(qualified);
  if (rule) return because(rule.capability, rule.note ? `${rule.match} — ${rule.note}` : rule.match);
  if (mod === "pathlib" && PATHLIB_FILE_METHODS.test(`.${name}`)) {
    const writes =
      /\.(write_\w+|open|unlink|rename|replace|touch|mkdir|rmdir|chmod|lchmod|symlink_to|hardlink_to|link_to)$/;
    return because(writes.test(`.${name}`) ? "write-files" : "read-files", `pathlib method ${name}`);
  }
  if (name.includes(".")) {
    // Protocol 4 dotted names walk attributes at load time: `argparse._os.system` is os.system.
    const walk = name.split(".");
    const known = dangerousSegments();
    const reach = walk.find((seg) => seg.startsWith("_") || known.has(seg));
    if (reach !== undefined) {
      return because(known.get(reach) ?? "reach-internals", `attribute walk through ${reach}`);
    }
    return { class: "unknown", reason: "dotted attribute path" };
  }
  if (rules.safe.has(qualified)) return { class: "safe", reason: "allowlisted" };
  if (mod === "__torch__" || mod.startsWith("__torch__.")) {
    return { class: "unknown", reason: "TorchScript class; the archive's code/ is not analysed" };
  }
  // scikit-learn and torch.nn estimator/module classes: class names only (CapWords), never functions.
  if ((mod.startsWith("sklearn.") || mod.startsWith("torch.nn.modules.")) && /^[A-Z][A-Za-z0-9]*$/.test(name)) {
    return { class: "safe", reason: "library class" };
  }
  return { class: "unknown", reason: "not on the allowlist" };
}

/** The allowlist, for documentation. */
export function safeCallables(): string[] {
  return [...callableRules().safe].sort();
}

/** The dangerous prefixes (rules and builtins), for documentation. */
export function dangerousPrefixes(): string[] {
  const rules = callableRules();
  return [...rules.byMatch.keys(), ...[...rules.builtins.keys()].map((b) => `builtins.${b}`)];
}
