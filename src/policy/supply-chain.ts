/** Supply-chain and image rules over a scan result (CI gate, registry gate). */
import semver from "semver";
import { isAtLeast } from "../core/index.js";
import { compileGlobs } from "./glob.js";
import type { ScanInput } from "./input.js";
import type { SupplyChainPolicy } from "./schema.js";
import type { Violation } from "./verdict.js";

type Check = (input: ScanInput, today: Date) => Violation[];

const DAY_MS = 86_400_000;
const PACKAGE_MANAGER_HINT = "remove it in a multi-stage build or use a distroless base";

export function compileSupplyChain(policy: SupplyChainPolicy | undefined, at: (path: string) => string): Check[] {
  if (!policy) return [];
  const checks: Check[] = [];
  const p = policy;

  if (p.registries) {
    const allowed = compileGlobs(p.registries.allowed);
    const source = at("supplyChain.registries");
    const action = p.registries.action;
    checks.push((input) => {
      if (!input.image) return [];
      const registry = input.image.registry ?? registryOf(input.image.reference);
      return allowed(registry)
        ? []
        : [
            {
              ruleId: "supply-chain.registry",
              action,
              source,
              target: input.image.reference,
              message: `registry ${registry} is not allowed`,
            },
          ];
    });
  }

  if (p.baseImages) {
    const entries = p.baseImages.allowed;
    const source = at("supplyChain.baseImages");
    const action = p.baseImages.action;
    checks.push((input) => {
      const os = input.image?.os;
      if (!os || !input.image) return [];
      const ok = entries.some((e) => e.family === os.family && versionMatches(os.version, e.versions));
      return ok
        ? []
        : [
            {
              ruleId: "supply-chain.base-image",
              action,
              source,
              target: input.image.reference,
              message: `base OS ${os.family} ${os.version} is not allowed`,
            },
          ];
    });
  }

  p.bannedPackages.forEach((ban, i) => {
    const matches = compileGlobs([ban.purl]);
    const source = at(`supplyChain.bannedPackages.${i}`);
    checks.push((input) =>
      input.components
        .filter((c) => c.purl && matches(c.purl))
        .map((c) => ({
          ruleId: "supply-chain.banned-package",
          action: ban.action,
          source,
          target: c.purl ?? c.name,
          message: `banned package ${c.purl}${ban.reason ? `: ${ban.reason}` : ""}`,
        })),
    );
  });

  if (p.vulnerabilities) {
    const v = p.vulnerabilities;
    const source = at("supplyChain.vulnerabilities");
    checks.push((input, today) =>
      input.vulnerabilities
        .filter((vuln) => isAtLeast(vuln.severity, v.severity))
        .filter((vuln) => !v.fixAvailableOnly || vuln.fixedIn !== undefined)
        .filter((vuln) => {
          if (v.minAgeDays === 0 || !vuln.published) return true;
          return today.getTime() - Date.parse(vuln.published) >= v.minAgeDays * DAY_MS;
        })
        .map((vuln) => ({
          ruleId: "supply-chain.vulnerability",
          action: v.action,
          source,
          target: vuln.purl,
          message: `${vuln.id} (${vuln.severity}) in ${vuln.purl}${vuln.fixedIn ? `, fixed in ${vuln.fixedIn}` : ", no fix yet"}`,
        })),
    );
  }

  if (p.models) {
    const approved = p.models.approved.map((m) => ({ ...m, matches: compileGlobs([m.id]) }));
    const source = at("supplyChain.models");
    const action = p.models.action;
    checks.push((input) =>
      input.models
        .filter(
          (model) =>
            !approved.some(
              (a) =>
                a.matches(model.id) &&
                (!a.sha256 || a.sha256 === model.sha256) &&
                (!a.licenses || (model.license !== undefined && a.licenses.includes(model.license))) &&
                (!a.publisher || a.publisher === model.publisher),
            ),
        )
        .map((model) => ({
          ruleId: "supply-chain.model-not-approved",
          action,
          source,
          target: model.id,
          message: `model ${model.id} is not approved`,
          ...(model.location ? { location: model.location } : {}),
        })),
    );
  }

  if (p.aiSdks) {
    const approved = compileGlobs(p.aiSdks.approved);
    const source = at("supplyChain.aiSdks");
    const action = p.aiSdks.action;
    checks.push((input) =>
      input.components
        .filter((c) => c.kind === "ai-sdk" && !approved(c.name))
        .map((c) => ({
          ruleId: "supply-chain.ai-sdk-not-approved",
          action,
          source,
          target: c.purl ?? c.name,
          message: `AI SDK ${c.name} is not approved`,
          ...(c.locations[0] ? { location: c.locations[0] } : {}),
        })),
    );
  }

  if (p.providers) {
    const approved = compileGlobs(p.providers.approved);
    const source = at("supplyChain.providers");
    const action = p.providers.action;
    checks.push((input) =>
      input.providers
        .filter((name) => !approved(name))
        .map((name) => ({
          ruleId: "supply-chain.provider-not-approved",
          action,
          source,
          target: name,
          message: `AI provider ${name} is not approved`,
        })),
    );
  }

  if (p.mcpServers) {
    const isApproved = compileMcpApproval(p.mcpServers.approved);
    const source = at("supplyChain.mcpServers");
    const action = p.mcpServers.action;
    checks.push((input) =>
      input.mcpServers
        .filter((server) => !isApproved(server))
        .map((server) => {
          const name = server.package
            ? `${server.package}${server.version ? `@${server.version}` : " (unpinned)"}`
            : (server.image ?? server.url ?? server.name ?? "unknown");
          return {
            ruleId: "supply-chain.mcp-server-not-approved",
            action,
            source,
            target: name,
            message: `MCP server ${name} is not approved`,
            ...(server.location ? { location: server.location } : {}),
          };
        }),
    );
  }

  if (p.inferenceImages) {
    const approved = compileGlobs(p.inferenceImages.approved);
    const source = at("supplyChain.inferenceImages");
    const action = p.inferenceImages.action;
    checks.push((input) =>
      input.components
        .filter((c) => c.kind === "inference-server" && !approved(c.version ? `${c.name}:${c.version}` : c.name))
        .map((c) => ({
          ruleId: "supply-chain.inference-image-not-approved",
          action,
          source,
          target: c.name,
          message: `inference server image ${c.name}${c.version ? `:${c.version}` : ""} is not approved`,
        })),
    );
  }

  if (p.images) {
    const rules = p.images;
    const source = at("supplyChain.images");
    checks.push((input) => {
      const image = input.image;
      if (!image) return [];
      const out: Violation[] = [];
      const v = (ruleId: string, message: string) =>
        out.push({ ruleId, action: rules.action, source, target: image.reference, message });
      if (rules.nonRoot && (image.user === undefined || /^(|root|0)(:.*)?$/.test(image.user)))
        v("image.non-root", `image runs as ${image.user || "root (no USER)"}`);
      if (rules.noSecrets && image.secrets.length > 0)
        v(
          "image.secrets",
          `${image.secrets.length} secret(s) in the image, first ${image.secrets[0]?.rule} at ${image.secrets[0]?.location}`,
        );
      if (
        rules.maxSizeMb !== undefined &&
        image.sizeBytes !== undefined &&
        image.sizeBytes > rules.maxSizeMb * 1024 * 1024
      )
        v(
          "image.max-size",
          `image is ${Math.round(image.sizeBytes / 1024 / 1024)} MB, the limit is ${rules.maxSizeMb} MB`,
        );
      if (rules.noShell && image.hasShell)
        v("image.shell", `the runtime image contains a shell; ${PACKAGE_MANAGER_HINT}`);
      if (rules.noPackageManager && image.hasPackageManager)
        v("image.package-manager", `the runtime image contains a package manager; ${PACKAGE_MANAGER_HINT}`);
      return out;
    });
  }

  if (p.findings) {
    const f = p.findings;
    const source = at("supplyChain.findings");
    checks.push((input) =>
      input.findings
        .filter((finding) => isAtLeast(finding.severity, f.severity))
        .map((finding) => ({
          ruleId: "supply-chain.finding",
          action: f.action,
          source,
          target: finding.location?.path ?? input.target,
          message: `${finding.ruleId} (${finding.severity}): ${finding.title}`,
          findingRuleId: finding.ruleId,
          ...(finding.location ? { location: finding.location } : {}),
        })),
    );
  }
  return checks;
}

