/**
 * `palisade scan image REF`: what is inside a container image (OS and language packages, the
 * AI layer, model files), and what is risky about its configuration.
 */
import type { Command } from "commander";
import { type Finding, isAtLeast, SEVERITIES } from "../../core/index.js";
import type { FoundPackage, ImageScanReport, sizeReport } from "../../scan/image/index.js";
import type { Store } from "../../store/index.js";
import { commandContext, formatOption, withExamples } from "../command-helpers.js";
import type { GlobalOptions } from "../context.js";
import { addGateOptions, ciGate, finishGate, judgeScan } from "../gate.js";
import { registryCredentials } from "../image-jobs.js";
import { addStoreOption, recordInStore } from "../inventory/record.js";
import { createOutput, renderPairs, renderTable, wrapText } from "../output.js";
import { packageVersion } from "./version.js";

type SizeReport = ReturnType<typeof sizeReport>;

interface ScanImageFlags {
  format: string;
  platform?: string;
  policy?: string[];
  exitCode?: boolean;
  failOn?: (typeof SEVERITIES)[number];
  models: boolean;
  insecure?: boolean;
  advisories?: string;
}

export function registerScanImage(scan: Command): Command {
  const command = addGateOptions(
    scan
      .command("image")
      .description("inventory and check a container image: packages, AI components, model files, configuration")
      .argument(
        "<reference>",
        "oci:PATH[:TAG] (OCI layout folder or tar), docker-archive:PATH[:TAG] (docker save), dir:PATH (a root file system), or a path",
      )
      .addOption(formatOption(["cyclonedx", "spdx", "sarif"]))
      .option("--platform <os/arch>", "which image of a multi-platform index (default linux/amd64)")
      .option("--no-models", "do not scan model files found in the layers")
      .option("--insecure", "registry: plain HTTP and unverified TLS (a registry on this machine)")
      .option(
        "--advisories <path>",
        "match packages against OSV advisories: a folder of .json/.yaml files or osv.dev's all.zip",
      ),
  ).action(async (reference: string, flags: ScanImageFlags) => {
    const [{ toScanInput }, { toSarif, toSpdx, withRemediation }, images, { toImageInventory }] = await Promise.all([
      import("../../gate/index.js"),
      import("../../sbom/index.js"),
      import("../../scan/image/index.js"),
      import("../inventory/image.js"),
    ]);
    const { defaultScanOptions, scanImage, sizeReport, toCycloneDx } = images;
    const out = createOutput();
    // --advisories PATH, else the advisories `palisade db import` put in the store (if any).
    const advisories = flags.advisories ? await loadAdvisories(flags.advisories) : await storedAdvisories(command);
    const report = await scanImage(reference, {
      ...defaultScanOptions(),
      ...(advisories ? { advisories } : {}),
      ...(flags.platform ? { platform: flags.platform } : {}),
      models: flags.models,
      registry: { ...(flags.insecure ? { insecure: true } : {}), ...registryCredentials() },
    });
    const findings = withRemediation(report.findings);
    const size = sizeReport(report);
    const gating = flags.policy !== undefined || flags.exitCode === true;
    const verdict = gating
      ? await judgeScan(toScanInput({ ...report, findings }), {
          ...(flags.policy ? { policy: flags.policy } : {}),
          ...(flags.failOn ? { failOn: flags.failOn } : {}),
        })
      : undefined;
    if (flags.format === "json") out.json({ ...toJson(report, { findings, size }), ...(verdict ? { verdict } : {}) });
    else if (flags.format === "cyclonedx") out.json(toCycloneDx(report, { toolVersion: packageVersion() }));
    else if (flags.format === "spdx") out.json(toSpdx(report, { toolVersion: packageVersion() }));
    else if (flags.format === "table") out.text(renderReport(report, { findings, size, failOn: flags.failOn }));
    await recordInStore(command, toImageInventory(report), ciGate(verdict, flags));
    if (verdict) {
      await finishGate(
        verdict,
        { exitCode: flags.exitCode ?? false },
        { format: flags.format, findings, srcRoot: "/" },
      );
      return;
    }
    if (flags.format === "sarif") out.json(toSarif({ toolVersion: packageVersion(), findings, srcRoot: "/" }));
  });
  addStoreOption(command);
  withExamples(command, [
    "palisade scan image oci:./layout:latest",
    "palisade scan image docker-archive:app.tar --format json",
    "palisade scan image oci:./multiarch --platform linux/arm64",
    "palisade scan image registry:127.0.0.1:5000/team/vllm:0.6 --insecure",
    "PALISADE_REGISTRY_USERNAME=ci PALISADE_REGISTRY_PASSWORD=... palisade scan image registry:ghcr.io/org/app:1.2",
    "palisade scan image dir:/ --format cyclonedx > host.cdx.json",
    "palisade scan image oci:./layout --policy palisade-policy.yaml --exit-code --format sarif",
  ]);
  return command;
}

/**
 * A lookup of the store's advisories for the packages a scan finds, or undefined when the store
 * holds none (then vulnerabilities are "not checked", not "none"). A store that cannot be opened
 * counts as none: the scan goes on.
 */
