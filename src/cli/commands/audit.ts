/** `palisade audit verify`: check the store's hash-chained audit events for tampering. */
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { PalisadeError } from "../../core/index.js";
import type { AuditAnchor, AuditReport } from "../../store/index.js";
import { type Contextual, formatOption, withExamples } from "../command-helpers.js";
import type { CommandContext } from "../context.js";
import { readFileText } from "../input.js";
import { renderPairs, renderTable } from "../output.js";

/** An anchors file holds at most this many bytes (one `HASH@SEQ` line is 80). */
const MAX_ANCHOR_FILE_BYTES = 8 * 1024 * 1024;

interface VerifyOptions {
  expect: string[];
  anchors?: string;
  format: string;
}

export function registerAudit(program: Command, context: Contextual): void {
  const audit = program.command("audit").description("check the tamper-evident audit trail of the store");
  withExamples(audit, ["palisade audit verify", "palisade audit verify --expect 3f9a...c2@120450"]);

  const verify = audit
    .command("verify")
    .description(
      "verify the hash chain of audit events: exit 1 when an event was edited, deleted, reordered or planted, or the chain no longer passes through an anchor",
    )
    .option(
      "--expect <hash@seq>",
      "a head printed by an earlier run (HASH@SEQ): the chain must still pass through it (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option("--anchors <file>", "a file of earlier heads, one HASH@SEQ per line (# comments)")
    .addOption(formatOption())
    .action(async (options: VerifyOptions, command: Command) => {
      const { isPostgresUrl, parseAuditAnchor, verifyAuditChain } = await import("../../store/index.js");
      const anchors = [
        ...options.expect.map(parseAuditAnchor),
        ...(options.anchors ? readAnchors(options.anchors, parseAuditAnchor) : []),
      ];
      const ctx = await context(command.optsWithGlobals());
      if (!isPostgresUrl(ctx.storeLocation) && !existsSync(ctx.storeLocation)) {
        throw new PalisadeError("not-found", `no store at ${ctx.storeLocation}`, { input: ctx.storeLocation });
      }
      const store = ctx.openStore();
      let report: AuditReport;
      try {
        const status = await store.status();
        if (!status.applied.some((m) => m.name === "0004-audit-chain")) {
          throw new PalisadeError(
            "bad-input",
            `store ${store.location} has no audit chain yet: run \`palisade db migrate\` first`,
            { input: store.location },
          );
        }
        report = await verifyAuditChain(store, { anchors });
      } finally {
        await store.close();
      }
      if (options.format === "json") ctx.out.json({ store: store.location, ...report });
      else printReport(ctx, store.location, report);
      if (!report.ok) {
        const found = report.problems.length + report.omitted;
        throw new PalisadeError("gate-failed", `audit chain: ${found} problem(s) found, see above`);
      }
    });
  withExamples(verify, [
    "palisade audit verify",
    "palisade audit verify --db postgres://palisade@127.0.0.1/palisade --format json",
    "palisade audit verify --expect 3f9a...c2@120450 --anchors /secure/audit-anchors.txt",
  ]);
}

function readAnchors(file: string, parseAuditAnchor: (text: string) => AuditAnchor): AuditAnchor[] {
  const text = readFileText(file, { maxBytes: MAX_ANCHOR_FILE_BYTES });
  const anchors: AuditAnchor[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.replace(/#.*/, "").trim();
    if (line === "") continue;
    try {
      anchors.push(parseAuditAnchor(line));
    } catch (cause) {
      throw new PalisadeError("bad-input", `${file}:${index + 1}: ${(cause as Error).message}`, { input: file, cause });
    }
  }
  return anchors;
}

function printReport(ctx: CommandContext, location: string, report: AuditReport): void {
  const found = report.problems.length + report.omitted;
  ctx.out.text(
    renderPairs([
      ["store", location],
      ["result", report.ok ? "ok: no tampering found" : `TAMPERED: ${found} problem(s)`],
      ["chain", `${report.checked} row(s)`],
      ["events intact", report.events],
      ["pruned by retention", `${report.pruned} event(s) in ${report.pruneRuns} run(s)`],
      ["anchors matched", report.anchorsMatched],
      ["head", report.head ? `${report.head.hash}@${report.head.seq}` : "none (no events yet)"],
    ]),
  );
  if (report.problems.length > 0) {
    ctx.out.text("");
    ctx.out.text(
      renderTable(
        ["PROBLEM", "SEQ", "EVENT", "DETAIL"],
        report.problems.map((p) => [p.kind, p.seq ?? "", p.eventId ?? "", p.detail]),
      ),
    );
    if (report.omitted > 0) ctx.out.text(`... and ${report.omitted} more`);
  }
  if (report.ok && report.head) {
    ctx.out.text("");
    ctx.out.text("Keep the head outside the store (a ticket, a log, a WORM bucket) and pass it to --expect next time:");
    ctx.out.text(`  palisade audit verify --expect ${report.head.hash}@${report.head.seq}`);
  }
}
