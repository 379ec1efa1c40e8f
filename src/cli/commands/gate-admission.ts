/**
 * `palisade gate admission`: the Kubernetes validating webhook (HTTPS), plus `review FILE.json`
 * (judge one AdmissionReview offline and print the answer, exit 1 when denied, like
 * `kyverno apply`) and `manifests` (the webhook configuration, Deployment, Service, certificates).
 */
import { readFileSync, statSync } from "node:fs";
import { type Command, Option } from "commander";
import { describeError, PalisadeError, parseHostPort } from "../../core/index.js";
import {
  type AdmissionOutcome,
  admissionManifests,
  admissionManifestsYaml,
  CERT_MODES,
  type CertMode,
  type ClusterInventory,
  createAdmissionController,
  createAdmissionServer,
  createGatePolicy,
  createGateRecorder,
  createGateScanner,
  createImageJudge,
  createMemoryInventory,
  createRegistryClients,
  createStoredScans,
  createStoreInventory,
  DEFAULT_REVIEW_LIMITS,
  FAILURE_POLICIES,
  type FailurePolicy,
  type GatePolicy,
} from "../../gate/index.js";
import { compilePolicy, loadPolicyFiles } from "../../policy/index.js";
import type { RegistryOptions } from "../../scan/image/index.js";
import { formatOption, RUNS_OWN_ACTION, withExamples } from "../command-helpers.js";
import { createContext, type GlobalOptions } from "../context.js";
import { recordImageReport, registryCredentials } from "../image-jobs.js";
import { createOutput, renderTable } from "../output.js";
import { openAuditTrail } from "./gateway.js";

interface ServeFlags {
  listen: string;
  policy?: string[];
  tlsCert?: string;
  tlsKey?: string;
  maxBody: string;
  images: boolean;
  scan: boolean;
  insecureRegistry?: string[];
}