/** An MCP server as the approved list sees it: the package (and version) or the image (and digest) it runs. */
export type McpServerRef = Pick<ScanInput["mcpServers"][number], "package" | "version" | "image" | "digest">;

/**
 * The matcher of `supplyChain.mcpServers.approved`: a server is approved when an entry names its
 * package (within `versions`) or matches its image (with the entry's digest, when it has one).
 * Shared by the scan gate and `palisade mcp scan`.
 */
export function compileMcpApproval(
  approvedList: NonNullable<SupplyChainPolicy["mcpServers"]>["approved"],
): (server: McpServerRef) => boolean {
  const approved = approvedList.map((a) => ("package" in a ? a : { ...a, matchesImage: compileGlobs([a.image]) }));
  return (server) =>
    approved.some((a) =>
      "package" in a
        ? server.package === a.package &&
          (a.versions === "*" || (server.version !== undefined && versionMatches(server.version, a.versions)))
        : server.image !== undefined && a.matchesImage(server.image) && (!a.digest || a.digest === server.digest),
    );
}

/** `registry.example.com/team/app:1` → `registry.example.com`; `nginx` → `docker.io`. */
export function registryOf(reference: string): string {
  const first = reference.split("/")[0] ?? "";
  return reference.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost")
    ? first
    : "docker.io";
}

/** Versions like `12`, `3.19`, `22.04` compared as semver ranges (`>=12`, `3.19.x`); `*` matches all. */
function versionMatches(version: string, range: string): boolean {
  if (range === "*" || range === version) return true;
  const coerced = semver.coerce(version);
  return coerced !== null && semver.satisfies(coerced, range);
}
