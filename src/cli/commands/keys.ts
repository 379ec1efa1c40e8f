/** `palisade keys create|list|revoke`: API keys for the gateways (stored hashed). */
import type { Command } from "commander";
import { PalisadeError } from "../../core/index.js";
import { commandContext, formatOption, withExamples } from "../command-helpers.js";
import type { GlobalOptions } from "../context.js";
import { renderPairs, renderTable } from "../output.js";

const DURATION = /^(\d{1,9})([hdwy])$/;
const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 } as const;
/** The longest lifetime a key may be given; beyond it "expires" means nothing (and dates overflow). */
const MAX_LIFETIME_MS = 100 * UNIT_MS.y;

/** `--expires 30d` as an absolute time, checked before anything is written. */
export function parseExpiry(text: string, now: number): number {
  const m = DURATION.exec(text);
  if (!m) {
    throw new PalisadeError("bad-usage", `--expires must look like 12h, 30d, 8w or 1y, got ${text}`, { input: text });
  }
  const lifetime = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  if (lifetime <= 0 || lifetime > MAX_LIFETIME_MS) {
    throw new PalisadeError("bad-usage", `--expires must be between 1h and 100y, got ${text}`, { input: text });
  }
  return now + lifetime;
}

/** A stored time as an ISO day; a row written by an older version with an impossible date still lists. */
function isoDay(ms: number | null | undefined, none: string): string {
  if (ms === null || ms === undefined) return none;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? "invalid" : date.toISOString().slice(0, 10);
}

export function registerKeys(program: Command): void {
  const keys = program.command("keys").description("manage gateway API keys (only a hash is stored)");
  withExamples(keys, [
    "palisade keys create ci-bot --role analyst --expires 90d",
    "palisade keys list",
    "palisade keys revoke ci-bot",
  ]);

  const create = keys
    .command("create")
    .description("create an API key; it is printed once and cannot be shown again")
    .argument("<name>", "a unique name, e.g. the service or person using it")
    .option("-r, --role <roles...>", "roles from the policy", [])
    .option("--expires <duration>", "lifetime such as 12h, 30d, 8w, 1y (default: no expiry)")
    .addOption(formatOption())
    .action(async (name: string, options: { role: string[]; expires?: string; format: string }, cmd: Command) => {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
        throw new PalisadeError(
          "bad-usage",
          `key names are letters, digits, '.', '_' and '-' (at most 64), got ${name}`,
          { input: name },
        );
      }
      const expiresAt = options.expires === undefined ? undefined : parseExpiry(options.expires, Date.now());
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalOptions>());
      const { generateApiKey } = await import("../../gateway/index.js");
      const store = ctx.openStore();
      try {
        await store.migrate();
        const generated = generateApiKey();
        const record = await store.createApiKey({
          name,
          prefix: generated.prefix,
          hash: generated.hash,
          roles: options.role,
          ...(expiresAt ? { expiresAt } : {}),
        });
        const shown = {
          name: record.name,
          key: generated.key,
          roles: record.roles,
          expires: record.expiresAt ? new Date(record.expiresAt).toISOString() : null,
        };
        if (options.format === "json") ctx.out.json(shown);
        else {
          ctx.out.text(
            renderPairs([
              ["name", shown.name],
              ["key", shown.key],
              ["roles", shown.roles.join(", ") || "-"],
              ["expires", shown.expires ?? "never"],
            ]),
          );
          process.stderr.write("Store the key now: it is not kept and cannot be shown again.\n");
        }
      } finally {
        await store.close();
      }
    });
  withExamples(create, [
    "palisade keys create ci-bot --role analyst --expires 90d",
    "palisade keys create alice --role reader --format json",
  ]);

  const list = keys
    .command("list")
    .description("list API keys (names, prefixes, roles, status; never the keys)")
    .addOption(formatOption())
    .action(async (options: { format: string }, cmd: Command) => {
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalOptions>());
      const store = ctx.openStore();
      try {
        await store.migrate();
        const now = Date.now();
        const rows = (await store.listApiKeys()).map((k) => ({
          ...k,
          status: k.revokedAt ? "revoked" : k.expiresAt && k.expiresAt <= now ? "expired" : "active",
        }));
        if (options.format === "json") ctx.out.json(rows);
        else
          ctx.out.text(
            renderTable(
              ["NAME", "PREFIX", "ROLES", "STATUS", "CREATED", "EXPIRES"],
              rows.map((k) => [
                k.name,
                `${k.prefix}…`,
                k.roles.join(",") || "-",
                k.status,
                isoDay(k.createdAt, "-"),
                isoDay(k.expiresAt, "never"),
              ]),
            ),
          );
      } finally {
        await store.close();
      }
    });
  withExamples(list, ["palisade keys list", "palisade keys list --format json"]);

  const revoke = keys
    .command("revoke")
    .description("revoke an API key by name or id (gateways stop accepting it within seconds)")
    .argument("<name-or-id>")
    .addOption(formatOption())
    .action(async (nameOrId: string, options: { format: string }, cmd: Command) => {
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalOptions>());
      const store = ctx.openStore();
      try {
        await store.migrate();
        if (!(await store.revokeApiKey(nameOrId)))
          throw new PalisadeError("not-found", `no active API key named ${nameOrId}`, { input: nameOrId });
        if (options.format === "json") ctx.out.json({ revoked: nameOrId });
        else ctx.out.text(`revoked ${nameOrId}`);
      } finally {
        await store.close();
      }
    });
  withExamples(revoke, ["palisade keys revoke ci-bot"]);
}
