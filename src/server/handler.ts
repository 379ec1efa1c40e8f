/**
 * The engine that runs a route table over node:http: match, authenticate, authorise, parse
 * parameters, query and body against the route's schemas, run the handler, answer. Every
 * failure has the API's error shape and a reason naming the field; nothing the client sent is
 * echoed. Every write (anything but GET) is audited in the store's event chain, refused or not.
 *
 * Written over node:http rather than a framework: the servers it is mounted on (sensor ingestion,
 * the gateway) are node:http already, and the parts a framework would add (routing by template,
 * validation, the OpenAPI document) are the ones that must come from this one table.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import { type Event, type Identity, isPalisadeError, type Logger, type PalisadeError } from "../core/index.js";
import { authFailure } from "../gateway/index.js";
import { ApiError } from "./errors.js";
import type { HttpMethod, Route, RouteReply } from "./route.js";

/** The kind of the audit event each write produces. */
export const API_WRITE_EVENT = "api.write";
const DEFAULT_MAX_BODY = 64 * 1024;
/** Bytes of an oversized body read and dropped after its 413, so the client sees the answer rather than a reset. */
const DRAIN_LIMIT = 1024 * 1024;

export interface ApiHandlerOptions {
  routes: readonly Route[];
  /** Resolves the caller from `Authorization`; absent: no authentication (loopback only, the CLI checks). */
  authenticate?: (authorization: string | undefined) => Promise<Identity>;
  /** Where write audit events go. */
  audit: { appendEvents(events: readonly Event[]): Promise<void> };
  logger?: Logger;
  now?: () => number;
  /** Names a driver error (a query a route ran on the store's database) as a store error. */
  classify?: (error: unknown) => PalisadeError | undefined;
}

/** Answers a request when its path is one of the routes' (true), or leaves it to the caller (false). */
export type ApiHandler = (req: IncomingMessage, res: ServerResponse, caller?: Identity) => Promise<boolean>;

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ApiError, headers: Record<string, string> = {}): void {
  send(res, error.status, { error: { code: error.code, message: error.message } }, headers);
}

function firstIssue(where: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue?.path.length ? issue.path.join(".") : where;
  return `${path}: ${issue?.message ?? "invalid"}`;
}

function parseWith<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.output<T> | undefined {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError("bad_request", firstIssue(where, parsed.error));
  return parsed.data;
}

async function readBody(req: IncomingMessage, max: number): Promise<unknown> {
  // Required, not guessed: a browser sends a JSON content type from another site only after a
  // CORS preflight this server never grants, so a web page cannot write through a local API.
  const type = req.headers["content-type"];
  if (type === undefined || !/^application\/json\b/i.test(type)) {
    req.resume();
    throw new ApiError("unsupported_media_type", "the body must be application/json (content-type: application/json)");
  }
  const declared = Number(req.headers["content-length"] ?? 0);
  // Far over: answer now and close, rather than read megabytes only to drop them.
  if (declared > max + DRAIN_LIMIT)
    throw new ApiError("too_large", `a body here is at most ${max} bytes`, { close: true });
  const chunks: Buffer[] = [];
  let size = 0;
  let over = declared > max;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) over = true;
    if (over) {
      if (size > max + DRAIN_LIMIT) req.destroy();
      continue;
    }
    chunks.push(chunk as Buffer);
  }
  if (over) throw new ApiError("too_large", `a body here is at most ${max} bytes`);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new ApiError("bad_request", "the body is not valid JSON");
  }
}

/** Host header names this machine's loopback: `localhost`, 127.x.y.z, `[::1]`, with any port. */
export function loopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.replace(/:\d+$/, "").toLowerCase();
  return name === "localhost" || name === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** A NUL is never meaningful in a path or a query, and the database would refuse it. */
function refuseNul(values: Record<string, string>, where: string): Record<string, string> {
  for (const [name, value] of Object.entries(values))
    if (value.includes("\u0000"))
      throw new ApiError("bad_request", `${name}: a NUL character is not allowed in the ${where}`);
  return values;
}

function decodeParams(route: Route, match: RegExpExecArray): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [i, name] of route.paramNames.entries()) {
    try {
      params[name] = decodeURIComponent(match[i + 1] ?? "");
    } catch {
      throw new ApiError("bad_request", `${name}: not a valid percent-encoded path segment`);
    }
  }
  return params;
}

function reply(res: ServerResponse, result: RouteReply): void {
  if ("text" in result) {
    res.writeHead(result.status ?? 200, {
      "content-type": result.contentType,
      "content-length": Buffer.byteLength(result.text),
      "cache-control": "no-store",
    });
    res.end(result.text);
  } else send(res, result.status ?? 200, result.json);
}