async function storedAdvisories(command: Command) {
  const options = command.optsWithGlobals<GlobalOptions & { store?: boolean }>();
  // --no-store leaves the store alone altogether (it may not exist, or not be writable).
  if (options.store === false) return undefined;
  let store: Store;
  try {
    store = (await commandContext(options)).openStore();
  } catch {
    return undefined;
  }
  return async (packages: readonly FoundPackage[]) => {
    try {
      await store.migrate();
      if ((await store.advisorySummary()).total === 0) return undefined;
      const { advisoryIndexFor } = await import("../../store/index.js");
      return await advisoryIndexFor(store, packages);
    } finally {
      await store.close();
    }
  };
}

/** An OSV folder or zip, loaded into memory; files it could not read are reported on stderr. */
async function loadAdvisories(path: string) {
  const { loadOsvDirectory, loadOsvZip } = await import("../../vuln/index.js");
  const { index, report } = path.endsWith(".zip") ? await loadOsvZip(path) : await loadOsvDirectory(path);
  for (const problem of report.problems.slice(0, 5))
    process.stderr.write(`palisade: advisories: ${JSON.stringify(problem)}\n`);
  if (report.problems.length > 5)
    process.stderr.write(`palisade: advisories: ${report.problems.length - 5} more problems\n`);
  return index;
}

/** The report as JSON; `findings` are the report's with their remediation. */
function toJson(report: ImageScanReport, { findings, size }: { findings: readonly Finding[]; size: SizeReport }) {
  return {
    image: {
      reference: report.reference,
      source: report.source,
      digest: report.digest ?? null,
      tags: report.tags,
      platform: report.platform ?? null,
      os: report.os ?? null,
      config: report.config,
      servedModel: report.servedModel ?? null,
    },
    packages: report.packages,
    vulnerabilities: report.vulnerabilities ?? null,
    ai: report.ai,
    models: report.models.map((m) => ({
      path: m.path,
      layer: m.layer,
      format: m.result.format,
      verdict: m.result.verdict,
      sha256: m.result.sha256 ?? null,
      identity: m.result.identity,
      findings: m.result.findings,
    })),
    findings,
    size,
    warnings: report.warnings,
    summary: {
      packages: report.packages.length,
      vulnerabilities: report.vulnerabilities?.length ?? null,
      aiComponents: report.ai.length,
      models: report.models.length,
      findings: Object.fromEntries(SEVERITIES.map((s) => [s, report.findings.filter((f) => f.severity === s).length])),
    },
  };
}

const mb = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : bytes >= 1024
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${bytes} B`;

function renderReport(
  report: ImageScanReport,
  { findings, size, failOn }: { findings: readonly Finding[]; size: SizeReport; failOn: ScanImageFlags["failOn"] },
): string {
  const lines = [
    renderPairs([
      ["image", report.reference],
      ["tags", report.tags.length > 0 ? report.tags.join(", ") : undefined],
      ["digest", report.digest],
      ["platform", report.platform],
      ["os", report.os ? (report.os.prettyName ?? `${report.os.id} ${report.os.versionId ?? ""}`) : undefined],
      ["user", report.config.user || "root (none set)"],
      [
        "serves model",
        report.servedModel ? `${report.servedModel.model} (from ${report.servedModel.from})` : undefined,
      ],
      ["size", `${mb(report.totals.bytes)} in ${report.totals.files} files, ${report.layers.length} layers`],
    ]),
  ];
  if (report.ai.length > 0) {
    lines.push("", "AI components:");
    const rows = report.ai.map((a) => [a.kind, a.name, a.version ?? "", a.category ?? "", a.layer, a.evidence]);
    lines.push(renderTable(["KIND", "NAME", "VERSION", "CATEGORY", "LAYER", "EVIDENCE"], rows));
  }
  if (report.models.length > 0) {
    lines.push("", "Model files:");
    lines.push(
      renderTable(
        ["VERDICT", "FORMAT", "PATH", "LAYER"],
        report.models.map((m) => [m.result.verdict.toUpperCase(), m.result.format, m.path, m.layer]),
      ),
    );
  }
  const byEcosystem = new Map<string, number>();
  for (const p of report.packages)
    byEcosystem.set(String(p.ecosystem), (byEcosystem.get(String(p.ecosystem)) ?? 0) + 1);
  lines.push(
    "",
    `Vulnerabilities: ${report.vulnerabilities ? report.vulnerabilities.length : "not checked (no advisories: palisade db import, or --advisories PATH)"}`,
    `Packages: ${report.packages.length}${byEcosystem.size > 0 ? ` (${[...byEcosystem].map(([e, n]) => `${e} ${n}`).join(", ")})` : ""} — list them with --format json or cyclonedx`,
  );
  const sorted = [...findings].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
  lines.push("", sorted.length === 0 ? "No findings." : "Findings:");
  for (const f of sorted) {
    const marker = failOn && isAtLeast(f.severity, failOn) ? "!" : " ";
    lines.push(
      ...wrapText(`${marker}${f.severity.padEnd(9)}${f.ruleId}: ${f.title} — ${f.detail}`, {
        indent: "",
        hanging: "           ",
      }),
    );
    if (f.remediation)
      lines.push(...wrapText(`fix: ${f.remediation}`, { indent: "           ", hanging: "                " }));
  }
  if (size.largestFiles.length > 0) {
    lines.push("", "Largest files (a leaner image starts here):");
    lines.push(
      renderTable(
        ["SIZE", "LAYER", "PATH"],
        size.largestFiles.slice(0, 5).map((f) => [mb(f.size), f.layer, `/${f.path}`]),
      ),
    );
  }
  if (report.warnings.length > 0) lines.push("", `${report.warnings.length} warning(s); see --format json`);
  return lines.join("\n");
}
