/**
 * One normalised view of how many tokens a request may make the model produce, whatever names
 * the client used: OpenAI's `max_tokens` and `max_completion_tokens`, llama.cpp's `n_predict`,
 * Ollama's `options.num_predict`, times the number of answers (`n`, `best_of`). A role's cap
 * rewrites every alias, so no spelling gets around it; zero, negative and non-integer values
 * are refused rather than passed to servers that read them as "unlimited".
 */
import { GatewayError } from "./errors.js";

type Json = Record<string, unknown>;

/** Where the aliases live, per wire format. */
export type TokenFieldFamily = "openai" | "ollama" | "none";

interface Alias {
  /** Path of the field in the body. */
  path: readonly string[];
  /** Name shown in errors (`param`). */
  param: string;
}

const OUTPUT_ALIASES: Record<TokenFieldFamily, readonly Alias[]> = {
  openai: [
    { path: ["max_tokens"], param: "max_tokens" },
    { path: ["max_completion_tokens"], param: "max_completion_tokens" },
    { path: ["n_predict"], param: "n_predict" },
  ],
  ollama: [{ path: ["options", "num_predict"], param: "options.num_predict" }],
  none: [],
};

const CHOICE_ALIASES: Record<TokenFieldFamily, readonly Alias[]> = {
  openai: [
    { path: ["n"], param: "n" },
    { path: ["best_of"], param: "best_of" },
  ],
  ollama: [],
  none: [],
};

/** The field the cap is written to when the client set none. */
const PRIMARY: Record<TokenFieldFamily, Alias | undefined> = {
  openai: OUTPUT_ALIASES.openai[0],
  ollama: OUTPUT_ALIASES.ollama[0],
  none: undefined,
};

/** Upper bound on answers per request: more is a denial of service, not a use case. */
const MAX_CHOICES = 128;

export interface OutputBudget {
  /** The smallest output limit the client asked for (servers stop at the first one reached). */
  asked: number | undefined;
  /** Answers generated per request (`max(n, best_of)`, at least 1). */
  choices: number;
}

function read(body: Json, path: readonly string[]): unknown {
  let v: unknown = body;
  for (const step of path) v = v && typeof v === "object" && !Array.isArray(v) ? (v as Json)[step] : undefined;
  return v;
}

function positiveInteger(value: unknown, param: string, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max)
    throw new GatewayError("invalid_request", `${param} must be an integer from 1 to ${max}`, { param });
  return value;
}

/** Read (and validate) the output budget of a request body. */
export function outputBudget(body: Json, family: TokenFieldFamily): OutputBudget {
  let asked: number | undefined;
  for (const alias of OUTPUT_ALIASES[family]) {
    const v = positiveInteger(read(body, alias.path), alias.param, Number.MAX_SAFE_INTEGER);
    if (v !== undefined) asked = asked === undefined ? v : Math.min(asked, v);
  }
  let choices = 1;
  for (const alias of CHOICE_ALIASES[family]) {
    const v = positiveInteger(read(body, alias.path), alias.param, MAX_CHOICES);
    if (v !== undefined) choices = Math.max(choices, v);
  }
  return { asked, choices };
}

/**
 * The body with every output alias lowered to `cap` (those above it), and the primary one set
 * to `cap` when the client set none. Returns the body unchanged when nothing is above the cap.
 */
export function applyOutputCap(body: Json, family: TokenFieldFamily, cap: number): Json {
  let next = body;
  let present = false;
  for (const alias of OUTPUT_ALIASES[family]) {
    const v = read(body, alias.path);
    if (v === undefined || v === null) continue;
    present = true;
    if (typeof v === "number" && v > cap) next = write(next, alias.path, cap);
  }
  const primary = PRIMARY[family];
  if (!present && primary) next = write(next, primary.path, cap);
  return next;
}

function write(body: Json, path: readonly string[], value: number): Json {
  const [head, ...rest] = path;
  if (head === undefined) return body;
  if (rest.length === 0) return { ...body, [head]: value };
  const inner = body[head];
  return { ...body, [head]: write(inner && typeof inner === "object" ? (inner as Json) : {}, rest, value) };
}

/** Tokens to reserve against budgets: the prompt estimate plus the capped output of every answer. */
export function reservation(promptTokens: number, budget: OutputBudget, cap: number | undefined): number {
  const perChoice = cap === undefined ? (budget.asked ?? 0) : Math.min(budget.asked ?? cap, cap);
  return Math.max(1, promptTokens) + perChoice * budget.choices;
}
