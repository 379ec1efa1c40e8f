/**
 * The OpenAPI 3.1 document of a route table, generated from the zod schemas the server parses
 * requests with (zod's own JSON Schema output, draft 2020-12, which OpenAPI 3.1 uses as is).
 */
import { z } from "zod";
import { API_ERROR_CODES } from "./errors.js";
import type { Route } from "./route.js";

type JsonSchema = Record<string, unknown>;

const ErrorSchema = z.object({
  error: z.object({ code: z.enum(Object.keys(API_ERROR_CODES) as [string, ...string[]]), message: z.string() }),
});

function schemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** One OpenAPI parameter per property of an object schema (path or query). */
function parametersOf(schema: z.ZodType | undefined, where: "path" | "query"): JsonSchema[] {
  if (!schema) return [];
  const json = schemaOf(schema, "input");
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === "path" || required.has(name),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
}

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

export function openApiDocument(routes: readonly Route[], info: OpenApiInfo): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const content: Record<string, unknown> = {};
    if (route.response) content["application/json"] = { schema: schemaOf(route.response, "output") };
    if (route.textResponse) content[route.textResponse] = { schema: { type: "string" } };
    const writes = route.method !== "GET";
    const operation = {
      operationId: `${route.method.toLowerCase()}${route.path
        .replace(/^\/api\/v1/, "")
        .replace(/\{(\w+)\}/g, "By-$1")
        .split(/[/_-]/)
        .filter(Boolean)
        .map((w) => w[0]?.toUpperCase() + w.slice(1))
        .join("")}`,
      tags: [route.tag],
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      ...(route.roles.length > 0 ? { "x-palisade-roles": ["admin", ...route.roles] } : {}),
      parameters: [...parametersOf(route.params, "path"), ...parametersOf(route.query, "query")],
      ...(route.body
        ? {
            requestBody: { required: true, content: { "application/json": { schema: schemaOf(route.body, "input") } } },
          }
        : {}),
      responses: {
        200: { description: "OK", ...(Object.keys(content).length > 0 ? { content } : {}) },
        400: errorResponse("Bad request: the message names the field"),
        401: errorResponse("No valid credentials"),
        ...(route.roles.length > 0 ? { 403: errorResponse("The caller's roles do not allow this") } : {}),
        ...(route.params ? { 404: errorResponse("No such resource") } : {}),
        ...(writes && route.body ? { 413: errorResponse("Body too large") } : {}),
        503: errorResponse("The store is unavailable"),
      },
    };
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: "3.1.0",
    info,
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas: { Error: schemaOf(ErrorSchema, "output") },
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description:
            "A Palisade API key (`palisade keys create`) or an OIDC token; roles: admin, viewer, scans:write, incidents:write",
        },
      },
    },
  };
}
