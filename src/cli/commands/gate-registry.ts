/**
 * `palisade gate registry --upstream URL --listen ADDR`: the composition root of the registry
 * gate. Builds the policy (with its trust keys), the store's stored verdicts, the scanner that
 * records what it scans, and the proxy; serves until SIGTERM/SIGINT. SIGHUP reloads the policy.
 */
import type { Command } from "commander";
import { describeError, PalisadeError, parseHostPort } from "../../core/index.js";
import {
  createGatePolicy,
  createGateRecorder,
  createGateScanner,
  createImageJudge,
  createRegistryClients,
  createRegistryGate,
  createStoredScans,
  type GatePolicy,
} from "../../gate/index.js";
import { loadPolicyFiles } from "../../policy/index.js";
import type { RegistryOptions } from "../../scan/image/index.js";
import { advisoryIndexFor } from "../../store/index.js";
import { withExamples } from "../command-helpers.js";
import { createContext } from "../context.js";
import { recordImageReport, registryCredentials } from "../image-jobs.js";
import { logFormatOption, openAuditTrail, serverGlobals } from "./gateway.js";

interface GateRegistryFlags {
  upstream: string;
  listen: string;
  policy: string[];
  registryName?: string;
  scan: boolean;
  notifications?: boolean;
  insecureUpstreamTls?: boolean;
}

/** Add `registry` to the `gate` group (main.ts defines the group when used). */
export function registerGateRegistry(gate: Command): Command {
  const command = gate
    .command("registry")
    .description(
      "an OCI registry proxy: pulls of images the policy denies (verdict, signatures, provenance) get 403 DENIED",
    )
    .requiredOption("-u, --upstream <url>", "the registry behind the gate, http(s)://host[:port]")
    .option("-l, --listen <host:port>", "address to listen on", "127.0.0.1:5050")
    .requiredOption("-p, --policy <files...>", "policy files (supplyChain rules, imageVerdicts, trust)")
    .option("--registry-name <host>", "the registry name policy globs match (default: the upstream's host:port)")
    .option("--no-scan", "never scan on the fly: an image without a fresh stored verdict is 'unscanned'")
    .option(
      "--notifications",
      "accept the registry's push notifications at POST /notifications and scan pushed images (token: PALISADE_NOTIFY_TOKEN)",
    )
    .option("--insecure-upstream-tls", "do not verify the upstream's TLS certificate")
    .addOption(logFormatOption())
    .action(async (flags: GateRegistryFlags & { format?: string }, cmd: Command) => {
      const ctx = createContext(serverGlobals(cmd, flags.format));
      let upstream: URL;
      try {
        upstream = new URL(flags.upstream);
        if (upstream.protocol !== "http:" && upstream.protocol !== "https:") throw new Error("not http(s)");
      } catch {
        throw new PalisadeError("bad-usage", `--upstream ${flags.upstream}: expected http(s)://host[:port]`, {
          input: flags.upstream,
        });
      }
      const { host, port } = parseHostPort(flags.listen);
      let policy: GatePolicy = createGatePolicy(loadPolicyFiles(flags.policy));
      const registryName = flags.registryName ?? upstream.host;
      const optionsFor = (registry: string): RegistryOptions => ({
        ...registryCredentials(),
        ...(registry === registryName && upstream.protocol === "http:" ? { insecure: true } : {}),
      });
      const clients = createRegistryClients(optionsFor);
      const store = ctx.openStore();
      await store.migrate();
      const hasAdvisories = (await store.advisorySummary()).total > 0;
      const scanner = createGateScanner({
        registryOptions: optionsFor,
        ...(hasAdvisories ? { scanOptions: { advisories: (packages) => advisoryIndexFor(store, packages) } } : {}),
        record: (report, image) =>
          recordImageReport(store, report, {
            digest: image.digest,
            name: `${image.registry}/${image.repository}${image.tag ? `:${image.tag}` : ""}`,
            startedAt: Date.now(),
          }),
      });
      const judge = createImageJudge({
        policy: () => policy,
        registry: (image) => clients.client(image),
        stored: createStoredScans(store),
        ...(flags.scan ? { scan: scanner } : {}),
      });
      const token = process.env.PALISADE_NOTIFY_TOKEN;
      // Decisions go to the audit trail (batched, spooled while the store is down) for the dashboard.
      const trail = await openAuditTrail(ctx, "gate-registry");
      const recorder = createGateRecorder({
        gate: "registry",
        policy: () => policy.name,
        record: (event) => trail.audit.record(event),
      });
      const gate = createRegistryGate({
        upstream: upstream.toString(),
        judge,
        registryName,
        logger: ctx.logger,
        onDecision: ({ image, judgement }) =>
          recorder.decided(image, judgement.verdict, judgement.digest ? { digest: judgement.digest } : {}),
        ...(flags.notifications ? { notifications: token ? { token } : {} } : {}),
        ...(flags.insecureUpstreamTls ? { verifyTls: false } : {}),
      });
      const bound = await gate.listen(host, port);
      ctx.logger.info(
        { listen: `${bound.host}:${bound.port}`, upstream: upstream.origin, policy: policy.name, registryName },
        "registry gate ready",
      );
      process.on("SIGHUP", () => {
        try {
          policy = createGatePolicy(loadPolicyFiles(flags.policy));
          ctx.logger.info({ policy: policy.name }, "policy reloaded");
        } catch (error) {
          ctx.logger.error({ err: describeError(error) }, "policy reload failed; the previous policy stays");
        }
      });
      await new Promise<void>((resolve) => {
        for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => resolve());
      });
      await gate.close();
      await clients.close();
      await trail.audit.close();
      await trail.events.close();
      await store.close();
    });
  withExamples(command, [
    "palisade gate registry --upstream http://127.0.0.1:5000 --listen 127.0.0.1:5050 --policy policy.yaml",
    "PALISADE_REGISTRY_USERNAME=gate PALISADE_REGISTRY_PASSWORD=... palisade gate registry --upstream https://registry.acme.internal --listen 0.0.0.0:5000 --policy policy.yaml --notifications",
  ]);
  return command;
}
