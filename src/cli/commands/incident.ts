/** `palisade incident list|show|trace|update|correlate`: incidents correlated from stored events, and their root cause. */
import { type Command, Option } from "commander";
import { PalisadeError, SEVERITIES, type Severity } from "../../core/index.js";
import {
  createCorrelator,
  createStoreDirectory,
  getIncident,
  INCIDENT_STATUSES,
  type IncidentStatus,
  incidentEventIds,
  incidentHistory,
  listIncidents,
  loadRuleSet,
  SHIPPED_RULES,
  traceDot,
  traceIncident,
  traceMermaid,
  traceTable,
  updateIncident,
} from "../../incident/index.js";
import type { Store } from "../../store/index.js";
import { formatOption, withExamples } from "../command-helpers.js";
import { type CommandContext, createContext, type GlobalOptions } from "../context.js";
import { renderPairs, renderTable } from "../output.js";

const iso = (t: number) => new Date(t).toISOString();

async function withStore<T>(ctx: CommandContext, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = ctx.openStore();
  try {
    await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** The directory of inventory lookups every incident command shares: MCP servers from the config, containers from the store. */
export function incidentDirectory(ctx: CommandContext) {
  return createStoreDirectory({ mcp: ctx.config.mcp.servers });
}

/** Shipped rules plus the user's `--rules` files or folders. */
export function incidentRules(extra: readonly string[] = []) {
  return loadRuleSet([SHIPPED_RULES, ...extra]);
}

async function mustGet(store: Store, id: string) {
  const incident = await getIncident(store.db, id);
  if (!incident) throw new PalisadeError("not-found", `no incident ${id} (see palisade incident list)`, { input: id });
  return incident;
}

/** Add the incident commands to the `incident` group (main.ts defines it when used: statuses come from incident). */
export function registerIncident(incident: Command): void {
  const list = incident
    .command("list")
    .description("incidents, newest first")
    .option("--status <statuses...>", `only these statuses (${INCIDENT_STATUSES.join(", ")})`)
    .addOption(new Option("--min-severity <severity>", "only this severity or worse").choices(SEVERITIES))
    .option("--limit <n>", "at most this many", "100")
    .addOption(formatOption())
    .action(
      async (options: { status?: string[]; minSeverity?: Severity; limit: string; format: string }, cmd: Command) => {
        const status = options.status?.flatMap((s) => s.split(","));
        for (const s of status ?? [])
          if (!(INCIDENT_STATUSES as readonly string[]).includes(s))
            throw new PalisadeError("bad-usage", `--status ${s}: expected ${INCIDENT_STATUSES.join(", ")}`, {
              input: s,
            });
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
          throw new PalisadeError("bad-usage", `--limit must be 1-10000, got ${options.limit}`, {
            input: options.limit,
          });
        const ctx = createContext(cmd.optsWithGlobals<GlobalOptions>());
        const incidents = await withStore(ctx, (store) =>
          listIncidents(store.db, {
            ...(status ? { status: status as IncidentStatus[] } : {}),
            ...(options.minSeverity ? { minSeverity: options.minSeverity } : {}),
            limit,
          }),
        );
        if (options.format === "json") return ctx.out.json(incidents);
        ctx.out.text(
          renderTable(
            ["ID", "SEVERITY", "STATUS", "EVENTS", "OPENED", "OWNER", "TITLE"],
            incidents.map((i) => [
              i.id,
              i.severity,
              i.status,
              String(i.summary.count),
              iso(i.openedAt),
              i.owner ?? "-",
              i.title,
            ]),
          ),
        );
      },
    );
  withExamples(list, [
    "palisade incident list",
    "palisade incident list --status open acknowledged --min-severity high",
  ]);

  const show = incident
    .command("show")
    .description("one incident: what matched, its events and its history")
    .argument("<id>", "incident id (INC-...)")
    .addOption(formatOption())
    .action(async (id: string, options: { format: string }, cmd: Command) => {
      const ctx = createContext(cmd.optsWithGlobals<GlobalOptions>());
      await withStore(ctx, async (store) => {
        const found = await mustGet(store, id);
        const eventIds = await incidentEventIds(store.db, id);
        const history = await incidentHistory(store.db, id);
        const trace = await traceIncident(id, { store, directory: incidentDirectory(ctx) });
        const timeline = trace?.timeline ?? [];
        if (options.format === "json") return ctx.out.json({ ...found, events: eventIds, history, timeline });
        ctx.out.text(
          renderPairs([
            ["id", found.id],
            ["title", found.title],
            ["severity", found.severity],
            ["status", found.status],
            ["owner", found.owner ?? "-"],
            ["rule", found.ruleId ?? "-"],
            ["grouped by", found.summary.groupedBy.join(", ") || "-"],
            ["events", String(found.summary.count)],
            ["first seen", iso(found.summary.firstSeen)],
            ["last seen", iso(found.summary.lastSeen)],
          ]),
        );
        ctx.out.text("\ntimeline:");
        for (const entry of timeline) ctx.out.text(`  ${iso(entry.time)}  ${entry.text}`);
      });
    });
  withExamples(show, [
    "palisade incident show INC-3f2a9c1d0b7e",
    "palisade incident show INC-3f2a9c1d0b7e --format json",
  ]);

  const trace = incident
    .command("trace")
    .description(
      "the root-cause chain: identity, prompt (redacted), signals, model, tool calls, processes, workload, image, vulnerable components",
    )
    .argument("<id>", "incident id (INC-...)")
    .addOption(formatOption(["mermaid", "dot"]))
    .action(async (id: string, options: { format: string }, cmd: Command) => {
      const ctx = createContext(cmd.optsWithGlobals<GlobalOptions>());
      await withStore(ctx, async (store) => {
        await mustGet(store, id);
        const found = await traceIncident(id, { store, directory: incidentDirectory(ctx) });
        if (!found) throw new PalisadeError("not-found", `no incident ${id}`, { input: id });
        if (options.format === "json") return ctx.out.json(found);
        const render = options.format === "mermaid" ? traceMermaid : options.format === "dot" ? traceDot : traceTable;
        process.stdout.write(render(found));
      });
    });
  withExamples(trace, [
    "palisade incident trace INC-3f2a9c1d0b7e",
    "palisade incident trace INC-3f2a9c1d0b7e --format mermaid > trace.mmd",
    "palisade incident trace INC-3f2a9c1d0b7e --format dot | dot -Tsvg > trace.svg",
  ]);

  const update = incident
    .command("update")
    .description("acknowledge, resolve or reopen an incident, assign an owner, add a note")
    .argument("<id>", "incident id (INC-...)")
    .addOption(new Option("--status <status>", "new status").choices(INCIDENT_STATUSES))
    .option("--owner <name>", "who owns it ('' to unassign)")
    .option("--note <text>", "a note for the history")
    .option("--actor <name>", "who is making the change", process.env.USER ?? "cli")
    .addOption(formatOption())
    .action(
      async (
        id: string,
        options: { status?: IncidentStatus; owner?: string; note?: string; actor: string; format: string },
        cmd: Command,
      ) => {
        if (!options.status && options.owner === undefined && !options.note)
          throw new PalisadeError("bad-usage", "nothing to change: give --status, --owner or --note", { input: id });
        const ctx = createContext(cmd.optsWithGlobals<GlobalOptions>());
        const updated = await withStore(ctx, async (store) => {
          await mustGet(store, id);
          return updateIncident(
            store.db,
            id,
            {
              ...(options.status ? { status: options.status } : {}),
              ...(options.owner !== undefined ? { owner: options.owner === "" ? null : options.owner } : {}),
              ...(options.note ? { note: options.note } : {}),
            },
            options.actor,
            Date.now(),
          );
        });
        if (options.format === "json") return ctx.out.json(updated);
        ctx.out.text(`${updated.id}: ${updated.status}${updated.owner ? `, owner ${updated.owner}` : ""}`);
      },
    );
  withExamples(update, [
    "palisade incident update INC-3f2a9c1d0b7e --status acknowledged --owner alice",
    "palisade incident update INC-3f2a9c1d0b7e --status resolved --note 'key rotated'",
  ]);

  const correlate = incident
    .command("correlate")
    .description("run the correlation rules over events stored since the last run (gateway, MCP, sandbox, sensors)")
    .option("--rules <paths...>", "more rule files or folders, beside the shipped rules/incidents")
    .addOption(formatOption())
    .action(async (options: { rules?: string[]; format: string }, cmd: Command) => {
      const ctx = createContext(cmd.optsWithGlobals<GlobalOptions>());
      const rules = incidentRules(options.rules);
      const run = await withStore(ctx, async (store) => {
        const directory = incidentDirectory(ctx);
        return createCorrelator({ store, rules, directory, imageSeverity: directory.imageSeverity }).run();
      });
      const changes = run.changes.map((c) => ({
        id: c.incident.id,
        change: c.change,
        severity: c.incident.severity,
        title: c.incident.title,
      }));
      if (options.format === "json") return ctx.out.json({ events: run.events, changes });
      ctx.out.text(`correlated ${run.events} event(s) with ${rules.rules.length} rule(s)`);
      if (changes.length > 0)
        ctx.out.text(
          renderTable(
            ["ID", "CHANGE", "SEVERITY", "TITLE"],
            changes.map((c) => [c.id, c.change, c.severity, c.title]),
          ),
        );
    });
  withExamples(correlate, [
    "palisade incident correlate",
    "palisade incident correlate --rules ./my-rules --format json",
  ]);
}
