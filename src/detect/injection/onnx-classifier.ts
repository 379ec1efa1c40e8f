/**
 * A local ONNX sequence classifier (a Hugging Face text classifier exported to ONNX, such as
 * Prompt Guard 2 or a deberta injection classifier) with its `tokenizer.json`, run in-process
 * with onnxruntime-node. The model, tokenizer and config are read once, on first use (or on
 * `load()`); nothing is downloaded. Long texts are scored in overlapping windows of the model's
 * length and the most suspicious window counts.
 *
 * onnxruntime-node runs a session synchronously on the calling thread (its `run` resolves from
 * a `setImmediate`), so the timeout cannot interrupt a window: it is raced against each window
 * and checked between windows, and one window can overrun it. Callers that must not hold an
 * event loop use the threaded classifier (onnx-thread.ts), which runs this in a thread of its own.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { PalisadeError } from "../../core/index.js";

/** Why the classifier could not load (the policy's files are wrong: `bad-config`)... */
const LOAD_FAILURE_LIST = [
  "missing-file",
  "invalid-model",
  "invalid-tokenizer",
  "invalid-config",
  "unknown-labels",
  "runtime-missing",
] as const;
/** ...or could not score a text it was given (`internal`). */
export const ONNX_CLASSIFIER_FAILURES = [...LOAD_FAILURE_LIST, "timeout", "busy", "run-failed"] as const;
export type OnnxClassifierFailure = (typeof ONNX_CLASSIFIER_FAILURES)[number];

const LOAD_FAILURES: ReadonlySet<OnnxClassifierFailure> = new Set(LOAD_FAILURE_LIST);

/** The classifier could not load (a `bad-config` naming the file) or could not score a text (`internal`). */
export class OnnxClassifierError extends PalisadeError {
  readonly reason: OnnxClassifierFailure;

  constructor(reason: OnnxClassifierFailure, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(LOAD_FAILURES.has(reason) ? "bad-config" : "internal", message, {
      ...(options.file ? { input: options.file } : {}),
      cause: options.cause,
    });
    this.reason = reason;
  }
}

/** What an ONNX session offers that the classifier uses (onnxruntime-node's InferenceSession). */
export interface ClassifierSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, ClassifierTensor>): Promise<Record<string, { data: unknown; dims: readonly number[] }>>;
}

/** An int64 tensor as handed to `ClassifierSession.run` (onnxruntime's Tensor). */
export type ClassifierTensor = object;

export interface OnnxClassifierOptions {
  /** The `.onnx` file. */
  model: string;
  /** The `tokenizer.json` file (WordPiece, BPE or Unigram, as Hugging Face tokenizers write it). */
  tokenizer: string;
  /** config.json with `id2label` (and `max_position_embeddings`); default: config.json next to the model, if any. */
  config?: string;
  /**
   * Output indexes whose probabilities add up to "attack". Default: from config.json's
   * `id2label` (INJECTION, JAILBREAK, MALICIOUS, UNSAFE ... against BENIGN, SAFE), else label 1
   * of a two-label model.
   */
  injectionLabels?: readonly number[];
  /** Tokens per window, special tokens included. Default 512, at most config.json's `max_position_embeddings`. */
  maxTokens?: number;
  /** Windows scored per text; a longer text is scored on its first windows only (`partial`). Default 8. */
  maxWindows?: number;
  /** Milliseconds for one text's inference (loading excluded). Default 1000. */
  timeoutMs?: number;
  /** onnxruntime intra-op threads per session. Default 1 (one session per thread that scans). */
  threads?: number;
  /** Opens the session; tests substitute one. Default: onnxruntime-node on the model file. */
  openSession?: (model: string, options: { threads: number }) => Promise<ClassifierSession>;
  /** After a failed load, its error is the answer for this long before loading is tried again. Default 30 s. */
  retryLoadAfterMs?: number;
  /** Builds an int64 tensor for `run`; pass with `openSession`. Default: onnxruntime-node's Tensor. */
  toTensor?: (data: BigInt64Array, dims: readonly number[]) => ClassifierTensor;
}

/** One text's score. */
export interface ClassifierScore {
  /** Probability in [0, 1] that the text is an attack (the most suspicious window's). */
  probability: number;
  /** Windows scored. */
  windows: number;
  /** Index of the window that scored highest. */
  window: number;
  /** True when the text was longer than the windows scored (only its beginning was seen). */
  partial: boolean;
}

/** A loaded (or lazily loading) classifier. */
export interface OnnxClassifier {
  /** The model file's name, for signals and logs. */
  readonly name: string;
  /** Load model, tokenizer and config now; rejects with an OnnxClassifierError. Idempotent. */
  load(): Promise<void>;
  /** Score one text; rejects with an OnnxClassifierError (load failure, timeout, run failure). */
  score(text: string): Promise<ClassifierScore>;
}

