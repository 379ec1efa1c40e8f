/**
 * `palisade k8s import|netpol`: the cluster side of the inventory. `import` records workloads
 * and NetworkPolicies from `kubectl get -o json|yaml` (the admission webhook records them as it
 * admits them); `netpol` prints default-deny NetworkPolicies for the inference and MCP workloads
 * of a namespace, letting only Palisade's gateway and DNS through.
 */
import { readFileSync, statSync } from "node:fs";
import { type Command, Option } from "commander";
import { parseAllDocuments, stringify } from "yaml";
import { describeError, PalisadeError } from "../../core/index.js";
import { createStoreInventory, toInventoryRecord, toNetworkPolicies } from "../../gate/index.js";
import { compilePolicy, DEFAULT_AI_IMAGES, loadPolicyFiles } from "../../policy/index.js";
import { formatOption, withExamples } from "../command-helpers.js";
import type { CommandContext, GlobalOptions } from "../context.js";
import { renderTable } from "../output.js";

type Contextual = (globals: GlobalOptions) => CommandContext;

const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
const MAX_OBJECTS = 100_000;

export function registerK8s(program: Command, context: Contextual): void {
  const k8s = program.command("k8s").description("Kubernetes inventory and NetworkPolicies for AI workloads");
  withExamples(k8s, [
    "palisade k8s netpol --namespace ml | kubectl apply -f -",
    "kubectl get deploy,sts,ds,cronjobs,jobs,pods,netpol -A -o json | palisade k8s import -",
  ]);

  const importCommand = k8s
    .command("import")
    .description("record workloads and NetworkPolicies from kubectl output (JSON List or YAML) in the store")
    .argument("<file>", "kubectl get -o json|yaml output, or - for stdin")
    .option("-p, --policy <files...>", "policy whose kubernetes.aiImages decide what is an AI workload")
    .addOption(formatOption())
    .action(async (file: string, flags: { policy?: string[]; format: string }, command: Command) => {
      const aiImages = flags.policy
        ? (compilePolicy(loadPolicyFiles(flags.policy)).kubernetes?.aiImages ?? [])
        : DEFAULT_AI_IMAGES;
      const objects = readObjects(file);
      const ctx = context(command.optsWithGlobals());
      const store = ctx.openStore();
      try {
        await store.migrate();
        const inventory = createStoreInventory(store);
        const counts = { workloads: 0, networkPolicies: 0, ai: 0, skipped: 0 };
        for (const object of objects) {
          const meta = (object.metadata ?? {}) as { namespace?: unknown; ownerReferences?: unknown };
          // Objects a controller makes are accounted with their controller.
          const owned = Array.isArray(meta.ownerReferences) && meta.ownerReferences.some((r) => r?.controller === true);
          const namespace = typeof meta.namespace === "string" ? meta.namespace : "default";
          const record = owned ? undefined : toInventoryRecord(object, { namespace, aiImages });
          if (!record) {
            counts.skipped++;
            continue;
          }
          await inventory.put(record);
          if (record.id.startsWith("network-policy:")) counts.networkPolicies++;
          else {
            counts.workloads++;
            if ("ai" in record && record.ai) counts.ai++;
          }
        }
        if (flags.format === "json") ctx.out.json(counts);
        else
          ctx.out.text(
            `${file}: recorded ${counts.workloads} workloads (${counts.ai} AI) and ${counts.networkPolicies} NetworkPolicies; skipped ${counts.skipped} objects`,
          );
      } finally {
        await store.close();
      }
    });
  withExamples(importCommand, [
    "palisade k8s import cluster.json",
    "kubectl get deploy,sts,ds,cronjobs,jobs,pods,netpol -A -o json | palisade k8s import -",
  ]);

  const netpol = k8s
    .command("netpol")
    .description("default-deny NetworkPolicies for the namespace's inference and MCP workloads (gateway and DNS only)")
    .requiredOption("-n, --namespace <ns>", "namespace of the workloads")
    .option("--gateway-namespace <ns>", "namespace Palisade's gateway and MCP proxy run in", "palisade-system")
    .addOption(new Option("-f, --format <format>", "output format").choices(["yaml", "json", "table"]).default("yaml"))
    .action(async (flags: { namespace: string; gatewayNamespace: string; format: string }, command: Command) => {
      const ctx = context(command.optsWithGlobals());
      const store = ctx.openStore();
      try {
        await store.migrate();
        const workloads = await createStoreInventory(store).workloads(flags.namespace);
        const { policies, skipped } = toNetworkPolicies(workloads, {
          namespace: flags.namespace,
          gatewayNamespace: flags.gatewayNamespace,
        });
        for (const s of skipped) process.stderr.write(`palisade: warning: ${s.workload} left out: ${s.reason}\n`);
        if (policies.length === 0)
          process.stderr.write(
            `palisade: warning: no inference or MCP workloads recorded in namespace ${flags.namespace} (palisade k8s import, or the admission webhook, records them)\n`,
          );
        if (flags.format === "json") ctx.out.json({ apiVersion: "v1", kind: "List", items: policies });
        else if (flags.format === "table") {
          ctx.out.text(
            renderTable(
              ["NAMESPACE", "NETWORKPOLICY", "WORKLOAD", "AI", "INGRESS FROM"],
              policies.map((p) => {
                const m = p.metadata as { name: string; namespace: string; annotations: Record<string, string> };
                const ai = m.annotations["palisade.dev/ai"] ?? "";
                return [
                  m.namespace,
                  m.name,
                  m.annotations["palisade.dev/workload"] ?? "",
                  ai,
                  ai === "mcp" ? "mcp-proxy" : "gateway",
                ];
              }),
            ),
          );
        } else
          process.stdout.write(
            policies.map((p) => stringify(p, { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n"),
          );
      } finally {
        await store.close();
      }
    });
  withExamples(netpol, [
    "palisade k8s netpol --namespace ml",
    "palisade k8s netpol --namespace ml --gateway-namespace palisade --format json",
  ]);
}

/** The objects of kubectl output: a List's items, or every YAML/JSON document (Lists flattened). */
function readObjects(file: string): Record<string, unknown>[] {
  let text: string;
  try {
    if (file !== "-" && statSync(file).size > MAX_IMPORT_BYTES)
      throw new PalisadeError("bad-input", `${file}: larger than ${MAX_IMPORT_BYTES} bytes`, { input: file });
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (error) {
    if (error instanceof PalisadeError) throw error;
    throw new PalisadeError("bad-input", `${file}: cannot read (${describeError(error)})`, {
      input: file,
      cause: error,
    });
  }
  const docs = parseAllDocuments(text);
  const out: Record<string, unknown>[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0)
      throw new PalisadeError("bad-input", `${file}: not YAML or JSON (${doc.errors[0]?.message.split("\n")[0]})`, {
        input: file,
      });
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    const items = isObject(value) && Array.isArray(value.items) ? value.items : [value];
    for (const item of items) if (isObject(item) && typeof item.kind === "string") out.push(item);
    if (out.length > MAX_OBJECTS)
      throw new PalisadeError("bad-input", `${file}: more than ${MAX_OBJECTS} objects`, { input: file });
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
