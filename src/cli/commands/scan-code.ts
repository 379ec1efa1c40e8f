/**
 * `palisade scan code DIR`: the AI-BOM of a source tree — AI SDKs with resolved versions, models,
 * MCP servers, inference servers and GPUs — with findings, gated by policy like every scan.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import type { TextDetector } from "../../detect/index.js";
import type { CodeScanReport } from "../../scan/code/index.js";
import { formatOption, withExamples } from "../command-helpers.js";
import { addGateOptions, ciGate, finishGate, formatLocation, type GateFlags, judgeScan } from "../gate.js";
import { addStoreOption, recordInStore } from "../inventory/record.js";
import { createOutput, renderTable } from "../output.js";
import { packageVersion } from "./version.js";

interface ScanCodeFlags extends GateFlags {
  format: string;
  exclude?: string[];
  progress?: boolean;
}

/** Hard-coded keys in source and config files are found by the shared secrets detector. */
export async function secretsDetector(): Promise<TextDetector> {
  const { createSecretsDetector } = await import("../../detect/index.js");
  return createSecretsDetector();
}

/** A one-line progress bar on stderr, only on a terminal. */
export function progressBar(enabled: boolean): ((done: number, total: number) => void) | undefined {
  if (!enabled || !process.stderr.isTTY) return undefined;
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (done < total && now - last < 100) return;
    last = now;
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    process.stderr.write(`\rscanning [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total} files`);
    if (done >= total) process.stderr.write("\n");
  };
}

export function printTable(report: CodeScanReport): void {
  const out = createOutput();
  out.text(`AI SDKs (${report.sdks.length})`);
  out.text(
    renderTable(
      ["NAME", "ECOSYSTEM", "VERSION", "MANIFEST", "USES", "FIRST USE"],
      report.sdks.map((s) => [
        s.name,
        s.ecosystem,
        s.version ?? s.constraint,
        s.manifest,
        s.usages.length,
        s.usages[0] ? `${s.usages[0].file}:${s.usages[0].line}` : undefined,
      ]),
    ),
  );
  out.text(`\nModels (${report.models.length})`);
  out.text(
    renderTable(
      ["ID", "PROVIDER", "WHERE"],
      report.models.map((m) => [m.id, m.provider, `${m.file}:${m.line}`]),
    ),
  );
  if (report.mcpServers.length > 0) {
    out.text(`\nMCP servers (${report.mcpServers.length})`);
    out.text(
      renderTable(
        ["NAME", "TRANSPORT", "COMMAND / URL", "WHERE"],
        report.mcpServers.map((m) => [
          m.disabled ? `${m.name} (disabled)` : m.name,
          m.transport,
          m.url ?? (m.command ? [m.command, ...(m.args ?? [])].join(" ") : m.package),
          `${m.file}${m.line ? `:${m.line}` : ""}`,
        ]),
      ),
    );
  }
  if (report.mcpImplementations.length > 0) {
    out.text(`\nMCP servers implemented (${report.mcpImplementations.length})`);
    out.text(
      renderTable(
        ["NAME", "SDK", "TOOLS", "WHERE"],
        report.mcpImplementations.map((m) => [
          m.name,
          m.sdk,
          m.tools.join(", ") || undefined,
          `${m.file}${m.line ? `:${m.line}` : ""}`,
        ]),
      ),
    );
  }
  if (report.inferenceServers.length > 0 || report.gpus.length > 0) {
    out.text(`\nInference servers (${report.inferenceServers.length}), GPU requests (${report.gpus.length})`);
    out.text(
      renderTable(
        ["NAME", "IMAGE / REQUEST", "WHERE"],
        [
          ...report.inferenceServers.map((s) => [s.name, s.image, `${s.file}:${s.line}`]),
          ...report.gpus.map((g) => ["gpu", g.request, `${g.file}:${g.line}`]),
        ],
      ),
    );
  }
  out.text(`\nFindings (${report.findings.length})`);
  if (report.findings.length > 0)
    out.text(
      renderTable(
        ["SEVERITY", "RULE", "WHERE", "TITLE"],
        report.findings.map((f) => [
          f.severity,
          f.ruleId,
          f.location ? formatLocation(f.location) : undefined,
          f.title,
        ]),
        { notes: report.findings.map((f) => (f.remediation ? `fix: ${f.remediation}` : undefined)) },
      ),
    );
  if (report.skipped.length > 0) {
    out.text(`\nSkipped (${report.skipped.length})`);
    out.text(
      renderTable(
        ["FILE", "REASON"],
        report.skipped.map((s) => [s.file, s.reason]),
      ),
    );
  }
  out.text(`\n${report.stats.files} files, ${report.stats.parsed} parsed, ${report.stats.durationMs} ms`);
}

/** Add `code` to a `scan` command. */
export function registerScanCode(scan: Command): void {
  const code = scan
    .command("code")
    .description("AI-BOM of a source tree: AI SDKs, models, MCP servers, inference servers, risky patterns")
    .argument("<dir>", "directory to scan")
    .addOption(formatOption(["sarif", "cyclonedx"]))
    .option("--exclude <globs...>", "leave out paths matching these globs (relative to DIR)")
    .option("--no-progress", "no progress bar on a terminal");
  addGateOptions(code);
  addStoreOption(code);
  withExamples(code, [
    "palisade scan code .",
    "palisade scan code services/ --format json > ai-bom.json",
    "palisade scan code . --format cyclonedx > bom.cdx.json",
    "palisade scan code . --policy palisade-policy.yaml --exit-code --format sarif > code.sarif",
  ]);
  code.action(async (dir: string, flags: ScanCodeFlags) => {
    const [{ withRemediation }, { scanCodebase, toCycloneDx, toJsonReport, toScanInput }, { toCodeInventory }] =
      await Promise.all([
        import("../../sbom/index.js"),
        import("../../scan/code/index.js"),
        import("../inventory/code.js"),
      ]);
    const secrets = await secretsDetector();
    const onProgress = progressBar(flags.progress !== false);
    const scanned = await scanCodebase(dir, {
      ...(secrets ? { secrets } : {}),
      ...(flags.exclude ? { exclude: flags.exclude } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
    const report: CodeScanReport = { ...scanned, findings: withRemediation(scanned.findings) };
    const verdict = await judgeScan({ ...toScanInput(report), vulnerabilities: [] }, flags);
    const out = createOutput();
    if (flags.format === "json") out.json({ ...toJsonReport(report), verdict });
    else if (flags.format === "cyclonedx") out.json(toCycloneDx(report, { toolVersion: packageVersion() }));
    else if (flags.format === "table") printTable(report);
    await recordInStore(code, toCodeInventory(report, dir), ciGate(verdict, flags));
    await finishGate(verdict, flags, { format: flags.format, findings: report.findings, srcRoot: resolve(dir) });
  });
}
