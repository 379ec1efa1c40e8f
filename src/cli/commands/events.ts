/**
 * `palisade events ingest|serve`: runtime sensor events (Falco, Tetragon) into the store, then
 * correlated into incidents (with alerts to the policy's sinks). `serve` is the ingestion
 * endpoint sensors post to; it also correlates what the gateways write, as it arrives.
 */
import { readFileSync, statSync } from "node:fs";
import { type Command, Option } from "commander";
import { createRedisJobQueue, PalisadeError } from "../../core/index.js";
import {
  type AlertDispatcher,
  createAlertDispatcher,
  createCorrelator,
  createEventIngestor,
  EVENT_BATCH_JOB,
  type EventJobTypes,
  eventBatchJobId,
  type IncidentChange,
  incidentAlert,
  keepChange,
} from "../../incident/index.js";
import { loadPolicyFiles } from "../../policy/index.js";
import {
  createSensorParser,
  createSensorRedactor,
  DEFAULT_SENSOR_BATCH_LIMITS,
  type EventSink,
  parseSensorBatch,
  type RejectedEvent,
  SENSOR_SOURCES,
  type SensorSource,
  startIngestServer,
} from "../../runtime/index.js";
import type { Store } from "../../store/index.js";
import { formatOption, withExamples } from "../command-helpers.js";
import { type CommandContext, createContext, type GlobalOptions } from "../context.js";
import { renderTable } from "../output.js";
import { type QueueFlags, queueOptions, redisUrlOf } from "../queue-options.js";
import { isLoopback, logFormatOption, policyFiles, serverGlobals } from "./gateway.js";
import { incidentDirectory, incidentRules } from "./incident.js";
import { packageVersion } from "./version.js";

/** Largest sensor file read: exports are JSON lines, read in batches under the per-batch limit. */
const MAX_FILE_BYTES = 1024 * 1024 * 1024;
const LINES_PER_BATCH = 20_000;

/** The policy's alert sinks as a dispatcher, or undefined when it has none. */
export async function alertDispatcher(
  ctx: CommandContext,
  files: string[] | undefined,
): Promise<AlertDispatcher | undefined> {
  const alerts = loadPolicyFiles(await policyFiles(ctx, files)).spec.alerts;
  if (!alerts || alerts.sinks.length === 0) return undefined;
  return createAlertDispatcher(alerts, { logger: ctx.logger });
}

export function correlatorFor(ctx: CommandContext, store: Store, rules: string[] | undefined) {
  const directory = incidentDirectory(ctx);
  return createCorrelator({ store, rules: incidentRules(rules), directory, imageSeverity: directory.imageSeverity });
}

/** A sensor file as batches: one JSON document whole, JSON lines in slices with their line numbers kept. */
function* fileBatches(source: SensorSource, file: string): Generator<ReturnType<typeof parseSensorBatch>> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (cause) {
    throw new PalisadeError("not-found", `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code}`, {
      input: file,
      cause,
    });
  }
  if (size > MAX_FILE_BYTES)
    throw new PalisadeError("bad-input", `${file}: ${size} bytes, more than the ${MAX_FILE_BYTES} a file may have`, {
      input: file,
    });
  const text = readFileSync(file, "utf8");
  if (size <= DEFAULT_SENSOR_BATCH_LIMITS.maxBatchBytes / 2) {
    yield parseSensorBatch(source, text);
    return;
  }
  const lines = text.split("\n");
  for (let start = 0; start < lines.length; start += LINES_PER_BATCH) {
    const batch = parseSensorBatch(source, lines.slice(start, start + LINES_PER_BATCH).join("\n"));
    const shift = <T extends { index: number }>(r: T): T => ({ ...r, index: r.index + start });
    yield {
      events: batch.events,
      rejected: batch.rejected.map(shift),
      truncated: batch.truncated.map(shift),
    };
  }
}