export function createApiHandler(options: ApiHandlerOptions): ApiHandler {
  const now = options.now ?? Date.now;
  const routes = options.routes;

  async function audit(req: IncomingMessage, route: Route, caller: Identity | undefined, status: number) {
    const event: Event = {
      id: `api:${randomUUID()}`,
      kind: API_WRITE_EVENT,
      time: now(),
      ...(caller ? { identity: caller.id } : {}),
      correlation: {},
      payload: {
        method: req.method ?? "",
        route: route.path,
        // The path with its parameters (ids), never the body.
        path: new URL(req.url ?? "/", "http://palisade.invalid").pathname.slice(0, 512),
        status,
        caller: caller ? { id: caller.id, name: caller.name, kind: caller.kind } : { id: "local" },
      },
    };
    try {
      await options.audit.appendEvents([event]);
    } catch (error) {
      options.logger?.error({ err: (error as Error).message, route: route.path }, "API write not audited");
    }
  }

  return async (req, res, given) => {
    const url = new URL(req.url ?? "/", "http://palisade.invalid");
    const method = (req.method ?? "GET").toUpperCase();
    const candidates = routes.flatMap((route) => {
      const match = route.pattern.exec(url.pathname);
      return match ? [{ route, match }] : [];
    });
    if (candidates.length === 0) return false;
    const found = candidates.find((c) => c.route.method === method || (method === "HEAD" && c.route.method === "GET"));
    if (!found) {
      const allowed = [...new Set(candidates.map((c) => c.route.method))].join(", ");
      req.resume();
      sendError(res, new ApiError("method_not_allowed", `${method} is not allowed here (${allowed})`), {
        allow: allowed,
      });
      return true;
    }
    const { route, match } = found;
    const writes = (route.method as HttpMethod) !== "GET";
    let caller = given;
    let status = 500;
    try {
      if (options.authenticate && !given && !route.public) {
        try {
          caller = await options.authenticate(req.headers.authorization);
        } catch (error) {
          req.resume();
          const failure = authFailure(error);
          if (failure.status === 503)
            sendError(res, new ApiError("unavailable", failure.message), { "retry-after": "5" });
          else
            sendError(res, new ApiError("unauthenticated", failure.message), {
              "www-authenticate": 'Bearer realm="palisade"',
            });
          return true;
        }
      }
      const authenticated = (options.authenticate !== undefined && !route.public) || given !== undefined;
      // Without credentials, only a request addressed to this machine by a loopback name is
      // served: a web page that rebinds its own host name to 127.0.0.1 reads nothing.
      if (!authenticated && !route.public && !loopbackHost(req.headers.host)) {
        req.resume();
        throw new ApiError(
          "forbidden",
          "without authentication this server answers only requests to a loopback host name",
        );
      }
      const isAdmin = !authenticated || (caller?.roles.includes("admin") ?? false);
      const roles = route.roles.length === 0 ? [] : [...new Set(["admin", ...route.roles])];
      if (authenticated && roles.length > 0 && !caller?.roles.some((r) => roles.includes(r))) {
        req.resume();
        throw new ApiError("forbidden", `${route.method} ${route.path} needs the role ${roles.join(" or ")}`);
      }
      const params = parseWith(route.params, refuseNul(decodeParams(route, match), "path"), "path");
      const query = parseWith(route.query, refuseNul(Object.fromEntries(url.searchParams), "query"), "query");
      const body = route.body
        ? parseWith(route.body, await readBody(req, route.maxBody ?? DEFAULT_MAX_BODY), "body")
        : undefined;
      if (!route.body) req.resume();
      const result = await route.handler({ params, query, body, caller, isAdmin, req, now: now() });
      status = result.status ?? 200;
      reply(res, result);
    } catch (error) {
      const known = isPalisadeError(error) ? error : options.classify?.(error);
      const apiError =
        error instanceof ApiError
          ? error
          : known && (known.code === "store-unavailable" || known.code === "store-locked")
            ? new ApiError("unavailable", "the store is unavailable; try again")
            : undefined;
      if (!apiError) options.logger?.error({ err: (error as Error).message, route: route.path }, "API route failed");
      const answer = apiError ?? new ApiError("internal", "internal error (see the server log)");
      status = answer.status;
      const headers: Record<string, string> = {
        ...(answer.status === 503 ? { "retry-after": "5" } : {}),
        ...(answer.close ? { connection: "close" } : {}),
      };
      if (!res.headersSent) sendError(res, answer, headers);
      else res.destroy();
    } finally {
      if (writes && status !== 401) await audit(req, route, caller, status);
    }
    return true;
  };
}
