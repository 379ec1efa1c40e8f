/**
 * `palisade scan fs DIR`: every scanner that applies to a folder, in one pass and one report with
 * one exit code: the AI-BOM code scanner over the tree (honouring .gitignore), then the model
 * scanner over the model files that walk met.
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { Command } from "commander";
import type { CodeScanReport } from "../../scan/code/index.js";
import { type ModelScanResult, scanModelPaths, toFindings } from "../../scan/model/index.js";
import { formatOption, withExamples } from "../command-helpers.js";
import { addGateOptions, ciGate, finishGate, type GateFlags, judgeScan } from "../gate.js";
import { addStoreOption, recordInStore } from "../inventory/record.js";
import { createOutput } from "../output.js";
import { printTable, progressBar, secretsDetector } from "./scan-code.js";
import { modelRemediation, renderResults, summarise, toJson, toPolicyModels } from "./scan-model.js";

interface ScanFsFlags extends GateFlags {
  format: string;
  exclude?: string[];
  progress?: boolean;
}

export function registerScanFs(scan: Command): void {
  const fs = scan
    .command("fs")
    .description(
      "run every scanner that applies to a folder (code AI-BOM, model files) with one report and one exit code",
    )
    .argument("<dir>", "folder to scan")
    .addOption(formatOption(["sarif"]))
    .option("--exclude <globs...>", "leave out paths matching these globs (relative to DIR)")
    .option("--no-progress", "no progress bar on a terminal");
  addGateOptions(fs);
  addStoreOption(fs);
  withExamples(fs, [
    "palisade scan fs .",
    "palisade scan fs . --policy palisade-policy.yaml --exit-code --format sarif > palisade.sarif",
  ]);
  fs.action(async (dir: string, flags: ScanFsFlags) => {
    const [{ remediationOf, withRemediation }, { scanCodebase, toJsonReport, toScanInput }, { toFsInventory }] =
      await Promise.all([
        import("../../sbom/index.js"),
        import("../../scan/code/index.js"),
        import("../inventory/code.js"),
      ]);
    const remediation = modelRemediation(remediationOf);
    const onProgress = progressBar(flags.progress !== false);
    const root = resolve(dir);
    const scanned = await scanCodebase(dir, {
      secrets: await secretsDetector(),
      ...(flags.exclude ? { exclude: flags.exclude } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
    const code: CodeScanReport = { ...scanned, findings: withRemediation(scanned.findings) };
    // The code scanner reports paths relative to the root; the model scanner gets absolute ones.
    const models = (code.modelFiles.length > 0 ? await scanModelPaths(code.modelFiles) : []).map((m) =>
      relativeTo(root, m),
    );
    const findings = [...code.findings, ...withRemediation(models.flatMap(toFindings))];
    const base = toScanInput(code);
    const verdict = await judgeScan(
      {
        ...base,
        findings,
        models: [...base.models, ...toPolicyModels(models)],
      },
      flags,
    );
    const out = createOutput();
    if (flags.format === "json") {
      out.json({
        code: toJsonReport(code),
        models: { files: models.map((m) => toJson(m, remediation)), summary: summarise(models) },
        verdict,
      });
    } else if (flags.format === "table") {
      printTable(code);
      out.text(`\nModel files (${models.length})`);
      if (models.length > 0) out.text(renderResults(models, remediation));
    }
    await recordInStore(fs, toFsInventory(code, models, root), ciGate(verdict, flags));
    await finishGate(verdict, flags, { format: flags.format, findings, srcRoot: root });
  });
}

/** A model result with its path relative to the scanned root, with forward slashes. */
function relativeTo(root: string, result: ModelScanResult): ModelScanResult {
  const rel = relative(root, result.path);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return result;
  return { ...result, path: rel.split(sep).join("/") };
}
