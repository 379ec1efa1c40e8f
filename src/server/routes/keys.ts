/**
 * API keys (admin only): list them (never the keys), create one (the key is in this answer and
 * nowhere else; only its hash is stored), revoke one. Keys serve the API, the gateways and
 * sensor ingestion alike; roles are free-form, as the policy names them.
 */
import { z } from "zod";
import { generateApiKey } from "../../gateway/index.js";
import type { Store } from "../../store/index.js";
import { ApiError, notFound } from "../errors.js";
import { defineRoute, type Route } from "../route.js";

const MAX_LIFETIME_MS = 100 * 365 * 24 * 3600 * 1000;

const KeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  roles: z.array(z.string()),
  status: z.enum(["active", "expired", "revoked"]),
  createdAt: z.number(),
  expiresAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
  lastUsedAt: z.number().nullable(),
});

const CreateKeySchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, "letters, digits and . _ @ - only"),
  roles: z
    .array(
      z
        .string()
        .min(1)
        .max(64)
        .regex(/^[a-z0-9][a-z0-9:._-]*$/, "lower-case letters, digits and : . _ - only"),
    )
    .max(32)
    .default([]),
  expiresInDays: z.number().int().min(1).max(36_500).optional(),
});

export function keyRoutes(store: Store): Route[] {
  const list = defineRoute({
    method: "GET",
    path: "/api/v1/keys",
    tag: "keys",
    summary: "List API keys (names, prefixes, roles, status; never the keys)",
    response: z.object({ items: z.array(KeySchema) }),
    roles: ["admin"],
    async handler({ now }) {
      const keys = await store.listApiKeys();
      return {
        json: {
          items: keys.map((k) => ({
            ...k,
            status: k.revokedAt
              ? ("revoked" as const)
              : k.expiresAt && k.expiresAt <= now
                ? ("expired" as const)
                : ("active" as const),
          })),
        },
      };
    },
  });

  const create = defineRoute({
    method: "POST",
    path: "/api/v1/keys",
    tag: "keys",
    summary: "Create an API key; the key is shown in this answer only",
    body: CreateKeySchema,
    response: z.object({
      id: z.string(),
      name: z.string(),
      key: z.string(),
      roles: z.array(z.string()),
      expiresAt: z.number().nullable(),
    }),
    roles: ["admin"],
    async handler({ body, now }) {
      if ((await store.listApiKeys()).some((k) => k.name === body.name && !k.revokedAt))
        throw new ApiError("conflict", `a key named ${body.name} exists; revoke it first`);
      const generated = generateApiKey();
      const expiresAt =
        body.expiresInDays === undefined ? undefined : now + Math.min(body.expiresInDays * 86_400_000, MAX_LIFETIME_MS);
      const record = await store.createApiKey({
        name: body.name,
        prefix: generated.prefix,
        hash: generated.hash,
        roles: body.roles,
        ...(expiresAt ? { expiresAt } : {}),
      });
      return {
        status: 201,
        json: {
          id: record.id,
          name: record.name,
          key: generated.key,
          roles: record.roles,
          expiresAt: record.expiresAt,
        },
      };
    },
  });

  const revoke = defineRoute({
    method: "DELETE",
    path: "/api/v1/keys/{name}",
    tag: "keys",
    summary: "Revoke an API key by name or id",
    params: z.object({ name: z.string().min(1).max(200) }),
    response: z.object({ revoked: z.string() }),
    roles: ["admin"],
    async handler({ params }) {
      if (!(await store.revokeApiKey(params.name))) throw notFound(`API key ${params.name}`);
      return { json: { revoked: params.name } };
    },
  });
  return [list, create, revoke];
}