const DEFAULT_MAX_TOKENS = 512;
const DEFAULT_MAX_WINDOWS = 8;
const DEFAULT_TIMEOUT_MS = 1000;
const DEFAULT_RETRY_LOAD_AFTER_MS = 30_000;
/** Tokens two neighbouring windows share, so an instruction cut by a boundary is whole in one. */
const WINDOW_OVERLAP = 64;
/** Characters tokenized per window token at most; the rest of a longer text is left out (`partial`). */
const CHARS_PER_TOKEN = 8;
const MAX_TOKENIZER_BYTES = 128 * 1024 * 1024;
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

const ATTACK_LABEL = /inject|jailbreak|malicious|unsafe|attack|harmful/i;
const BENIGN_LABEL = /benign|safe|legit|clean/i;

interface Loaded {
  session: ClassifierSession;
  toTensor: (data: BigInt64Array, dims: readonly number[]) => ClassifierTensor;
  encode: (text: string) => number[];
  prefix: number[];
  suffix: number[];
  maxTokens: number;
  id2label: Record<string, string> | undefined;
  output: string;
  inputs: readonly string[];
}

/** A classifier over the given files; nothing is read until `load` or the first `score`. */
export function createOnnxClassifier(options: OnnxClassifierOptions): OnnxClassifier {
  const maxWindows = options.maxWindows ?? DEFAULT_MAX_WINDOWS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retryAfterMs = options.retryLoadAfterMs ?? DEFAULT_RETRY_LOAD_AFTER_MS;
  let loading: Promise<Loaded> | undefined;
  let failedAt = 0;
  let attack: number[] | undefined;

  // A failed load is answered from memory for a while, then tried again (the file may be fixed).
  const load = () => {
    if (loading && failedAt > 0 && Date.now() - failedAt >= retryAfterMs) {
      loading = undefined;
      failedAt = 0;
    }
    if (!loading) {
      loading = loadAll(options);
      loading.catch(() => {
        failedAt = Date.now();
      });
    }
    return loading;
  };

  return {
    name: basename(options.model),
    async load() {
      await load();
    },
    async score(text) {
      const loaded = await load();
      const windows = toWindows(loaded, text, maxWindows);
      const deadline = Date.now() + timeoutMs;
      let best = -1;
      let bestWindow = 0;
      for (let i = 0; i < windows.ids.length; i++) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw timeoutError(timeoutMs, i, windows.ids.length);
        const logits = await withTimeout(runWindow(loaded, windows.ids[i] as number[]), remaining, () =>
          timeoutError(timeoutMs, i, windows.ids.length),
        );
        attack ??= attackIndices(options, loaded.id2label, logits.length);
        const p = toAttackProbability(logits, attack);
        if (p > best) {
          best = p;
          bestWindow = i;
        }
      }
      return {
        probability: Math.max(0, best),
        windows: windows.ids.length,
        window: bestWindow,
        partial: windows.partial,
      };
    },
  };
}

function timeoutError(timeoutMs: number, window: number, windows: number): OnnxClassifierError {
  return new OnnxClassifierError(
    "timeout",
    `classifier timed out after ${timeoutMs} ms (window ${window + 1} of ${windows})`,
  );
}

async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

async function runWindow(loaded: Loaded, ids: number[]): Promise<number[]> {
  const dims = [1, ids.length];
  const feeds: Record<string, ClassifierTensor> = {};
  for (const name of loaded.inputs) {
    const data =
      name === "input_ids"
        ? BigInt64Array.from(ids, (id) => BigInt(id))
        : name === "attention_mask"
          ? new BigInt64Array(ids.length).fill(1n)
          : new BigInt64Array(ids.length);
    feeds[name] = loaded.toTensor(data, dims);
  }
  let outputs: Awaited<ReturnType<ClassifierSession["run"]>>;
  try {
    outputs = await loaded.session.run(feeds);
  } catch (cause) {
    throw new OnnxClassifierError("run-failed", `classifier failed to run: ${firstLine(cause)}`, { cause });
  }
  const out = outputs[loaded.output];
  const data = out?.data;
  if (!(data instanceof Float32Array || data instanceof Float64Array) || data.length === 0)
    throw new OnnxClassifierError("run-failed", `classifier output ${loaded.output} is not a float tensor`);
  return Array.from(data);
}

