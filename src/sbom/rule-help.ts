/**
 * What every scan rule means and how to fix a finding of it, as data keyed by rule id, with a
 * fallback per rule family. The output writers read it: SARIF rule help, the `remediation` of
 * findings in JSON and the fix line under each finding in tables.
 */
import type { Finding } from "../core/index.js";
import { MODEL_RULES, type ModelRuleId } from "../scan/model/index.js";

/** Help for one rule. */
export interface RuleHelp {
  /** One line: what the rule reports. */
  summary: string;
  /** What a finding means: the risk behind it. */
  description: string;
  /** One line: how to fix a finding. */
  remediation: string;
}

/** Rules of the code scanner (`palisade scan code`, docs/code-scan.md "Findings"). */
const CODE_RULE_HELP = {
  "code.hardcoded-ai-key": {
    summary: "AI provider key hard-coded in source or config",
    description:
      "An API key for an AI provider is committed to the repository: anyone who can read the code or its history can spend on it and read what it can read.",
    remediation:
      "Revoke and rotate the key, remove it from the code and its history, and read it from the environment or a secret store.",
  },
  "code.trust-remote-code": {
    summary: "trust_remote_code=True runs Python code shipped with the model",
    description:
      "With trust_remote_code=True the loader imports Python files from the model repository, so whoever controls that repository runs code in your process.",
    remediation:
      "Remove trust_remote_code=True, or pin revision= to a commit whose code you have reviewed (better: vendor that code).",
  },
  "code.unsafe-torch-load": {
    summary: "torch.load without weights_only=True unpickles arbitrary objects",
    description:
      "torch.load unpickles the checkpoint unless weights_only=True; a crafted checkpoint runs code the moment it is loaded.",
    remediation: "Pass weights_only=True to torch.load, or store and load the weights as safetensors.",
  },
  "code.pickle-model-load": {
    summary: "a model file is loaded with pickle",
    description:
      "Unpickling a model file (pickle, joblib, dill, cloudpickle, pandas.read_pickle, torch.jit.load) runs any code the file contains.",
    remediation:
      "Load models from safetensors or ONNX instead, or check the file with `palisade scan model` and pin its sha256 before loading it.",
  },
  "code.unpinned-model-revision": {
    summary: "from_pretrained without a pinned revision",
    description:
      "Without revision=<commit sha> the hub serves whatever the repository holds today, so the weights (and any code) can change between two loads.",
    remediation: 'Pass revision="<commit sha>" to from_pretrained, not a branch name such as main.',
  },
  "code.llm-output-to-exec": {
    summary: "model output reaches code execution or a shell",
    description:
      "Text produced by a model flows into eval, exec or a shell in the same function; a prompt injection can make the model write the command that then runs with the service's rights (OWASP LLM05, improper output handling).",
    remediation:
      "Never execute model output: map it to an allowlist of actions, pass arguments as a list without a shell, or run it in a sandbox without secrets.",
  },
  "code.mcp-unpinned-server": {
    summary: "MCP server launched without a pinned version",
    description:
      "An MCP client config launches a server with npx, uvx, pipx or docker without a version or digest, so every launch may run a different (possibly compromised) release with the client's access.",
    remediation: "Pin the server to an exact version (pkg@1.2.3, pkg==1.2.3) or an image digest (image@sha256:...).",
  },
  "code.mcp-config-secret": {
    summary: "credential written in an MCP server's configuration",
    description:
      "An MCP client config holds a token, password or key as a literal in a server's env, headers, arguments or URL: anyone who can read the file or the repository holds the server's access (OWASP LLM02, sensitive information disclosure).",
    remediation:
      "Rotate it, and let the client supply it at launch (VS Code ${input:...} or ${env:...}, or a variable from the environment).",
  },
} as const satisfies Record<string, RuleHelp>;

