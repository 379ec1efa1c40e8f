/**
 * `palisade k8s import|inventory|netpol`: the cluster side of the inventory. `import` records
 * workloads, the containers of their pods (runtime id, the image digest each runs) and
 * NetworkPolicies from `kubectl get -o json|yaml` or from the Kubernetes API (the admission
 * webhook records workloads as it admits them); `inventory` lists workloads → containers → image
 * digests → stored scans; `netpol` prints default-deny NetworkPolicies for the inference and MCP
 * workloads of a namespace, letting only Palisade's gateway and DNS through.
 */
import { readFileSync, statSync } from "node:fs";
import { type Command, Option } from "commander";
import { parseAllDocuments, stringify } from "yaml";
import { describeError, PalisadeError } from "../../core/index.js";
import type { ClusterImportResult, ClusterListing, formatSeverityCounts, InventoryWorkload } from "../../gate/index.js";
import { type Contextual, formatOption, withExamples } from "../command-helpers.js";
import { renderTable } from "../output.js";

const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
const MAX_OBJECTS = 100_000;

export function registerK8s(program: Command, context: Contextual): void {
  const k8s = program.command("k8s").description("Kubernetes inventory and NetworkPolicies for AI workloads");
  withExamples(k8s, [
    "palisade k8s netpol --namespace ml | kubectl apply -f -",
    "kubectl get deploy,sts,ds,cronjobs,jobs,pods,netpol -A -o json | palisade k8s import -",
    "palisade k8s inventory --namespace ml",
  ]);

  const importCommand = k8s
    .command("import")
    .description(
      "record workloads, pods' containers (runtime id, image digest) and NetworkPolicies from kubectl output or the cluster",
    )
    .argument("[file]", "kubectl get -o json|yaml output, or - for stdin")
    .option("--from-cluster", "list from the Kubernetes API (kubeconfig) instead of a file")
    .option("--kubeconfig <file>", "kubeconfig for --from-cluster (default: $KUBECONFIG, ~/.kube/config, in-cluster)")
    .option("--context <name>", "kubeconfig context for --from-cluster (default: the current one)")
    .option("-n, --namespace <ns>", "only this namespace, for --from-cluster (default: all namespaces)")
    .option("-p, --policy <files...>", "policy whose kubernetes.aiImages decide what is an AI workload")
    .addOption(formatOption())
    .action(async (file: string | undefined, flags: ImportFlags, command: Command) => {
      if ((file === undefined) === !flags.fromCluster)
        throw new PalisadeError("bad-usage", "k8s import: give a FILE (or - for stdin) or --from-cluster, not both");
      for (const flag of ["kubeconfig", "context", "namespace"] as const)
        if (!flags.fromCluster && flags[flag] !== undefined)
          throw new PalisadeError("bad-usage", `k8s import: --${flag} goes with --from-cluster`);
      const [{ listClusterObjects, recordClusterObjects }, { compilePolicy, DEFAULT_AI_IMAGES, loadPolicyFiles }] =
        await Promise.all([import("../../gate/index.js"), import("../../policy/index.js")]);
      const aiImages = flags.policy
        ? (compilePolicy(loadPolicyFiles(flags.policy)).kubernetes?.aiImages ?? [])
        : DEFAULT_AI_IMAGES;
      let source = file ?? "";
      let objects: unknown[];
      let listErrors: ClusterListing["errors"] = [];
      if (flags.fromCluster) {
        const listing = await listClusterObjects({
          ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
          ...(flags.context ? { context: flags.context } : {}),
          ...(flags.namespace ? { namespace: flags.namespace } : {}),
        });
        source = listing.server;
        objects = listing.objects;
        listErrors = listing.errors;
        for (const e of listing.errors)
          process.stderr.write(`palisade: warning: ${listing.server}: cannot list ${e.resource}: ${e.reason}\n`);
      } else objects = readObjects(source);
      const ctx = await context(command.optsWithGlobals());
      const store = ctx.openStore();
      try {
        await store.migrate();
        const result = await recordClusterObjects(store, objects, { aiImages });
        if (flags.format === "json") ctx.out.json({ source, ...result, listErrors });
        else ctx.out.text(importSummary(source, result));
      } finally {
        await store.close();
      }
    });
  withExamples(importCommand, [
    "palisade k8s import cluster.json",
    "kubectl get pods,deployments -A -o json | palisade k8s import -",
    "palisade k8s import --from-cluster --context prod --namespace ml",
  ]);

  const inventory = k8s
    .command("inventory")
    .description("workloads → containers → image digests → stored scans, with AI role and GPU requests")
    .option("-n, --namespace <ns>", "only this namespace")
    .addOption(formatOption())
    .action(async (flags: { namespace?: string; format: string }, command: Command) => {
      const ctx = await context(command.optsWithGlobals());
      const { formatSeverityCounts, listClusterInventory } = await import("../../gate/index.js");
      const store = ctx.openStore();
      try {
        await store.migrate();
        const workloads = await listClusterInventory(store, flags.namespace ? { namespace: flags.namespace } : {});
        if (workloads.length === 0)
          process.stderr.write(
            "palisade: warning: no workloads recorded (palisade k8s import, or the admission webhook, records them)\n",
          );
        if (flags.format === "json") ctx.out.json({ workloads });
        else ctx.out.text(inventoryTable(workloads, formatSeverityCounts));
      } finally {
        await store.close();
      }
    });
  withExamples(inventory, ["palisade k8s inventory", "palisade k8s inventory --namespace ml --format json"]);

  const netpol = k8s
    .command("netpol")
    .description("default-deny NetworkPolicies for the namespace's inference and MCP workloads (gateway and DNS only)")
    .requiredOption("-n, --namespace <ns>", "namespace of the workloads")
    .option("--gateway-namespace <ns>", "namespace Palisade's gateway and MCP proxy run in", "palisade-system")
    .addOption(new Option("-f, --format <format>", "output format").choices(["yaml", "json", "table"]).default("yaml"))
    .action(async (flags: { namespace: string; gatewayNamespace: string; format: string }, command: Command) => {
      const ctx = await context(command.optsWithGlobals());
      const { createStoreInventory, toNetworkPolicies } = await import("../../gate/index.js");
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

interface ImportFlags {
  fromCluster?: boolean;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  policy?: string[];
  format: string;
}

/** The import's summary: what was recorded, then what was skipped and why. */
function importSummary(source: string, r: ClusterImportResult): string {
  const lines = [
    `${source}: recorded ${r.workloads} workloads, ${r.containers} containers (${r.containersScanned} with stored scans), ${r.gpus} GPUs requested, ${r.ai} AI workloads, ${r.networkPolicies} NetworkPolicies`,
  ];
  const skipped = r.skipped.reduce((n, s) => n + s.count, 0);
  if (skipped > 0)
    lines.push(
      `${source}: skipped ${skipped}: ${r.skipped.map((s) => `${s.count} × ${s.reason}, e.g. ${s.example}`).join("; ")}`,
    );
  return lines.join("\n");
}

/**
 * One row per container (or per template image of a workload none of whose containers is
 * recorded); `severityCounts` is the gate's `formatSeverityCounts`.
 */
function inventoryTable(workloads: readonly InventoryWorkload[], severityCounts: typeof formatSeverityCounts): string {
  const rows = workloads.flatMap(({ workload: w, entries }) => {
    const gpu = Object.entries(w.gpu)
      .map(([resource, n]) => `${n} ${resource}`)
      .join(", ");
    const head = [w.namespace, `${w.kind}/${w.name}`, w.ai ?? "-", gpu || "-"];
    if (entries.length === 0) return [[...head, "-", "-", "-", "-"]];
    return entries.map((e) => [
      ...head,
      e.container
        ? `${e.container.split("/").slice(1).join("/")}${e.role && e.role !== "app" ? ` (${e.role})` : ""}`
        : "-",
      // The digest has its own column: a pinned reference shows its repository only.
      (e.imageDigest ? e.image.replace(/@sha256:[0-9a-f]{64}$/, "") : e.image) || "-",
      e.imageDigest ? e.imageDigest.slice(0, 19) : "-",
      e.scan.status === "scanned"
        ? `scanned: ${severityCounts(e.scan.vulnerabilities)}`
        : e.scan.status === "not-scanned"
          ? "not scanned"
          : "no digest",
    ]);
  });
  return renderTable(["NAMESPACE", "WORKLOAD", "AI", "GPU", "POD/CONTAINER", "IMAGE", "DIGEST", "SCAN"], rows);
}

/**
 * The objects of kubectl output: a List's items, or every YAML/JSON document (Lists flattened).
 * Items are passed on as they are: the importer counts those that are not objects.
 */
function readObjects(file: string): unknown[] {
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
  if (text.length > MAX_IMPORT_BYTES)
    throw new PalisadeError("bad-input", `${file}: larger than ${MAX_IMPORT_BYTES} bytes`, { input: file });
  const out: unknown[] = [];
  const add = (value: unknown) => {
    const items = isObject(value) && Array.isArray(value.items) ? value.items : [value];
    out.push(...items.slice(0, MAX_OBJECTS + 1 - out.length));
    if (out.length > MAX_OBJECTS)
      throw new PalisadeError("bad-input", `${file}: more than ${MAX_OBJECTS} objects`, { input: file });
  };
  // `kubectl -o json` is one JSON document: JSON.parse reads it far faster than a YAML parser.
  if (/^\s*[{[]/.test(text)) {
    try {
      add(JSON.parse(text) as unknown);
      return out;
    } catch (error) {
      if (error instanceof PalisadeError) throw error;
      // not JSON after all: YAML flow style, or broken; the YAML parser says which
    }
  }
  const docs = parseAllDocuments(text);
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0)
      throw new PalisadeError("bad-input", `${file}: not YAML or JSON (${doc.errors[0]?.message.split("\n")[0]})`, {
        input: file,
      });
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (value !== null && value !== undefined) add(value);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
