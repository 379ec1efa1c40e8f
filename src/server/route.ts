/**
 * One API route as data: method, path template, the zod schemas of its parameters, query, body
 * and answer, who may call it, and its handler. The server parses every request against these
 * schemas before the handler runs, and the OpenAPI document is generated from the same table,
 * so the document cannot drift from what the code accepts.
 */
import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import type { Identity } from "../core/index.js";

export const HTTP_METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * Roles the API knows. `viewer` reads, `admin` does everything; narrower write roles let a CI job
 * upload scans (`scans:write`) or a responder change incidents (`incidents:write`) without more.
 */
export const API_ROLES = ["admin", "viewer", "scans:write", "incidents:write"] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** What the handler sees: everything already parsed against the route's schemas. */
export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Undefined when the server runs without authentication (loopback only). */
  caller: Identity | undefined;
  /** True when the caller holds `admin` (or the server runs without authentication). */
  isAdmin: boolean;
  req: IncomingMessage;
  now: number;
}

/** A JSON answer (validated against `response` in tests) or a text one (trace renderings). */
export type RouteReply = { status?: number; json: unknown } | { status?: number; text: string; contentType: string };

// biome-ignore lint/suspicious/noExplicitAny: the table holds routes of every schema type.
type AnySchema = z.ZodType<any, any>;

export interface RouteSpec<P extends AnySchema, Q extends AnySchema, B extends AnySchema> {
  method: HttpMethod;
  /** Path template with `{name}` parameters: `/api/v1/incidents/{id}`. */
  path: string;
  /** OpenAPI tag: the section of the document (and of the dashboard) the route belongs to. */
  tag: string;
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The 200 answer's schema; absent for text answers. */
  response?: AnySchema;
  /** Other content the 200 answer may have (`text/plain` renderings). */
  textResponse?: string;
  /** Largest body accepted, in bytes (default 64 KiB); larger ones are refused with 413 unread. */
  maxBody?: number;
  /** Answered without credentials (the OpenAPI document). */
  public?: boolean;
  /** Any of these roles may call it; `admin` always may. Empty: any authenticated caller. */
  roles: readonly ApiRole[];
  handler: (ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<RouteReply>;
}

export interface Route extends RouteSpec<AnySchema, AnySchema, AnySchema> {
  /** Matches the path; groups are the parameters in template order. */
  readonly pattern: RegExp;
  readonly paramNames: readonly string[];
}

/** Checks the template once and compiles its matcher; the types flow from the schemas to the handler. */
export function defineRoute<
  P extends AnySchema = z.ZodObject<Record<string, never>>,
  Q extends AnySchema = z.ZodObject<Record<string, never>>,
  B extends AnySchema = z.ZodUndefined,
>(spec: RouteSpec<P, Q, B>): Route {
  const paramNames: string[] = [];
  const source = spec.path.replace(/[.*+?^$()|[\]\\]|\{([a-z][a-zA-Z0-9]*)\}/g, (match, name: string | undefined) => {
    if (name === undefined) return `\\${match}`;
    paramNames.push(name);
    return "([^/]+)";
  });
  if (/[{}]/.test(source)) throw new Error(`route ${spec.path}: malformed parameter`);
  return {
    ...(spec as unknown as RouteSpec<AnySchema, AnySchema, AnySchema>),
    pattern: new RegExp(`^${source}$`),
    paramNames,
  };
}