/** Add `ingest` and `serve` to the `events` group (main.ts defines it when used: the sensors come from runtime). */
export function registerEvents(events: Command): void {
  const ingest = events
    .command("ingest")
    .description("store sensor events from files (Falco JSON output, Tetragon JSON export), then correlate")
    .addOption(
      new Option("--source <sensor>", "the sensor that wrote the files").choices(SENSOR_SOURCES).makeOptionMandatory(),
    )
    .argument("<files...>", "event files (one JSON document, or JSON lines)")
    .option("--no-correlate", "store only; correlate later with palisade incident correlate")
    .option("--rules <paths...>", "more correlation rule files or folders")
    .option("--policy <files...>", "policy whose alert sinks are told of new incidents")
    .addOption(formatOption())
    .action(
      async (
        files: string[],
        options: { source: SensorSource; correlate: boolean; rules?: string[]; policy?: string[]; format: string },
        cmd: Command,
      ) => {
        const ctx = createContext(cmd.optsWithGlobals<GlobalOptions>());
        const store = ctx.openStore({ eventWriter: true });
        const dispatcher = options.correlate ? await alertDispatcher(ctx, options.policy) : undefined;
        const report = { accepted: 0, truncated: 0, rejected: [] as (RejectedEvent & { file: string })[] };
        const changes = new Map<string, IncidentChange>();
        let correlated = 0;
        const redact = createSensorRedactor();
        try {
          await store.migrate();
          const correlator = options.correlate ? correlatorFor(ctx, store, options.rules) : undefined;
          const ingestor = correlator
            ? createEventIngestor({
                store,
                correlator,
                onCorrelationError: (error) =>
                  ctx.logger.error({ err: (error as Error).message }, "correlation failed; the events are stored"),
              })
            : undefined;
          for (const file of files)
            for (const batch of fileBatches(options.source, file)) {
              const events = batch.events.map(redact);
              if (ingestor) {
                const run = await ingestor.ingest(events);
                correlated += run.events;
                for (const change of run.changes) keepChange(changes, change);
              } else await store.appendEvents(events);
              report.accepted += batch.events.length;
              report.truncated += batch.truncated.length;
              report.rejected.push(...batch.rejected.map((r) => ({ ...r, file })));
            }
          // Whatever else waits (gateway events, a batch whose correlation failed): as before, all of it.
          if (correlator) {
            const rest = await correlator.run();
            correlated += rest.events;
            for (const change of rest.changes) keepChange(changes, change);
          }
          for (const change of changes.values()) dispatcher?.dispatch(incidentAlert(change));
        } finally {
          await dispatcher?.close();
          await store.close();
        }
        const incidents = [...changes.values()].map((c) => ({
          id: c.incident.id,
          change: c.change,
          severity: c.incident.severity,
          title: c.incident.title,
        }));
        if (options.format === "json") ctx.out.json({ ...report, correlated, incidents });
        else {
          ctx.out.text(
            `stored ${report.accepted} event(s) from ${files.length} file(s); rejected ${report.rejected.length}` +
              (report.truncated ? `; ${report.truncated} shortened to fit` : ""),
          );
          for (const r of report.rejected.slice(0, 20)) ctx.out.text(`  ${r.file}:${r.index}: ${r.reason}`);
          if (report.rejected.length > 20) ctx.out.text(`  ... and ${report.rejected.length - 20} more`);
          if (options.correlate) ctx.out.text(`correlated ${correlated} event(s)`);
          if (incidents.length > 0)
            ctx.out.text(
              renderTable(
                ["ID", "CHANGE", "SEVERITY", "TITLE"],
                incidents.map((i) => [i.id, i.change, i.severity, i.title]),
              ),
            );
        }
        if (report.accepted === 0 && report.rejected.length > 0)
          throw new PalisadeError("bad-input", `no event in ${files.join(", ")} could be read (see above)`, {
            input: files.join(" "),
          });
      },
    );
  withExamples(ingest, [
    "palisade events ingest --source falco falco-events.json",
    "palisade events ingest --source tetragon tetragon.log --format json",
  ]);

  const serve = queueOptions(
    events
      .command("serve")
      .description(
        "the sensor ingestion endpoint (POST /api/v1/events/falco, /api/v1/events/tetragon), correlating as events arrive, and the incident API (/api/v1/incidents)",
      )
      .option("--listen <host:port>", "address to listen on", "127.0.0.1:8790")
      .option("--no-auth", "accept unauthenticated posts (loopback addresses only)")
      .option("--rules <paths...>", "more correlation rule files or folders")
      .option("--policy <files...>", "policy whose alert sinks are told of new incidents")
      .option("--correlate-every <ms>", "also correlate what the gateways stored, this often", "2000")
      .addOption(logFormatOption()),
    "stored and correlated in this process",
  ).action(
    async (
      options: QueueFlags & {
        listen: string;
        auth: boolean;
        rules?: string[];
        policy?: string[];
        correlateEvery: string;
        logFormat?: string;
      },
      cmd: Command,
    ) => {
      const ctx = createContext(serverGlobals(cmd, options.logFormat));
      const at = options.listen.lastIndexOf(":");
      const host = options.listen.slice(0, at).replace(/^\[|\]$/g, "");
      const port = Number(options.listen.slice(at + 1));
      if (at < 0 || !Number.isInteger(port) || port < 0 || port > 65_535)
        throw new PalisadeError("bad-usage", `--listen must be host:port, got ${options.listen}`, {
          input: options.listen,
        });
      if (!options.auth && !isLoopback(host))
        throw new PalisadeError("bad-usage", `--no-auth is only allowed on a loopback address, not ${host}`, {
          input: options.listen,
        });
      const every = Number(options.correlateEvery);
      if (!Number.isInteger(every) || every < 100)
        throw new PalisadeError("bad-usage", "--correlate-every must be at least 100 (ms)", {
          input: options.correlateEvery,
        });
      const redisUrl = options.queue === "redis" ? redisUrlOf(options) : undefined;
      const store = ctx.openStore({ eventWriter: true });
      await store.migrate();
      const correlator = correlatorFor(ctx, store, options.rules);
      const dispatcher = await alertDispatcher(ctx, options.policy);
      const oidc = ctx.config.gateway.auth.oidc;
      // Only serve authenticates and serves the API: ingest and --help load neither module.
      const [{ createAuthenticator }, { createApi }] = await Promise.all([
        import("../../gateway/index.js"),
        import("../../server/index.js"),
      ]);
      const auth = createAuthenticator({
        ...(ctx.config.gateway.auth.apiKeys ? { apiKeys: store } : {}),
        ...(oidc ? { oidc } : {}),
      });
      const report = (changes: readonly IncidentChange[]) => {
        for (const change of changes) {
          ctx.logger.warn(
            { incident: change.incident.id, severity: change.incident.severity, change: change.change },
            change.incident.title,
          );
          dispatcher?.dispatch(incidentAlert(change));
        }
      };
      const correlationFailed = (error: unknown) =>
        ctx.logger.error({ err: (error as Error).message }, "correlation failed; retried on the next tick");

      // What the gateways store is correlated on a timer (sensor batches as they arrive); one
      // run at a time, and a wake-up during a run asks for one more run after it.
      let running: Promise<void> | undefined;
      let again = false;
      const correlate = (): Promise<void> => {
        if (running) {
          again = true;
          return running;
        }
        running = (async () => {
          do {
            again = false;
            try {
              report((await correlator.run()).changes);
            } catch (error) {
              correlationFailed(error);
            }
          } while (again);
        })().finally(() => {
          running = undefined;
        });
        return running;
      };
      // With Redis, batches are queued (normalised and redacted) for the workers; otherwise
      // stored and correlated here, in one transaction.
      const queue = redisUrl ? await createRedisJobQueue<EventJobTypes>(redisUrl) : undefined;
      const ingestor = createEventIngestor({
        store,
        correlator,
        onChanges: report,
        onCorrelationError: correlationFailed,
      });
      const sink: EventSink = queue
        ? {
            appendEvents: (events, source) =>
              queue.enqueue(EVENT_BATCH_JOB, [{ id: eventBatchJobId(events), data: { source, events: [...events] } }], {
                attempts: 10,
                backoffMs: 2000,
                replace: "failed",
              }),
          }
        : { appendEvents: (events) => ingestor.ingest(events) };
      // Parsing and redaction on a thread of their own: the next batch is read while this one is stored.
      const parser = createSensorParser();
      const server = await startIngestServer({
        host,
        port,
        sink,
        parser,
        // The REST API (incidents, and the rest of /api/v1) behind the ingest server's authentication.
        routes: createApi({ store, directory: incidentDirectory(ctx), version: packageVersion(), logger: ctx.logger })
          .handler,
        ...(options.auth ? { authenticate: (h: string | undefined) => auth.authenticate(h) } : {}),
        logger: ctx.logger,
      });
      const timer = setInterval(() => void correlate(), every);
      if (!options.auth)
        ctx.logger.warn({ url: server.url }, "AUTHENTICATION IS OFF (--no-auth): any local process may post events");
      process.stdout.write(`${JSON.stringify({ url: server.url, sources: SENSOR_SOURCES })}\n`);
      const stop = async () => {
        clearInterval(timer);
        await server.close();
        await parser.close();
        await queue?.close();
        await correlate();
        await dispatcher?.close();
        ctx.logger.info({ ...server.stats }, "ingestion stopped");
        await store.close();
      };
      await new Promise<void>((resolve) => {
        const onSignal = () => void stop().finally(resolve);
        process.once("SIGINT", onSignal);
        process.once("SIGTERM", onSignal);
      });
    },
  );
  withExamples(serve, [
    "palisade events serve --listen 0.0.0.0:8790",
    "palisade events serve --listen 127.0.0.1:8790 --no-auth --policy policy.yaml",
  ]);
}