/** Rules of the MCP config audit (`palisade mcp scan`, docs/mcp.md "Scan client configs"). */
const MCP_RULE_HELP = {
  "mcp.unpinned-package": {
    summary: "MCP server fetched from a registry without an exact version",
    description:
      "npx, uvx, pipx and their kin download the package at every launch; without an exact version a new, or hijacked, release runs with the client's access the next time the client starts.",
    remediation:
      "Pin the exact version (pkg@1.2.3 for npm, pkg==1.2.3 or pkg@1.2.3 for uvx, --spec pkg==1.2.3 for pipx).",
  },
  "mcp.unpinned-image": {
    summary: "MCP server container image run by tag, not by digest",
    description:
      "A tag (and latest above all) can be moved to another image by whoever can push to the repository, so the image that runs can change without the config changing.",
    remediation: "Run the image by digest (image@sha256:...), the one you reviewed.",
  },
  "mcp.shell-wrapper": {
    summary: "MCP server started through a shell (sh -c, bash -c, cmd /c, PowerShell)",
    description:
      "A shell wrapper hides the real command from review and from allowlists, can chain further commands, and an encoded PowerShell command hides it entirely.",
    remediation: "Launch the server's command directly (command and args), without a shell.",
  },
  "mcp.config-secret": {
    summary: "credential written in an MCP client config",
    description:
      "A token, password or key sits as a literal in a server's env, headers, arguments or URL: anyone who can read the file (or the repository, for a project .mcp.json) holds the server's access.",
    remediation:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: VS Code's reference syntax, shown to the user
      "Rotate it, and let the client supply it at launch (VS Code ${input:...} or ${env:...}, or a variable from the environment).",
  },
  "mcp.plain-http": {
    summary: "remote MCP server reached over plain HTTP",
    description:
      "Tool calls, results and any auth header cross the network in clear text, where they can be read or changed (loopback URLs are exempt).",
    remediation: "Use the server's https:// URL, or put it behind TLS.",
  },
  "mcp.remote-without-auth": {
    summary: "remote MCP server configured without an auth header",
    description:
      "No Authorization or API-key header is configured. That is right for a server that signs the client in with OAuth (the MCP authorization spec); a server that needs neither lets anyone who reaches it call its tools.",
    remediation:
      // biome-ignore lint/suspicious/noTemplateCurlyInString: VS Code's reference syntax, shown to the user
      "Check that the server signs clients in (OAuth) or configure its token through ${input:...} or ${env:...}; record OAuth servers as accepted.",
  },
  "mcp.private-address": {
    summary: "remote MCP server URL points at a private, loopback or metadata address",
    description:
      "The client connects wherever the config says; a config that points it at an internal service, at this machine or at a cloud metadata endpoint can be used for server-side request forgery (SSRF).",
    remediation: "Remove the server unless it is meant to be internal; never point one at a metadata endpoint.",
  },
  "mcp.server-not-approved": {
    summary: "MCP server not on the policy's approved list",
    description: "The policy's supplyChain.mcpServers.approved names no package or image that covers this server.",
    remediation:
      "Replace it with an approved server, or get it reviewed and add it to supplyChain.mcpServers.approved.",
  },
  "mcp.tool-changed": {
    summary: "a server's tool changed since it was approved (rug pull)",
    description:
      "The tool's definition (description, schemas, annotations) no longer matches the hash recorded by palisade mcp approve: the server may have swapped in instructions to the model.",
    remediation: "Read the diff; re-approve with palisade mcp approve only if the change is expected.",
  },
  "mcp.tools-unapproved": {
    summary: "a server offers tools that were never approved",
    description: "The pin file has no entry for these tools, so a later change to them would go unnoticed.",
    remediation: "Review the tools and record them with palisade mcp approve.",
  },
  "mcp.connect-failed": {
    summary: "a server could not be started or reached to list its tools",
    description: "With --connect the scan could not list the server's tools, so their checks did not run.",
    remediation: "Check the server's command or URL and credentials, then scan again with --connect.",
  },
} as const satisfies Record<string, RuleHelp>;

