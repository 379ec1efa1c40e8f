/** Model scan results as AI-BOM entries: core Components and Findings, and CycloneDX 1.6 components. */
import { basename } from "node:path";
import type { Component, Finding } from "../../core/index.js";
import { MODEL_RULES } from "./rules.js";
import { storeLabel } from "./stores.js";
import type { ModelScanResult } from "./types.js";

/** The model as an inventory component (kind `model`). */
export function toComponent(result: ModelScanResult): Component {
  const id = result.identity;
  const properties: Record<string, string> = { format: id.format, verdict: result.verdict };
  for (const key of ["architecture", "parameters", "quantisation", "contextLength", "license"] as const) {
    if (id[key] !== undefined) properties[key] = String(id[key]);
  }
  if (result.stores) properties.stores = result.stores.map(storeLabel).join(", ");
  const component: Component = {
    kind: "model",
    name: id.name ?? basename(result.path),
    locations: [{ path: result.path }],
    properties,
  };
  if (result.sha256) component.digest = `sha256:${result.sha256}`;
  return component;
}

/** The scan's findings as core Findings, tagged with OWASP LLM and MITRE ATLAS ids from the rule registry. */
export function toFindings(result: ModelScanResult): Finding[] {
  return result.findings.map((f) => {
    const rule = MODEL_RULES[f.rule];
    const where = f.entry ? `${result.path}!${f.entry}` : result.path;
    return {
      ruleId: `model/${f.rule}`,
      severity: f.severity,
      title: rule.title,
      detail: f.offset === undefined ? f.detail : `${f.detail} (offset ${f.offset})`,
      location: { path: where },
      references: [],
      owasp: [...rule.owasp],
      atlas: [...rule.atlas],
      fingerprint: `model/${f.rule}:${where}:${f.offset ?? ""}`,
      component: result.sha256 ? `sha256:${result.sha256}` : result.path,
    };
  });
}

/** A CycloneDX 1.6 `machine-learning-model` component (cyclonedx.org/docs/1.6/json, modelCard). */
export function toCycloneDxComponent(result: ModelScanResult): Record<string, unknown> {
  const id = result.identity;
  const properties: { name: string; value: string }[] = [
    { name: "palisade:model:format", value: id.format },
    { name: "palisade:model:verdict", value: result.verdict },
  ];
  if (id.parameters !== undefined) properties.push({ name: "palisade:model:parameters", value: String(id.parameters) });
  if (id.quantisation) properties.push({ name: "palisade:model:quantisation", value: id.quantisation });
  if (id.contextLength !== undefined)
    properties.push({ name: "palisade:model:context-length", value: String(id.contextLength) });
  for (const ref of result.stores ?? []) {
    properties.push({ name: `palisade:model:${ref.store}`, value: storeLabel(ref) });
    if (ref.digest) properties.push({ name: "palisade:model:store-digest", value: ref.digest });
  }
  const component: Record<string, unknown> = {
    type: "machine-learning-model",
    "bom-ref": result.sha256 ? `model:sha256:${result.sha256}` : `model:${result.path}`,
    name: id.name ?? basename(result.path),
    properties,
  };
  if (result.sha256) component.hashes = [{ alg: "SHA-256", content: result.sha256 }];
  if (id.license) component.licenses = [{ license: { name: id.license } }];
  if (id.architecture) {
    component.modelCard = { modelParameters: { modelArchitecture: id.architecture } };
  }
  return component;
}