/** Add `admission` to the `gate` group (main.ts defines the group when used: choices and limits come from gate). */
export function registerGateAdmission(gate: Command): Command {
  const admission = gate
    .command("admission")
    .description("the Kubernetes validating admission webhook (AdmissionReview v1 over HTTPS)")
    // Options of the group are shared by its commands (`review` and `manifests` read --policy too).
    .option("-p, --policy <files...>", "policy files (kubernetes rules, images, models, quotas)")
    .option("-l, --listen <host:port>", "address to listen on", "127.0.0.1:8443")
    .option("--tls-cert <file>", "PEM certificate chain the API server verifies (signed by the webhook's caBundle)")
    .option("--tls-key <file>", "PEM private key of the certificate")
    .option("--max-body <bytes>", "largest AdmissionReview accepted", String(DEFAULT_REVIEW_LIMITS.maxBytes))
    .option("--no-images", "do not judge images (no registry access): every image is 'unknown' to the policy")
    .option("--no-scan", "never scan on the fly: only stored verdicts count")
    .option("--insecure-registry <hosts...>", "registries reached over plain HTTP (e.g. 127.0.0.1:5000)")
    .action(async (flags: ServeFlags, cmd: Command) => {
      const ctx = createContext(cmd.optsWithGlobals<GlobalOptions>());
      const files = policyFiles(flags.policy);
      if (!flags.tlsCert || !flags.tlsKey)
        throw new PalisadeError(
          "bad-usage",
          "gate admission needs --tls-cert and --tls-key (the API server only calls webhooks over HTTPS)",
          { input: "--tls-cert" },
        );
      const { host, port } = parseHostPort(flags.listen);
      const maxBody = parsePositive(flags.maxBody, "--max-body");
      const tls = { cert: readPem(flags.tlsCert, "--tls-cert"), key: readPem(flags.tlsKey, "--tls-key") };
      let policy: GatePolicy = createGatePolicy(loadPolicyFiles(files));
      const store = ctx.openStore();
      await store.migrate();
      const insecure = new Set(flags.insecureRegistry ?? []);
      const optionsFor = (registry: string): RegistryOptions => ({
        ...registryCredentials(),
        ...(insecure.has(registry) ? { insecure: true } : {}),
      });
      const clients = createRegistryClients(optionsFor);
      const scanner = createGateScanner({
        registryOptions: optionsFor,
        record: (report, image) =>
          recordImageReport(store, report, {
            digest: image.digest,
            name: `${image.registry}/${image.repository}${image.tag ? `:${image.tag}` : ""}`,
            startedAt: Date.now(),
          }),
      });
      const judge = flags.images
        ? createImageJudge({
            policy: () => policy,
            registry: (image) => clients.client(image),
            stored: createStoredScans(store),
            ...(flags.scan ? { scan: scanner } : {}),
          })
        : undefined;
      const controller = createAdmissionController({
        policy: () => policy.compiled,
        ...(judge ? { judge } : {}),
        inventory: createStoreInventory(store),
        limits: { ...DEFAULT_REVIEW_LIMITS, maxBytes: maxBody },
        onInventoryError: (error) => ctx.logger.warn({ err: describeError(error) }, "inventory not updated"),
      });
      const trail = await openAuditTrail(ctx, "gate-admission");
      const recorder = createGateRecorder({
        gate: "admission",
        policy: () => policy.name,
        record: (event) => trail.audit.record(event),
      });
      const server = createAdmissionServer({
        controller,
        tls,
        maxBodyBytes: maxBody,
        onReview: ({ outcome, ms }) => {
          // A dry run has no side effects (the webhook says NoneOnDryRun): not even this record.
          if (outcome.verdict && outcome.subject && !outcome.dryRun) recorder.decided(outcome.subject, outcome.verdict);
          ctx.logger.info(
            {
              uid: outcome.review.response.uid,
              allowed: outcome.review.response.allowed,
              decision: outcome.verdict?.decision,
              rules: outcome.verdict?.reasons.map((r) => r.ruleId),
              ms: Math.round(ms * 10) / 10,
            },
            "admission review",
          );
        },
      });
      const bound = await server.listen(port, host);
      ctx.logger.info({ listen: `${bound.address}:${bound.port}`, policy: policy.name }, "admission webhook ready");
      process.on("SIGHUP", () => {
        try {
          policy = createGatePolicy(loadPolicyFiles(files));
          ctx.logger.info({ policy: policy.name }, "policy reloaded");
        } catch (error) {
          ctx.logger.error({ err: describeError(error) }, "policy reload failed; the previous policy stays");
        }
      });
      await new Promise<void>((resolve) => {
        for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => resolve());
      });
      await server.close();
      await clients.close();
      await trail.audit.close();
      await trail.events.close();
      await store.close();
    });
  RUNS_OWN_ACTION.add(admission);
  withExamples(admission, [
    "palisade gate admission --policy policy.yaml --tls-cert tls.crt --tls-key tls.key --listen 0.0.0.0:8443",
    "palisade gate admission review pod-review.json --policy policy.yaml",
    "palisade gate admission manifests --policy policy.yaml --image ghcr.io/acme/palisade:0.1.0 > admission.yaml",
  ]);

  const review = admission
    .command("review")
    .description("judge one AdmissionReview offline and print the AdmissionReview answer (exit 1 when denied)")
    .argument("<file>", "an AdmissionReview (admission.k8s.io/v1) as JSON, or - for stdin")
    .option("--inventory", "count GPUs and NetworkPolicies recorded in the store (--db); read only")
    .addOption(formatOption())
    .action(async (file: string, flags: { inventory?: boolean; format: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions & { policy?: string[] }>();
      // The policy is read before the input, so a bad policy is reported as such.
      const compiled = compilePolicy(loadPolicyFiles(policyFiles(globals.policy)));
      const text = readReview(file);
      let inventory: ClusterInventory = createMemoryInventory();
      let close: () => Promise<void> = async () => undefined;
      if (flags.inventory) {
        const store = createContext(globals).openStore();
        const stored = createStoreInventory(store);
        inventory = { ...stored, put: async () => undefined, remove: async () => undefined };
        close = () => store.close();
      }
      let outcome: AdmissionOutcome;
      try {
        outcome = await createAdmissionController({ policy: () => compiled, inventory }).review(text);
      } finally {
        await close();
      }
      const out = createOutput();
      const response = outcome.review.response;
      if (flags.format === "json") out.json(outcome.review);
      else {
        out.text(`${file}: ${response.allowed ? "allowed" : "denied"} (uid ${response.uid || "?"})`);
        if (response.status) out.text(`  ${response.status.message}`);
        for (const w of response.warnings ?? []) out.text(`  warning: ${w}`);
      }
      if (outcome.httpStatus !== 200)
        throw new PalisadeError("bad-input", `${file}: ${response.status?.message ?? "not an AdmissionReview"}`, {
          input: file,
        });
      if (!response.allowed) throw new PalisadeError("gate-failed", `${file}: denied`);
    });
  withExamples(review, [
    "palisade gate admission review pod-review.json --policy policy.yaml",
    "palisade gate admission review pod-review.json --policy policy.yaml --format json",
  ]);

  const manifests = admission
    .command("manifests")
    .description(
      "print the webhook's manifests: ValidatingWebhookConfiguration, Deployment, Service, policy, certificates",
    )
    .requiredOption("--image <ref>", "Palisade's image, e.g. ghcr.io/acme/palisade:0.1.0")
    .option("-n, --namespace <ns>", "namespace the webhook runs in (never judged itself)", "palisade-system")
    .option("--name <name>", "name of the webhook's Deployment, Service and configuration", "palisade-admission")
    .addOption(
      new Option("--failure-policy <policy>", "what the API server does when the webhook cannot answer")
        .choices(FAILURE_POLICIES)
        .default("Fail"),
    )
    .addOption(
      new Option("--certs <mode>", "self-signed: a CA generated now (in a Secret); cert-manager: its CA injector")
        .choices(CERT_MODES)
        .default("self-signed"),
    )
    .option("--replicas <n>", "webhook replicas (more than one wants a PostgreSQL store)", "2")
    .option("--timeout <seconds>", "API server's timeout per call (1-30)", "5")
    .addOption(
      new Option("-f, --format <format>", "yaml to apply, json (a List), table (what is in it)")
        .choices(["yaml", "json", "table"])
        .default("yaml"),
    )
    .action(
      (
        flags: {
          image: string;
          namespace: string;
          name: string;
          failurePolicy: FailurePolicy;
          certs: CertMode;
          replicas: string;
          timeout: string;
          format: string;
        },
        cmd: Command,
      ) => {
        const files = policyFiles(cmd.optsWithGlobals<{ policy?: string[] }>().policy);
        if (files.length > 1)
          throw new PalisadeError("bad-usage", "manifests ships one policy file in its ConfigMap; merge them first", {
            input: files.join(" "),
          });
        const policyFile = files[0] as string;
        loadPolicyFiles([policyFile]);
        const timeout = parsePositive(flags.timeout, "--timeout");
        if (timeout > 30)
          throw new PalisadeError("bad-usage", "--timeout is at most 30 seconds", { input: flags.timeout });
        const manifestOptions = {
          namespace: flags.namespace,
          name: flags.name,
          image: flags.image,
          policy: readFileSync(policyFile, "utf8"),
          failurePolicy: flags.failurePolicy,
          certs: flags.certs,
          timeoutSeconds: timeout,
          replicas: parsePositive(flags.replicas, "--replicas"),
        };
        const out = createOutput();
        if (flags.format === "yaml") process.stdout.write(admissionManifestsYaml(manifestOptions));
        else {
          const items = admissionManifests(manifestOptions);
          if (flags.format === "json") out.json({ apiVersion: "v1", kind: "List", items });
          else
            out.text(
              renderTable(
                ["KIND", "NAME", "NAMESPACE"],
                items.map((o) => {
                  const m = o.metadata as { name: string; namespace?: string };
                  return [String(o.kind), m.name, m.namespace ?? ""];
                }),
              ),
            );
        }
      },
    );
  withExamples(manifests, [
    "palisade gate admission manifests --policy policy.yaml --image ghcr.io/acme/palisade:0.1.0 | kubectl apply -f -",
    "palisade gate admission manifests --policy policy.yaml --image ghcr.io/acme/palisade:0.1.0 --certs cert-manager --failure-policy Ignore",
  ]);
  return admission;
}