const DO_NOT_LOAD = "Do not load the file: quarantine it and get the model from a trusted publisher, as safetensors.";
const REVIEW_PICKLE =
  "Check the callable named in the detail: accept your own reviewed class with a policy exception, otherwise convert the model to safetensors.";

/** Rules of the model scanner (`palisade scan model`, docs/model-scan.md); summaries are the rule titles. */
const MODEL_RULE_HELP: Record<ModelRuleId, Omit<RuleHelp, "summary">> = {
  "pickle-dangerous-call": {
    description:
      "Loading this pickle calls a function that runs commands or touches files or the network (os.system, subprocess, eval, ...): loading the file runs the attacker's code.",
    remediation: DO_NOT_LOAD,
  },
  "pickle-dangerous-global": {
    description:
      "The pickle imports a callable on the denylist (code execution, file or network access); unpickling can call it.",
    remediation: DO_NOT_LOAD,
  },
  "pickle-dynamic-global": {
    description:
      "The pickle computes the name of the callable it imports while it loads, which hides what it will call.",
    remediation: DO_NOT_LOAD,
  },
  "pickle-attribute-injection": {
    description:
      "The pickle sets attributes on an imported module, class or function, which can replace library code while the file loads.",
    remediation: DO_NOT_LOAD,
  },
  "pickle-unknown-call-payload": {
    description:
      "The pickle calls a callable outside the allowlist and hands it Python code, a shell command or a URL: the way a payload reaches a gadget no list knows yet.",
    remediation: DO_NOT_LOAD,
  },
  "pickle-unknown-global": {
    description:
      "The pickle imports a callable outside the allowlist of known checkpoint callables: custom code that may be harmless or may run anything.",
    remediation: REVIEW_PICKLE,
  },
  "pickle-dynamic-call": {
    description: "The pickle calls the result of another call, a way to reach a dangerous function without naming it.",
    remediation: REVIEW_PICKLE,
  },
  "pickle-extension-code": {
    description:
      "The pickle uses a copyreg extension code it does not register, so what it calls depends on the process that loads it.",
    remediation: REVIEW_PICKLE,
  },
  "pickle-trailing-data": {
    description:
      "Bytes after the last pickle are not a pickle; pickle ignores them, but another loader may read a payload hidden there.",
    remediation:
      "Check where the file came from, and re-export it from the source model if the extra data is unexpected.",
  },
  "keras-lambda": {
    description: "A Keras Lambda layer carries marshalled Python bytecode that runs when the model is loaded.",
    remediation:
      "Keep safe_mode on when loading; replace the Lambda with a registered custom layer whose code you review, or use a model without Lambda layers.",
  },
  "keras-custom-object": {
    description:
      "The Keras model needs custom (non-Keras) Python objects to load, so loading it runs code you supply and must trust.",
    remediation: "Load it only with custom objects you have reviewed, or use a model built from Keras layers.",
  },
  "gguf-template-injection": {
    description:
      "The GGUF chat template holds Jinja constructs that reach Python internals; a runtime that renders templates without a sandbox runs the attacker's code (CVE-2024-34359).",
    remediation:
      "Do not serve the file: replace its chat template with a known-good one, and run a runtime that renders templates in a sandbox (llama-cpp-python 0.2.72 or later).",
  },
  "chat-template-injection": {
    description:
      "A chat template in tokenizer_config.json, chat_template.jinja or a YAML config holds Jinja constructs that reach Python internals; a server that renders it without a sandbox runs the attacker's code.",
    remediation:
      "Do not serve the model with this template: replace it with a known-good template, and render templates in a sandboxed Jinja environment.",
  },
  "yaml-python-tag": {
    description:
      "The YAML config has a Python tag (!!python/object/apply, !!python/name, ...) naming a dangerous callable; loading it with yaml.unsafe_load or an unsafe Loader runs it.",
    remediation:
      "Do not load the file with an unsafe YAML loader; use yaml.safe_load, and get the config from a trusted source.",
  },
  "yaml-python-object": {
    description:
      "The YAML config has a Python tag that builds an object or imports a name; an unsafe YAML loader imports and runs code to do it.",
    remediation: "Load it with yaml.safe_load, or review the class it names before using an unsafe loader.",
  },
  "onnx-external-data-escape": {
    description:
      "An external-data location in the ONNX model is absolute or climbs out of the model folder, so loading the model reads files elsewhere on the host.",
    remediation:
      "Do not load the model; external data must be a relative name inside the model folder, so re-export it from a trusted source.",
  },
  "onnx-custom-domain": {
    description:
      "The ONNX model uses operators from a custom domain, which need a native custom-op library loaded into the runtime.",
    remediation:
      "Load it only with a custom-op library you build or trust, or export the model with standard ONNX operators.",
  },
  "safetensors-bad-offsets": {
    description:
      "Tensor offsets in the safetensors header overlap or lie outside the data section: the file is damaged or crafted to make a parser read out of bounds.",
    remediation: "Do not load the file; download it again from a trusted source and check its sha256.",
  },
  "safetensors-metadata-code": {
    description:
      "The safetensors metadata carries code or a shell command. Safetensors loaders never run metadata, but an application that reads and evaluates it would.",
    remediation: "Check what reads the metadata; strip the entry, or re-export the weights from the source model.",
  },
  "safetensors-metadata-url": {
    description:
      "The safetensors metadata carries a URL; an application that fetches it trusts whoever controls that address.",
    remediation: "Check the URL and what reads it; remove it if nothing should fetch it.",
  },
  "safetensors-unknown-dtype": {
    description: "A tensor has a dtype that safetensors does not define; loaders reject or misread it.",
    remediation: "Re-export the weights with a standard dtype, or check where the file came from.",
  },
  "savedmodel-dangerous-op": {
    description:
      "The TensorFlow graph has ops that read or write files, load libraries or call Python; they run when the graph runs.",
    remediation: "Do not load or serve the graph: rebuild the model from trusted code without those ops.",
  },
  unscannable: {
    description:
      "The scanner could not fully analyse the file (damaged, truncated, an unknown encoding or over a limit), so it cannot vouch for it; unscannable is never a pass.",
    remediation:
      "Do not load it unverified: download it again and compare its sha256 with the publisher's, or convert it to safetensors.",
  },
};

