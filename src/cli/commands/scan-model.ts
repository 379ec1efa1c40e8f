/**
 * `palisade scan model PATH...`: decide for every model file (by content, recursively in folders
 * and archives) whether it is safe to load, and identify it for the AI-BOM.
 */
import { type Command, Option } from "commander";
import { PalisadeError } from "../../core/index.js";
import {
  MODEL_VERDICTS,
  type ModelScanResult,
  type ModelVerdict,
  scanModelPaths,
  storeLabel,
  toCycloneDxComponent,
  toFindings,
} from "../../scan/model/index.js";
import { formatOption, withExamples } from "../command-helpers.js";
import { ciGate, finishGate, judgeScan } from "../gate.js";
import { addStoreOption, recordInStore } from "../inventory/record.js";
import { createOutput, renderTable, wrapText } from "../output.js";
import { packageVersion } from "./version.js";

interface ScanModelFlags {
  format: string;
  policy?: string[];
  exitCode?: boolean;
  failOn: ModelVerdict;
  hash: boolean;
}

/** Verdicts that fail the gate for each `--fail-on` level (unscannable is never a pass at `unscannable`). */
const FAILING: Record<Exclude<ModelVerdict, "safe">, readonly ModelVerdict[]> = {
  malicious: ["malicious"],
  unscannable: ["malicious", "unscannable"],
  suspicious: ["malicious", "unscannable", "suspicious"],
};

/** Add `model` to a `scan` command. */
export function registerScanModel(scan: Command): Command {
  const command = scan
    .command("model")
    .description("check model files (pickle, PyTorch, joblib, NumPy, Keras, GGUF, safetensors, ONNX, SavedModel)")
    .argument("<paths...>", "model files or folders (folders are scanned recursively)")
    .addOption(formatOption(["cyclonedx", "sarif"]))
    .option("-p, --policy <files...>", "judge the result with these policy files (supply-chain rules, exceptions)")
    .option("--exit-code", "exit 1 when the gate fails (the policy's deny, or --fail-on without a policy)")
    .addOption(
      new Option("--fail-on <verdict>", "with --exit-code, the least severe verdict that fails")
        .choices(MODEL_VERDICTS.filter((v) => v !== "safe"))
        .default("malicious"),
    )
    .option("--no-hash", "skip the sha256 of each file (faster on large checkpoints)")
    .action(async (paths: string[], flags: ScanModelFlags) => {
      const [{ remediationOf, toSarif, withRemediation }, { toModelInventory }] = await Promise.all([
        import("../../sbom/index.js"),
        import("../inventory/model.js"),
      ]);
      const remediation = modelRemediation(remediationOf);
      const out = createOutput();
      const results = await scanModelPaths(paths, { hash: flags.hash });
      const findings = withRemediation(results.flatMap(toFindings));
      // Paths are as given; SARIF makes those under the working directory relative to it.
      const srcRoot = process.cwd();
      const verdict = flags.policy
        ? // One gate for every scanner: the policy judges the findings and the models' identities.
          await judgeScan(
            {
              target: paths.join(" "),
              findings,
              models: toPolicyModels(results),
            },
            { policy: flags.policy },
          )
        : undefined;
      if (flags.format === "json")
        out.json({
          files: results.map((r) => toJson(r, remediation)),
          summary: summarise(results),
          ...(verdict ? { verdict } : {}),
        });
      else if (flags.format === "cyclonedx") out.json(toBom(results));
      else if (flags.format === "table") out.text(renderResults(results, remediation));
      await recordInStore(
        command,
        toModelInventory(results, paths),
        ciGate(verdict, { ...(flags.policy ? { policy: flags.policy } : {}), exitCode: flags.exitCode ?? false }),
      );
      if (verdict) {
        await finishGate(verdict, { exitCode: flags.exitCode ?? false }, { format: flags.format, findings, srcRoot });
        return;
      }
      if (flags.format === "sarif") out.json(toSarif({ toolVersion: packageVersion(), findings, srcRoot }));
      const failing = FAILING[flags.failOn as Exclude<ModelVerdict, "safe">] ?? FAILING.malicious;
      const failed = results.filter((r) => failing.includes(r.verdict));
      if (flags.exitCode && failed.length > 0) {
        throw new PalisadeError(
          "gate-failed",
          `${failed.length} model file(s) ${failOnText(flags.failOn)}: ${failed.map((r) => r.path).join(", ")}`,
        );
      }
    });
  addStoreOption(command);
  withExamples(command, [
    "palisade scan model ./models",
    "palisade scan model pytorch_model.bin --format json",
    "palisade scan model ./downloads --exit-code --fail-on unscannable",
    "palisade scan model model.gguf --format cyclonedx",
    "palisade scan model ./models --policy palisade-policy.yaml --exit-code --format sarif > models.sarif",
  ]);
  return command;
}

