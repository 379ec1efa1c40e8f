/**
 * The REST API under /api/v1: every route table in one list, the OpenAPI 3.1 document generated
 * from it, and the handler any Palisade HTTP server mounts (`palisade up`, `events serve`).
 */
import { z } from "zod";
import type { Identity, Logger } from "../core/index.js";
import type { SubjectDirectory } from "../incident/index.js";
import type { LoadedPolicy } from "../policy/index.js";
import type { Store } from "../store/index.js";
import { type ApiHandler, createApiHandler } from "./handler.js";
import { openApiDocument } from "./openapi.js";
import { defineRoute, type Route } from "./route.js";
import { activityRoutes } from "./routes/activity.js";
import { eventRoutes } from "./routes/events.js";
import { findingRoutes } from "./routes/findings.js";
import { incidentRoutes } from "./routes/incidents.js";
import { inventoryRoutes } from "./routes/inventory.js";
import { keyRoutes } from "./routes/keys.js";
import { policyRoutes } from "./routes/policy.js";
import { scanRoutes } from "./routes/scans.js";

export const API_PREFIX = "/api/v1";
export const OPENAPI_PATH = `${API_PREFIX}/openapi.json`;

export interface ApiOptions {
  store: Store;
  /** Resolves images, workloads and MCP servers for incident traces. */
  directory: SubjectDirectory;
  authenticate?: (authorization: string | undefined) => Promise<Identity>;
  /** The policy the gateways enforce now (for the policy and compliance views). */
  policy?: () => LoadedPolicy;
  version: string;
  logger?: Logger;
  now?: () => number;
}

export interface Api {
  routes: readonly Route[];
  handler: ApiHandler;
  document: Record<string, unknown>;
}

function whoami(): Route {
  return defineRoute({
    method: "GET",
    path: `${API_PREFIX}/whoami`,
    tag: "identity",
    summary: "The caller: identity and roles (what the dashboard may show)",
    response: z.object({
      id: z.string(),
      name: z.string(),
      kind: z.string(),
      roles: z.array(z.string()),
      admin: z.boolean(),
    }),
    roles: [],
    async handler({ caller, isAdmin }) {
      const who = caller ?? { id: "local", name: "local (no authentication)", kind: "anonymous", roles: ["admin"] };
      return { json: { id: who.id, name: who.name, kind: who.kind, roles: who.roles, admin: isAdmin } };
    },
  });
}

export function createApi(options: ApiOptions): Api {
  const { store } = options;
  const routes: Route[] = [
    ...activityRoutes(store),
    ...inventoryRoutes(store),
    ...findingRoutes(store, options.policy),
    ...scanRoutes(store),
    ...eventRoutes(store),
    ...incidentRoutes({ store, directory: options.directory }),
    ...keyRoutes(store),
    ...policyRoutes({ store, ...(options.policy ? { policy: options.policy } : {}) }),
    whoami(),
  ];
  let document: Record<string, unknown> = {};
  const describe = (all: readonly Route[]) =>
    openApiDocument(all, {
      title: "Palisade API",
      version: options.version,
      description:
        'Inventory, findings, scans, events, incidents and keys of a Palisade store. Errors are `{"error": {"code", "message"}}`; lists are cursor-paged (`nextCursor`).',
    });
  const openapi = defineRoute({
    method: "GET",
    path: OPENAPI_PATH,
    tag: "meta",
    summary: "This document",
    public: true,
    roles: [],
    async handler() {
      return { json: document };
    },
  });
  const all = [...routes, openapi];
  document = describe(all);
  return {
    routes: all,
    document,
    handler: createApiHandler({
      routes: all,
      audit: store,
      classify: (error) => store.classifyError(error),
      ...(options.authenticate ? { authenticate: options.authenticate } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.now ? { now: options.now } : {}),
    }),
  };
}
