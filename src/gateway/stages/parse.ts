/**
 * Parse stage: the body read under the size and time limits, checked against the endpoint's
 * shape (a 400 naming the field), the model required. Parsed once here; later stages trust it.
 */
import { GatewayError } from "../errors.js";
import { collectTexts } from "../fields.js";
import { type BodyTimeouts, readJson } from "../http.js";
import type { Json, RequestState } from "./state.js";

/** Roles whose text is the prompt proper (budgets estimate it, the audit excerpt shows it). */
const PROMPT_ROLES = new Set(["user", "system", "assistant", "tool-result", "unknown"]);

export async function parseRequest(
  state: RequestState,
  limits: { maxBodyBytes: number; timeouts?: BodyTimeouts; parseLarge?: (bytes: Uint8Array) => Promise<unknown> },
): Promise<Json> {
  const raw = await readJson(state.req, limits.maxBodyBytes, limits.timeouts, limits.parseLarge);
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    throw new GatewayError("invalid_request", "request body must be a JSON object");
  const parsed = state.endpoint.shape.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue?.path.map(String).join(".") || undefined;
    throw new GatewayError("invalid_request", `${param ? `${param}: ` : ""}${issue?.message ?? "invalid request"}`, {
      ...(param ? { param } : {}),
    });
  }
  const body = raw as Json;
  const model = body.model;
  if (typeof model !== "string" || model === "")
    throw new GatewayError("invalid_request", "model is required", { param: "model" });
  state.body = body;
  state.model = model;
  state.record.model = model;
  const slots = collectTexts(body, state.endpoint.fields.request);
  const parts = slots.filter((s) => PROMPT_ROLES.has(s.role) && !s.isKey).map((s) => s.text);
  state.tools = [...new Set(slots.filter((s) => s.role === "tool-name" && !s.isKey).map((s) => s.text))];
  state.prompt = { parts, length: parts.reduce((n, p) => n + p.length + 1, 0) };
  return body;
}