/** The token windows of a text: `prefix + body + suffix`, bodies overlapping by WINDOW_OVERLAP. */
function toWindows(loaded: Loaded, text: string, maxWindows: number): { ids: number[][]; partial: boolean } {
  const charLimit = maxWindows * loaded.maxTokens * CHARS_PER_TOKEN;
  let partial = text.length > charLimit;
  const body = loaded.encode(partial ? text.slice(0, charLimit) : text);
  const room = loaded.maxTokens - loaded.prefix.length - loaded.suffix.length;
  const step = Math.max(1, room - Math.min(WINDOW_OVERLAP, Math.floor(room / 4)));
  const ids: number[][] = [];
  for (let start = 0; ; start += step) {
    if (ids.length === maxWindows) {
      partial = true;
      break;
    }
    ids.push([...loaded.prefix, ...body.slice(start, start + room), ...loaded.suffix]);
    if (start + room >= body.length) break;
  }
  return { ids, partial };
}

/** Softmax (or a sigmoid for one logit), summed over the attack labels. */
export function toAttackProbability(logits: readonly number[], attack: readonly number[]): number {
  if (logits.length === 1) return 1 / (1 + Math.exp(-(logits[0] as number)));
  const max = Math.max(...logits);
  const exps = logits.map((x) => Math.exp(x - max));
  const total = exps.reduce((a, b) => a + b, 0);
  let p = 0;
  for (const i of attack) p += (exps[i] ?? 0) / total;
  return Math.min(1, Math.max(0, p));
}

/**
 * The output indexes that mean "attack": the policy's, else the labels of config.json that name
 * an attack (or all but the benign one), else index 1 of a two-label model.
 */
export function attackIndices(
  options: Pick<OnnxClassifierOptions, "injectionLabels" | "model">,
  id2label: Record<string, string> | undefined,
  classes: number,
): number[] {
  if (classes === 1) return [0];
  if (options.injectionLabels && options.injectionLabels.length > 0) {
    const wrong = options.injectionLabels.find((i) => i >= classes);
    if (wrong !== undefined)
      throw new OnnxClassifierError(
        "unknown-labels",
        `injection label ${wrong} is out of range: the model has ${classes} outputs`,
        { file: options.model },
      );
    return [...options.injectionLabels];
  }
  if (id2label) {
    const entries = Object.entries(id2label).map(([k, v]) => [Number(k), v] as const);
    const attacks = entries.filter(([, v]) => ATTACK_LABEL.test(v)).map(([k]) => k);
    if (attacks.length > 0) return attacks;
    const benign = entries.filter(([, v]) => BENIGN_LABEL.test(v)).map(([k]) => k);
    if (benign.length > 0) return entries.map(([k]) => k).filter((k) => !benign.includes(k) && k < classes);
  }
  if (classes === 2) return [1];
  throw new OnnxClassifierError(
    "unknown-labels",
    `cannot tell which of the model's ${classes} outputs means injection: set injection.classifier.injectionLabels`,
    { file: options.model },
  );
}

async function loadAll(options: OnnxClassifierOptions): Promise<Loaded> {
  for (const file of [options.model, options.tokenizer, ...(options.config ? [options.config] : [])]) {
    if (!isFile(file)) throw new OnnxClassifierError("missing-file", `classifier file not found: ${file}`, { file });
  }
  const configFile = options.config ?? join(dirname(options.model), "config.json");
  const config = isFile(configFile) ? readConfig(configFile) : undefined;
  const tokenizer = await readTokenizer(options.tokenizer);

  const threads = options.threads ?? 1;
  let session: ClassifierSession;
  let toTensor = options.toTensor;
  if (options.openSession) {
    session = await openWith(options.model, () =>
      (options.openSession as NonNullable<typeof options.openSession>)(options.model, { threads }),
    );
  } else {
    let ort: typeof import("onnxruntime-node");
    try {
      ort = await import("onnxruntime-node");
    } catch (cause) {
      throw new OnnxClassifierError("runtime-missing", `onnxruntime-node cannot be loaded: ${firstLine(cause)}`, {
        cause,
      });
    }
    session = await openWith(options.model, () =>
      ort.InferenceSession.create(options.model, { intraOpNumThreads: threads, interOpNumThreads: 1 }),
    );
    toTensor ??= (data, dims) => new ort.Tensor("int64", data, dims);
  }
  if (!toTensor) throw new OnnxClassifierError("invalid-config", "openSession was given without toTensor");

  const unknown = session.inputNames.filter((n) => !["input_ids", "attention_mask", "token_type_ids"].includes(n));
  if (!session.inputNames.includes("input_ids") || unknown.length > 0)
    throw new OnnxClassifierError(
      "invalid-model",
      `${options.model} is not a sequence classifier: inputs are ${session.inputNames.join(", ") || "none"} (expected input_ids, attention_mask, token_type_ids)`,
      { file: options.model },
    );
  const output = session.outputNames.includes("logits") ? "logits" : session.outputNames[0];
  if (!output)
    throw new OnnxClassifierError("invalid-model", `${options.model} has no outputs`, { file: options.model });

  const maxPositions = typeof config?.max_position_embeddings === "number" ? config.max_position_embeddings : undefined;
  const maxTokens = Math.min(options.maxTokens ?? DEFAULT_MAX_TOKENS, maxPositions ?? Number.POSITIVE_INFINITY);
  const { prefix, suffix } = specialTokens(tokenizer, options.tokenizer);
  if (maxTokens - prefix.length - suffix.length < 1)
    throw new OnnxClassifierError("invalid-config", `maxTokens ${maxTokens} leaves no room for text`, {
      file: options.tokenizer,
    });
  return {
    session,
    toTensor,
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    prefix,
    suffix,
    maxTokens,
    id2label: config?.id2label,
    output,
    inputs: session.inputNames,
  };
}