function failOnText(level: string): string {
  return level === "malicious" ? "are malicious" : `are ${level} or worse`;
}

/** How to fix a model finding, by its rule. */
type Remediation = (rule: string) => string;

/** Model remediations from sbom's rule help (`remediationOf`: model rules are `model/<rule>` outside the scanner). */
export function modelRemediation(remediationOf: (ruleId: string) => string): Remediation {
  return (rule) => remediationOf(`model/${rule}`);
}

/** Model files as the policy judges them: identity, hash, licence, and where the file is. */
export function toPolicyModels(results: readonly ModelScanResult[]) {
  return results.map((r) => ({
    id: r.identity.name ?? r.path,
    ...(r.sha256 ? { sha256: r.sha256 } : {}),
    ...(r.identity.license ? { license: r.identity.license } : {}),
    location: { path: r.path },
  }));
}

export function toJson(r: ModelScanResult, remediation: Remediation) {
  return {
    path: r.path,
    format: r.format,
    verdict: r.verdict,
    findings: r.findings.map((f) => ({
      severity: f.severity,
      rule: f.rule,
      detail: f.detail,
      offset: f.offset ?? null,
      ...(f.entry ? { entry: f.entry } : {}),
      ...(f.capability ? { capability: f.capability } : {}),
      remediation: remediation(f.rule),
    })),
    sha256: r.sha256 ?? null,
    size: r.size,
    identity: r.identity,
    ...(r.stores ? { stores: r.stores } : {}),
  };
}

export function summarise(results: readonly ModelScanResult[]): Record<ModelVerdict | "files", number> {
  const summary = { files: results.length, malicious: 0, unscannable: 0, suspicious: 0, safe: 0 };
  for (const r of results) summary[r.verdict]++;
  return summary;
}

function toBom(results: readonly ModelScanResult[]) {
  return {
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    version: 1,
    components: results.map(toCycloneDxComponent),
  };
}

export function renderResults(results: readonly ModelScanResult[], remediation: Remediation): string {
  if (results.length === 0) return "no model files found";
  // Files in a model store (Hugging Face cache, Ollama) also show which model and revision they are.
  const stored = results.some((r) => r.stores);
  const rows = results.map((r) => {
    const row = [r.verdict.toUpperCase(), r.format, r.path, r.sha256?.slice(0, 12)];
    if (stored) row.splice(2, 0, r.stores ? r.stores.map(storeLabel).join(", ") : "");
    return row;
  });
  const header = stored ? ["VERDICT", "FORMAT", "MODEL", "PATH", "SHA256"] : ["VERDICT", "FORMAT", "PATH", "SHA256"];
  const lines = [renderTable(header, rows)];
  for (const r of results) {
    if (r.findings.length === 0) continue;
    lines.push("", `${r.path}:`);
    for (const f of r.findings.slice(0, 20)) {
      const where = [f.entry, f.offset === undefined ? undefined : `@${f.offset}`].filter(Boolean).join(" ");
      lines.push(
        ...wrapText(`${f.severity.padEnd(8)} ${f.rule}${where ? ` (${where})` : ""}: ${f.detail}`, {
          indent: "  ",
          hanging: "           ",
        }),
        ...wrapText(`fix: ${remediation(f.rule)}`, { indent: "    ", hanging: "         " }),
      );
    }
    if (r.findings.length > 20) lines.push(`  … ${r.findings.length - 20} more (use --format json)`);
  }
  const s = summarise(results);
  lines.push(
    "",
    `${s.files} file(s): ${s.malicious} malicious, ${s.unscannable} unscannable, ${s.suspicious} suspicious, ${s.safe} safe`,
  );
  return lines.join("\n");
}