/** Help per rule id, for every rule the scanners report. */
export const RULE_HELP: Readonly<Record<string, RuleHelp>> = {
  ...CODE_RULE_HELP,
  ...MCP_RULE_HELP,
  ...Object.fromEntries(
    Object.entries(MODEL_RULE_HELP).map(([id, help]) => [
      `model/${id}`,
      { summary: MODEL_RULES[id as ModelRuleId].title, ...help },
    ]),
  ),
};

/** Remediation for rules without their own entry, by rule-id prefix (the rule family). */
const FAMILY_REMEDIATION: readonly (readonly [prefix: string, remediation: string])[] = [
  ["model/", "Do not load the file until it is verified: get it from a trusted publisher, as safetensors."],
  ["code.", "Change the code at the reported location, or record the accepted risk as a policy exception."],
  ["mcp.", "Change the server's entry in the client config, or record the accepted risk as a policy exception."],
];

const DEFAULT_REMEDIATION =
  "Fix the reported location, or record the accepted risk as a policy exception with an owner and an expiry date.";

/** The one-line remediation of a rule: its own, else its family's, else a generic one. */
export function remediationOf(ruleId: string): string {
  return (
    RULE_HELP[ruleId]?.remediation ??
    FAMILY_REMEDIATION.find(([prefix]) => ruleId.startsWith(prefix))?.[1] ??
    DEFAULT_REMEDIATION
  );
}

/** Findings with `remediation` filled in from the rule help (a remediation already set is kept). */
export function withRemediation(findings: readonly Finding[]): Finding[] {
  return findings.map((f) => (f.remediation ? { ...f } : { ...f, remediation: remediationOf(f.ruleId) }));
}