async function openWith(model: string, open: () => Promise<ClassifierSession>): Promise<ClassifierSession> {
  try {
    return await open();
  } catch (cause) {
    throw new OnnxClassifierError("invalid-model", `cannot load ONNX model ${model}: ${firstLine(cause)}`, {
      file: model,
      cause,
    });
  }
}

interface TokenizerLike {
  encode(text: string, options?: { add_special_tokens?: boolean }): { ids: number[] };
}

async function readTokenizer(file: string): Promise<TokenizerLike> {
  const json = readJsonFile(file, MAX_TOKENIZER_BYTES, "invalid-tokenizer");
  const configFile = join(dirname(file), "tokenizer_config.json");
  const tokenizerConfig = isFile(configFile) ? readJsonFile(configFile, MAX_CONFIG_BYTES, "invalid-tokenizer") : {};
  const { Tokenizer } = await import("@huggingface/tokenizers");
  try {
    const tokenizer = new Tokenizer(json as object, tokenizerConfig as object);
    tokenizer.encode("ok", { add_special_tokens: true });
    return tokenizer;
  } catch (cause) {
    throw new OnnxClassifierError("invalid-tokenizer", `cannot use tokenizer ${file}: ${firstLine(cause)}`, {
      file,
      cause,
    });
  }
}

/**
 * The special tokens the tokenizer's post-processor puts around one sequence (`[CLS] … [SEP]`,
 * `<s> … </s>`), found by encoding a probe with and without them, so each window gets them.
 */
function specialTokens(tokenizer: TokenizerLike, file: string): { prefix: number[]; suffix: number[] } {
  const probe = "hello";
  const bare = tokenizer.encode(probe, { add_special_tokens: false }).ids;
  const full = tokenizer.encode(probe, { add_special_tokens: true }).ids;
  for (let at = 0; at + bare.length <= full.length; at++) {
    if (bare.every((id, i) => full[at + i] === id))
      return { prefix: full.slice(0, at), suffix: full.slice(at + bare.length) };
  }
  throw new OnnxClassifierError("invalid-tokenizer", `cannot find where ${file} puts its special tokens`, { file });
}

interface ModelConfig {
  id2label?: Record<string, string>;
  max_position_embeddings?: number;
}

function readConfig(file: string): ModelConfig {
  const json = readJsonFile(file, MAX_CONFIG_BYTES, "invalid-config");
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new OnnxClassifierError("invalid-config", `${file} is not a JSON object`, { file });
  const { id2label, max_position_embeddings } = json as Record<string, unknown>;
  const config: ModelConfig = {};
  if (id2label !== undefined) {
    if (
      typeof id2label !== "object" ||
      id2label === null ||
      !Object.entries(id2label).every(([k, v]) => /^\d+$/.test(k) && typeof v === "string")
    )
      throw new OnnxClassifierError("invalid-config", `${file}: id2label must map indexes to label names`, { file });
    config.id2label = id2label as Record<string, string>;
  }
  if (typeof max_position_embeddings === "number" && Number.isInteger(max_position_embeddings))
    config.max_position_embeddings = max_position_embeddings;
  return config;
}

function readJsonFile(file: string, maxBytes: number, reason: OnnxClassifierFailure): unknown {
  const size = statSync(file).size;
  if (size > maxBytes) throw new OnnxClassifierError(reason, `${file} is larger than ${maxBytes} bytes`, { file });
  try {
    return JSON.parse(readFileSync(file, "utf8")) as unknown;
  } catch (cause) {
    throw new OnnxClassifierError(reason, `${file} is not valid JSON: ${firstLine(cause)}`, { file, cause });
  }
}

function isFile(file: string): boolean {
  try {
    return existsSync(file) && statSync(file).isFile();
  } catch {
    return false;
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split("\n", 1)[0] ?? message).slice(0, 300);
}