const MAX_REVIEW_FILE = DEFAULT_REVIEW_LIMITS.maxBytes;

function readReview(file: string): string {
  try {
    if (file === "-") return readFileSync(0, "utf8");
    const size = statSync(file).size;
    if (size > MAX_REVIEW_FILE)
      throw new PalisadeError("bad-input", `${file}: larger than ${MAX_REVIEW_FILE} bytes`, { input: file });
    return readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof PalisadeError) throw error;
    throw new PalisadeError("bad-input", `${file}: cannot read (${describeError(error)})`, {
      input: file,
      cause: error,
    });
  }
}

function policyFiles(files: string[] | undefined): string[] {
  if (!files || files.length === 0)
    throw new PalisadeError("bad-usage", "gate admission needs --policy FILE", { input: "--policy" });
  return files;
}

function readPem(file: string, flag: string): string {
  try {
    const text = readFileSync(file, "utf8");
    if (!text.includes("-----BEGIN")) throw new Error("not PEM");
    return text;
  } catch (error) {
    throw new PalisadeError("bad-input", `${flag} ${file}: not a readable PEM file`, { input: file, cause: error });
  }
}

function parsePositive(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0)
    throw new PalisadeError("bad-usage", `${flag} must be a positive integer, got ${text}`, { input: text });
  return n;
}
