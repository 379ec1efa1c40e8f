/**
 * Language-neutral facts read from a tree-sitter syntax tree: imports with their local
 * bindings, calls with their arguments, string literals with the name that gives them meaning
 * (keyword argument, property, variable, callee), and assignments per function scope.
 * One walker covers Python, JavaScript/TypeScript/TSX, Go and Java; node types differ by name.
 */
import type { Language, Node, Tree } from "web-tree-sitter";
import type { SourceLanguage } from "../walk.js";
import { literalValue } from "./literal-value.js";

export interface ImportFact {
  /** Module candidates, most specific first: `google.genai`, `langchain_openai.ChatOpenAI`. */
  modules: string[];
  /**
   * Local names the import binds, each to the module it stands for; `imported` is the name the
   * module exports when the import renames it (`import { McpServer as LegacyMcpServer }`).
   */
  bindings: { name: string; module: string; imported?: string }[];
  line: number;
}

export interface ArgValue {
  /** Literal string value, when the argument is a plain string. */
  string?: string;
  /** `true`/`false` literal, when the argument is one. */
  bool?: boolean;
  text: string;
}

export interface CallFact {
  /** Callee with argument lists removed: `client.chat.completions.create`, `new OpenAI`. */
  callee: string;
  line: number;
  positional: ArgValue[];
  /** Keyword arguments (Python), properties of an object-literal argument (JS/TS). */
  named: Map<string, ArgValue>;
  /** Variable the call's result is assigned to, if directly assigned. */
  assignedTo?: string;
  /** Function scope the call is in (0 = module level). */
  scope: number;
  /** Full text of the argument list, bounded. */
  argText: string;
  /** For a decorator call (`@mcp.tool()`), the name of the function it decorates. */
  decorates?: string;
}

export interface StringFact {
  value: string;
  line: number;
  /** The name that says what the string is: `model`, `OPENAI_MODEL`, `from_pretrained`. */
  context?: string;
  /** Id of the list literal the string is an element of, shared by its siblings. */
  group?: number;
  /** Name the list literal itself has (`MODELS = [...]`, `openrouter: [...]`), for its elements. */
  groupContext?: string;
  /** The group is the keys of one table (`costs = {"gpt-4o": 0.01, "o3-mini": 0.001}`), not a list. */
  keyGroup?: boolean;
  /**
   * The model type a Go constant is declared with (`EmbeddingModelX = "gte-large"`): an id by its
   * type when another constant of the same type is a known id.
   */
  modelType?: string;
}

/** Text that may hold code (a comment, a docstring), read for embedded model ids. */
export interface TextFact {
  value: string;
  line: number;
  comment: boolean;
  /**
   * The key of a UI text about a model (`pullModelPlaceholder: 'Model tag (e.g. llama3.1)'`), which
   * names the ids of its prose.
   */
  context?: string;
  /** The end of the comment on the line before, when this comment continues it (`// (e.g.,` / `// "x")`). */
  lead?: string;
}

/** A string literal (plain or interpolated) that names an AI API endpoint. */
export interface UrlFact {
  text: string;
  line: number;
}

export interface AssignFact {
  target: string;
  valueText: string;
  line: number;
  scope: number;
}

/** A class and the classes it extends (`class QdrantMCPServer(FastMCP)`), with its line span. */
export interface ClassFact {
  name: string;
  bases: string[];
  line: number;
  endLine: number;
}

export interface FileFacts {
  classes?: ClassFact[];
  /**
   * String constants named as a name whose value no model id could be (`MCP_SERVER_NAME = "Sentry MCP"`):
   * `[constant, value]`, for server names looked up by constant.
   */
  names?: [string, string][];
  imports: ImportFact[];
  calls: CallFact[];
  strings: StringFact[];
  assigns: AssignFact[];
  texts: TextFact[];
  urls: UrlFact[];
  /** MCP server tables an MCP client is built with in code (MCP_CLIENT_TABLE), as data. */
  mcpTables?: { servers: Record<string, unknown>; line: number }[];
}

/**
 * Strings kept as facts: the shape any model id has (no spaces, a letter, at most 200 chars).
 * Prose, SQL and messages are dropped before their context is looked up, which is the costly part.
 */
const MODEL_SHAPE = /^(?=[^A-Za-z]*[A-Za-z])[\w.:/@+-]{2,200}$/;
const MAX_ARG_TEXT = 2000;
/**
 * Texts worth reading for embedded ids: a model-ish word (for code, flags and known ids written
 * in help texts and docstrings) or an Ollama command (`"  ollama pull qwen3\n"` in a message).
 */
const EMBEDDED_WORD = /model|pretrained|checkpoint|engine|deploy|llm|ollama /i;
/** A server construction in text: an MCP server script kept in a string (`FastMCP("Echo Server")`). */
const SERVER_IN_TEXT = /\b(?:FastMCP|McpServer|MCPServer)\(/;
const MAX_TEXT = 100_000;
/** Strings that may name an AI endpoint: a URL or a bare `host:port`. */
const URL_HINT = /\/\/|:11434/;
const COMMENT_TYPES = new Set(["comment", "line_comment", "block_comment"]);
/**
 * Comments worth reading for embedded ids: quotes or flags (`# model = "x"`, `# --model x`), an
 * Ollama command (`#!ollama pull x`), or a shell assignment (`#model_id=org/x`, a line of a `%%bash` cell).
 */
const COMMENT_HINT = /["'`]|--|ollama |^[#/\s]*(?:export\s+)?[A-Za-z_]\w*=\S/;
/** List literals whose string elements are siblings (a list of models is all models). */
/**
 * The block of named constants a string is the whole value of: a Go `const (...)` or `var (...)`
 * declaration (const_spec → expression_list → string) or a TypeScript enum body. Its id, or undefined.
 */
function constantBlockOf(node: Node): number | undefined {
  const parent = node.parent;
  if (!parent) return undefined;
  if (parent.type === "enum_assignment") return parent.parent?.type === "enum_body" ? parent.parent.id : undefined;
  if (parent.type !== "expression_list" || parent.namedChildCount !== 1) return undefined;
  const spec = parent.parent;
  if (spec?.type !== "const_spec" && spec?.type !== "var_spec") return undefined;
  const declaration = spec.parent;
  return declaration && (declaration.type === "const_declaration" || declaration.type === "var_declaration")
    ? declaration.id
    : undefined;
}

/** A Go type that names model ids (`type EmbeddingModelJina string`, `ChatModel`, `ModelName`). */
const MODEL_TYPE = /^(?:[A-Z][a-z0-9]*)*(?:Model|LLM)(?:[A-Z][A-Za-z0-9]*)?$/;

/**
 * The model type a Go constant is declared with (`EmbeddingModelMixedbreadGTELarge
 * EmbeddingModelMixedbread = "gte-large"`): every constant of that type is a model id, as the
 * elements of a list named models are, when one of them is a known id (analyze.ts, `knownModelTypes`).
 * Undefined for an untyped constant or another type.
 */
function modelTypeOf(node: Node): string | undefined {
  const spec = node.parent?.parent;
  if (spec?.type !== "const_spec" && spec?.type !== "var_spec") return undefined;
  const type = spec.childForFieldName("type");
  if (type?.type !== "type_identifier" || type.text.length > 80) return undefined;
  return MODEL_TYPE.test(type.text) ? type.text : undefined;
}

/**
 * The field path of a string in nested Go composite literals, `Server.Name` for
 * `Config{Server: ServerConfig{Name: "x"}}`: two or three keys, the last one a name. Undefined otherwise.
 */
function goFieldPath(node: Node): string | undefined {
  const keys: string[] = [];
  let element: Node | null = node.parent;
  for (let depth = 0; depth < 3 && element?.type === "literal_element"; depth++) {
    const keyed = element.parent;
    if (keyed?.type !== "keyed_element") break;
    const key = keyed.namedChildren[0];
    if (!key || key.id === element.id || !/^[A-Za-z_]\w{0,60}$/.test(key.text)) break;
    keys.unshift(key.text);
    // keyed_element < literal_value < composite_literal < literal_element (the outer field's value).
    element = keyed.parent?.parent?.parent ?? null;
  }
  return keys.length >= 2 && /name$/i.test(keys[keys.length - 1] ?? "") ? keys.join(".") : undefined;
}

/** A constant (or a constant's attribute) written in capitals, which holds an environment variable's name. */
const ENV_NAME_REF = /^(?:[A-Za-z_][\w]{0,60}\.)?[A-Z][A-Z0-9_]{2,80}$/;

const LIST_TYPES = new Set(["list", "tuple", "set", "array", "array_initializer", "element_value_array_initializer"]);
const MAX_NODES = 400_000;

const FUNCTION_TYPES = new Set([
  "function_definition",
  "lambda",
  "function_declaration",
  "function_expression",
  "arrow_function",
  "method_definition",
  "generator_function_declaration",
  "method_declaration",
  "func_literal",
  "constructor_declaration",
  "lambda_expression",
]);

/** String literals; JavaScript's template strings too (`\`gpt-4o\``, or a JSON document kept in one). */
const STRING_TYPES = new Set([
  "string",
  "interpreted_string_literal",
  "raw_string_literal",
  "string_literal",
  "template_string",
]);
const FRAGMENT_TYPES = new Set([
  "string_content",
  "string_fragment",
  "multiline_string_fragment",
  "interpreted_string_literal_content",
]);

/** The value of a plain string literal node; undefined when it interpolates. */
export function stringValue(node: Node): string | undefined {
  if (!STRING_TYPES.has(node.type)) return undefined;
  if (node.type === "raw_string_literal") return node.text.slice(1, -1);
  let value = "";
  for (const child of node.namedChildren) {
    if (FRAGMENT_TYPES.has(child.type)) value += child.text;
    else if (child.type === "escape_sequence") value += child.text;
    else if (child.type === "string_start" || child.type === "string_end") continue;
    else return undefined;
  }
  return value;
}

/** Callee text without argument lists or whitespace: `a.b(x).c` → `a.b.c`. */
export function normalizeCallee(text: string): string {
  let out = "";
  let depth = 0;
  for (const ch of text.length > 500 ? text.slice(0, 500) : text) {
    if (ch === "(" || ch === "[" || ch === "<") depth += 1;
    else if (ch === ")" || ch === "]" || ch === ">") depth = Math.max(0, depth - 1);
    else if (depth === 0 && !/\s/.test(ch)) out += ch;
  }
  return out.replace(/\?\./g, ".").replace(/!\./g, ".").replace(/::/g, ".");
}

function toArg(node: Node): ArgValue {
  const s = stringValue(node);
  const text = node.text.length > MAX_ARG_TEXT ? node.text.slice(0, MAX_ARG_TEXT) : node.text;
  if (s !== undefined) return { string: s, text };
  if (node.type === "true" || node.text === "True") return { bool: true, text };
  if (node.type === "false" || node.text === "False") return { bool: false, text };
  return { text };
}

/**
 * MCP clients built from a table of servers written like a config file's `mcpServers`: LangChain's
 * `MultiServerMCPClient({"math": {"command": "python", ...}})` (langchain-mcp-adapters, Python and
 * JavaScript; the JavaScript one also takes `{ mcpServers: {...} }`).
 */
const MCP_CLIENT_TABLE = "MultiServerMCPClient";
/** The client's constructor, bare, imported under a module (`langchain_mcp_adapters.client.X`) or `new`. */
const MCP_CLIENT_CALLEE = /^(?:new )?(?:[\w$]+\.)*MultiServerMCPClient$/;

/** The server table of an MCP client's arguments: the first table, or `connections=`. */
function mcpClientTable(args: Node[]): Record<string, unknown> | undefined {
  for (const arg of args) {
    const named = arg.type === "keyword_argument" ? arg.childForFieldName("name")?.text : undefined;
    if (arg.type === "keyword_argument" && named !== "connections") continue;
    const node = named ? arg.childForFieldName("value") : arg;
    const value = node ? literalValue(node, stringValue) : undefined;
    if (value === null || typeof value !== "object" || Array.isArray(value)) continue;
    const table = value as Record<string, unknown>;
    const inner = table.mcpServers;
    return inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? (inner as Record<string, unknown>)
      : table;
  }
  return undefined;
}

/** Last segment of a dotted name. */
function tail(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? name : name.slice(dot + 1);
}

/** Go's package name guessed from an import path: `github.com/sashabaranov/go-openai` → `openai`. */
export function goPackageName(path: string): string {
  const parts = path.split("/");
  let last = parts[parts.length - 1] ?? path;
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2] ?? last;
  return last
    .replace(/^go-/, "")
    .replace(/(-sdk)?-go$/, "")
    .replace(/[-.]/g, "");
}

function lineOf(node: Node): number {
  return node.startPosition.row + 1;
}

/** The call a node stands for, with its callee and argument nodes, if it is one. */
function asCall(node: Node): { callee: string; args: Node[] } | undefined {
  switch (node.type) {
    case "call":
    case "call_expression": {
      const fn = node.childForFieldName("function");
      const args = node.childForFieldName("arguments");
      if (!fn) return undefined;
      return { callee: normalizeCallee(fn.text), args: args ? args.namedChildren : [] };
    }
    case "new_expression": {
      const ctor = node.childForFieldName("constructor");
      const args = node.childForFieldName("arguments");
      if (!ctor) return undefined;
      return { callee: `new ${normalizeCallee(ctor.text)}`, args: args ? args.namedChildren : [] };
    }
    case "object_creation_expression": {
      const type = node.childForFieldName("type");
      const args = node.childForFieldName("arguments");
      if (!type) return undefined;
      return { callee: `new ${normalizeCallee(type.text)}`, args: args ? args.namedChildren : [] };
    }
    case "method_invocation": {
      const name = node.childForFieldName("name");
      const object = node.childForFieldName("object");
      const args = node.childForFieldName("arguments");
      if (!name) return undefined;
      const callee = object ? `${normalizeCallee(object.text)}.${name.text}` : name.text;
      return { callee, args: args ? args.namedChildren : [] };
    }
    default:
      return undefined;
  }
}

/** Name on the left of an assignment-like node whose value is `value`. */
function assignedName(parent: Node, value: Node): string | undefined {
  switch (parent.type) {
    case "assignment":
    case "assignment_expression":
    case "augmented_assignment": {
      const right = parent.childForFieldName("right");
      if (right && right.id !== value.id) return undefined;
      return parent.childForFieldName("left")?.text;
    }
    case "variable_declarator": {
      const v = parent.childForFieldName("value");
      if (v && v.id !== value.id) return undefined;
      return parent.childForFieldName("name")?.text;
    }
    case "expression_list": {
      const decl = parent.parent;
      // Go `a, b := x, y`; Python `a, b = x, y`.
      if (
        decl &&
        (decl.type === "short_var_declaration" || decl.type === "assignment_statement" || decl.type === "assignment")
      ) {
        const index = parent.namedChildren.findIndex((c) => c.id === value.id);
        return decl.childForFieldName("left")?.namedChildren[index]?.text;
      }
      return undefined;
    }
    case "var_spec":
    case "const_spec":
      return parent.childForFieldName("name")?.text;
    // TypeScript `enum Models { GPT_4O = "gpt-4o" }`: a member is named like a constant.
    case "enum_assignment": {
      const v = parent.childForFieldName("value");
      if (v && v.id !== value.id) return undefined;
      return parent.childForFieldName("name")?.text;
    }
    case "pair":
    case "keyed_element": {
      // A struct or object field: `{client: openai.NewClient(key)}` binds the field `.client`.
      const key = parent.type === "pair" ? parent.childForFieldName("key") : parent.namedChildren[0];
      if (!key || key.id === value.id || !/^[A-Za-z_$][\w$]*$/.test(key.text)) return undefined;
      return `.${key.text}`;
    }
    default:
      return undefined;
  }
}

/** Nodes that only wrap a value, looked through when finding what names it. */
const PASS_THROUGH = new Set([
  "parenthesized_expression",
  "boolean_operator",
  "binary_expression",
  "conditional_expression",
  "ternary_expression",
  "await",
  "await_expression",
  "as_expression",
  "satisfies_expression",
  "type_assertion",
  "non_null_expression",
  "literal_element",
  "expression_list",
  "list",
  "array",
  "tuple",
  "array_initializer",
]);

/** Methods that compare their receiver with the argument. */
const COMPARISONS = new Set([
  "includes",
  "startsWith",
  "endsWith",
  "startswith",
  "endswith",
  "equals",
  "equalsIgnoreCase",
  "contains",
]);

/** String options of Go's `flag` package and of spf13/pflag (cobra's `cmd.Flags()`). */
const GO_FLAG = /^(?:String|StringVar|StringP|StringVarP)$/;
const GO_FLAG_OWNER = /(?:^|\.)(?:flag|pflag|Flags|PersistentFlags)(?:\(\))?\.\w+$/;

/** Go's standard comparison functions, `strings.HasPrefix(model, "gpt-5")`: the first operand names the second. */
const GO_COMPARISONS = /^(?:strings|bytes)\.(?:Contains|HasPrefix|HasSuffix|EqualFold)$/;

const PROMPT_HUB = /(^|\.)hub\.pull$|(^|\.)pull_prompt$|(^|\.)pullPrompt$/;

const ENV_READERS =
  /(^|\.)(getenv|get|Getenv|LookupEnv|getProperty|environ\.get|setdefault|env|get_?env_?(?:var|variable)?|getEnv(?:Var|Variable)?)$/;

/**
 * What a `default=` names: the option of an argparse / click / typer declaration
 * (`add_argument("-m", "--model-id", default="o3-mini")` → `model-id`, its longest flag), or the
 * field a dataclass / pydantic `field(default=...)` is assigned to (`model_name: str = field(...)`).
 */
function defaultOwner(keyword: Node): string | undefined {
  const call = keyword.parent?.parent;
  const info = call ? asCall(call) : undefined;
  if (!call || !info) return undefined;
  let flag: string | undefined;
  for (const arg of info.args) {
    const value = stringValue(arg);
    if (value === undefined || !/^-{1,2}[A-Za-z][\w-]*$/.test(value)) continue;
    if (!flag || value.length > flag.length) flag = value;
  }
  const owner = flag ? flag.replace(/^-+/, "") : call.parent ? assignedName(call.parent, call) : undefined;
  // Only a name that says model or dataset is taken: `repo_id` or `output` may hold either.
  return owner && OWNER_NAME.test(owner) ? owner : undefined;
}

/** Option and field names that say what their default is. */
const OWNER_NAME = /model|llm|checkpoint|pretrained|engine|dataset/i;

/** Constructors and calls named after a model (`EmbeddingModelConfig`, `LLMSpec`, `ModelInfo`). */
const MODEL_OWNER = /model|llm|embedder/i;

/**
 * `EmbeddingModelConfig(name="mxbai-embed-large")`: a `name` or `id` given to a call named after a
 * model is named by the call (`EmbeddingModelConfig.name`). `node` is the keyword argument, or the
 * object literal passed as an argument.
 */
function modelOwned(node: Node, key: string): string | undefined {
  const list = node.parent;
  if (!list || (list.type !== "argument_list" && list.type !== "arguments")) return undefined;
  const call = list.parent ? asCall(list.parent) : undefined;
  const callee = call ? tail(call.callee.replace(/^new /, "")) : undefined;
  return callee && MODEL_OWNER.test(callee) ? `${callee}.${key}` : undefined;
}

/** A UI text's key about a model: a placeholder, hint, example or help (`pullModelPlaceholder`, `modelHint`). */
const MODEL_HINT_KEY = /^(?=.*model)(?=.*(?:placeholder|hint|example|tooltip|help)).{1,80}$/i;
const MAX_HINT = 300;

/** The key of an object entry or assignment holding a short prose string, when it is a model hint's. */
function modelHintKey(node: Node): string | undefined {
  const parent = node.parent;
  if (!parent) return undefined;
  const key =
    parent.type === "pair"
      ? parent.childForFieldName("key")
      : parent.type === "variable_declarator"
        ? parent.childForFieldName("name")
        : undefined;
  if (!key || key.id === node.id) return undefined;
  const name = stringValue(key) ?? key.text;
  return MODEL_HINT_KEY.test(name) ? name : undefined;
}

/**
 * `{"Model": InputConfig(type="dropdown", value="embedding-query", values=[...])}` (Verba's
 * component settings): the value and choices of a setting call kept under a key that says model
 * are named by that key.
 */
function settingKeyedByModel(argument: Node): string | undefined {
  const call = argument.parent?.parent;
  const pair = call?.parent;
  if (call?.type !== "call" || pair?.type !== "pair") return undefined;
  const key = pair.childForFieldName("key");
  if (!key || key.id === call.id) return undefined;
  const name = stringValue(key) ?? key.text;
  return MODEL_OWNER.test(name) ? name : undefined;
}

/** Operators that compare two values whole (a substring test such as `"gpt" in name` is not one). */
const EQUALITY = new Set(["==", "===", "!=", "!==", "in", "not in"]);

/**
 * The variable a value is compared with: `model == "x"` (either side), `model in ("x", "y")` (the
 * value inside the container on the right). `""` when the node is a comparison that names
 * nothing, undefined when it is no comparison (`"a" + b`).
 */
function comparedName(comparison: Node, value: Node): string | undefined {
  const operator =
    comparison.childForFieldName("operator")?.type ??
    comparison.children
      .filter((c) => !c.isNamed)
      .map((c) => c.type)
      .join(" ");
  if (!EQUALITY.has(operator)) return undefined;
  const operands = comparison.namedChildren;
  if (operands.length !== 2) return "";
  const [left, right] = operands as [Node, Node];
  if ((operator === "in" || operator === "not in") && right.id !== value.id) return "";
  const other = left.id === value.id ? right : left;
  if (!/^[A-Za-z_$][\w$.]{0,100}$/.test(other.text)) return "";
  // `engine_name == "assistants"`: a deployment or engine name is free-form, so a test of one picks a mode.
  const name = tail(other.text);
  return /deploy|engine/i.test(name) ? "" : name;
}

/**
 * `{"model_configuration": {"name": "x"}}`, `llm: { id: "x" }`: the `name` or `id` of an object
 * that is the value of a key saying model is named by that key (`model_configuration.name`). A
 * deployment's name stays a name.
 */
function modelKeyed(object: Node, key: string): string | undefined {
  const pair = object.parent;
  if (pair?.type !== "pair" || pair.childForFieldName("value")?.id !== object.id) return undefined;
  const keyNode = pair.childForFieldName("key");
  const owner = keyNode ? (stringValue(keyNode) ?? keyNode.text) : undefined;
  return owner && MODEL_OWNER.test(owner) && !/deploy/i.test(owner) ? `${owner}.${key}` : undefined;
}

/**
 * `snapshot_download(repo_id="org/x", repo_type="dataset")`: the Hugging Face hub calls name what
 * a repository is; a dataset's or a Space's id is named so, never a model.
 */
function repoTypeContext(args: Node): string | undefined {
  // Hugging Face Kernel Hub loaders (`load_kernel(module="moe", repo_id="kernels-community/moe")`,
  // `get_kernel("kernels-community/activation")`, https://huggingface.co/docs/kernels): compute
  // kernels kept in hub repositories, not models.
  const call = args.parent ? asCall(args.parent) : undefined;
  if (call && KERNEL_LOADER.test(tail(call.callee))) return "kernel_repo";
  for (const arg of args.namedChildren) {
    if (arg.type !== "keyword_argument" || arg.childForFieldName("name")?.text !== "repo_type") continue;
    const value = arg.childForFieldName("value");
    const kind = value ? stringValue(value) : undefined;
    return kind === "dataset" || kind === "space" ? `${kind}_repo` : undefined;
  }
  return undefined;
}

/** Calls that load a compute kernel from the Hugging Face Kernel Hub. */
const KERNEL_LOADER = /^(?:load|get|get_locked|load_locked)_kernel$/;

/** `Literal`, `typing.Literal`, `typing_extensions.Literal`: a type whose values are listed. */
const LITERAL_TYPE = /^(?:typing(?:_extensions)?\.)?Literal$/;

/** The name a switch statement tests (`cfg.ModelName` → `ModelName`), when it is a plain name. */
function switchSubject(statement: Node | null | undefined): string | undefined {
  if (statement?.type !== "expression_switch_statement" && statement?.type !== "switch_statement") return undefined;
  const text = statement.childForFieldName("value")?.text.replace(/^\(\s*|\s*\)$/g, "");
  return text && /^[A-Za-z_$][\w$.]{0,100}$/.test(text) ? tail(text) : undefined;
}

/** Typing generics a Literal is wrapped in without changing what its values name. */
const TYPE_WRAPPERS = new Set(["Literal", "Union", "Optional", "Required", "NotRequired", "Annotated", "ReadOnly"]);

/** The outermost typing generic around a `type_parameter`, climbing only TYPE_WRAPPERS (bounded by the tree's depth). */
function typeWrapperTop(parameter: Node): Node | undefined {
  let top: Node | undefined;
  let at: Node | null = parameter;
  while (at?.type === "type_parameter") {
    const generic: Node | null = at.parent;
    const head = generic?.namedChildren[0]?.text.replace(/^(?:typing(?:_extensions)?\.)/, "");
    // The values themselves are a Literal's (`Optional["Config"]` is a forward reference).
    if (generic?.type !== "generic_type" || !head || !(top ? TYPE_WRAPPERS.has(head) : head === "Literal")) break;
    top = generic;
    // `Union[str, Literal[...]]`: the generic sits in a `type` of the next parameter list up.
    const wrapper: Node | null = generic.parent;
    at = wrapper?.type === "type" ? wrapper.parent : null;
  }
  return top;
}

/** The name that gives a string its meaning, climbing at most a few wrapper nodes. */
function contextOf(node: Node): string | undefined {
  let current = node;
  for (let depth = 0; depth < 6; depth++) {
    const parent = current.parent;
    if (!parent) return undefined;
    switch (parent.type) {
      case "list":
      case "array": {
        // An argv list: `["--model_name_or_path", "org/name"]` names the value by its flag.
        const prev = current.previousNamedSibling;
        const flag = prev ? stringValue(prev) : undefined;
        if (flag?.startsWith("-")) return flag.replace(/^-+/, "").split("=")[0];
        current = parent;
        break;
      }
      case "keyword_argument": {
        const name = parent.childForFieldName("name")?.text;
        const repoType = parent.parent ? repoTypeContext(parent.parent) : undefined;
        if (repoType) return repoType;
        if (name === "default") return defaultOwner(parent) ?? name;
        // `ModelFactory.create(model_type="mistral-large")` (CAMEL): a call's `model_type=` names the
        // model it builds, where an attribute or a comparison (`config.model_type == "phi3"`) holds
        // a transformers architecture name.
        if (name === "model_type") return "model";
        if (name === "value" || name === "values") return settingKeyedByModel(parent) ?? name;
        return name === "name" || name === "id" ? (modelOwned(parent, name) ?? name) : name;
      }
      case "pair": {
        const key = parent.childForFieldName("key");
        if (!key || key.id === current.id) return undefined;
        const name = stringValue(key) ?? key.text;
        const record = recordListOwner(parent, name);
        if (record) return record;
        // `new LlmConfig({ name: "x" })`: the object is the call's argument; `"model_configuration":
        // {"name": "x"}`: the object is the value of a key that says model.
        const object = parent.parent;
        return (name === "name" || name === "id") && (object?.type === "object" || object?.type === "dictionary")
          ? (modelOwned(object, name) ?? modelKeyed(object, name) ?? name)
          : name;
      }
      case "keyed_element": {
        const first = parent.namedChildren[0];
        if (!first || first.id === current.id) return undefined;
        return first.text;
      }
      // `MODEL_COSTS["gpt-4"]`, `models["llama-2-70b-chat"]`: a key looked up in a table is named by the table.
      case "subscript":
      case "subscript_expression":
      case "index_expression": {
        const container =
          parent.childForFieldName("value") ??
          parent.childForFieldName("object") ??
          parent.childForFieldName("operand");
        if (!container || container.id === current.id || !/^[A-Za-z_$][\w$.]{0,100}$/.test(container.text))
          return undefined;
        // `KnownModelName = Literal["a", "b"]`: a Literal type written as a value is named by what holds it.
        if (LITERAL_TYPE.test(container.text)) {
          current = parent;
          break;
        }
        return container.text;
      }
      // `model_name == "o3-mini"`, Go `chat.model == "gemma-3-27b-it"`, `model in ("o1", "o3")`:
      // a value compared with a variable is named by it.
      case "comparison_operator":
      case "binary_expression": {
        const compared = comparedName(parent, current);
        if (compared !== undefined) return compared || undefined;
        if (!PASS_THROUGH.has(parent.type)) return undefined;
        current = parent;
        break;
      }
      // `for model_id in ("o1", "o1-2024-12-17"):`, `for (const model of ["a", "b"])`: the loop variable names the values.
      case "for_statement":
      case "for_in_statement": {
        if (parent.childForFieldName("right")?.id !== current.id) return undefined;
        const left = parent.childForFieldName("left");
        return left && /^[A-Za-z_$][\w$]*$/.test(left.text) ? left.text : undefined;
      }
      // `model_id: Literal["music_v1", "music_v2"]`: the values a type admits are named by what it annotates.
      case "type": {
        const owner = parent.parent;
        if (owner?.type === "type_parameter") {
          current = parent;
          break;
        }
        if (owner?.type === "typed_parameter" || owner?.type === "typed_default_parameter")
          return (owner.childForFieldName("name") ?? owner.namedChildren.find((c) => c.type === "identifier"))?.text;
        if (owner?.type === "assignment" && owner.childForFieldName("type")?.id === parent.id)
          return owner.childForFieldName("left")?.text;
        return undefined;
      }
      // TypeScript `type GroqLLMID = | "llama3-8b-8192" | "gemma-7b-it"`: the members of a union of
      // string literals are named by the type alias that holds them.
      case "literal_type": {
        let up = parent.parent;
        while (up?.type === "union_type" || up?.type === "parenthesized_type") up = up.parent;
        return up?.type === "type_alias_declaration" ? up.childForFieldName("name")?.text : undefined;
      }
      // `model: Required[Union[str, Literal["a", "b"]]]` (a generated SDK's TypedDict): the typing
      // wrappers around a Literal are climbed in one step, whatever their depth.
      case "type_parameter": {
        const generic = typeWrapperTop(parent);
        if (!generic) return undefined;
        current = generic;
        break;
      }
      // Go `switch cfg.ModelName { case "llama3-gradient": }`, JavaScript `switch (model) { case "o1": }`:
      // a case's value is named by what the switch tests.
      case "expression_case":
        return parent.childForFieldName("value")?.id === current.id ? switchSubject(parent.parent) : undefined;
      case "switch_case":
        return parent.childForFieldName("value")?.id === current.id ? switchSubject(parent.parent?.parent) : undefined;
      // `function getRecommendedModel() { ... return "deepseek-v4-flash"; }`: named by the function.
      case "return_statement":
        return modelGetter(enclosingFunctionName(parent));
      case "arrow_function":
        return parent.childForFieldName("body")?.id === current.id ? modelGetter(functionName(parent)) : undefined;
      case "default_parameter":
      case "typed_default_parameter":
        return parent.childForFieldName("name")?.text;
      // TypeScript `(model: string = "x")` and JavaScript `({ model = "x" })` / `(model = "x")` defaults.
      case "required_parameter":
      case "optional_parameter":
        return parent.childForFieldName("value")?.id === current.id
          ? parent.childForFieldName("pattern")?.text
          : undefined;
      case "assignment_pattern":
      case "object_assignment_pattern":
        return parent.childForFieldName("right")?.id === current.id
          ? parent.childForFieldName("left")?.text
          : undefined;
      case "argument_list":
      case "arguments": {
        const call = parent.parent;
        const info = call ? asCall(call) : undefined;
        if (!info) return undefined;
        const first = info.args[0];
        const envName = first ? stringValue(first) : undefined;
        if (ENV_READERS.test(info.callee) && envName && first?.id !== current.id) return envName;
        // `os.getenv(DEFAULT_MODEL_ENV_NAME, "gpt-5")`: a default named by the constant holding the variable's name.
        if (ENV_READERS.test(info.callee) && first && first.id !== current.id && ENV_NAME_REF.test(first.text))
          return first.text.slice(first.text.lastIndexOf(".") + 1);
        const repoType = repoTypeContext(parent);
        if (repoType) return repoType;
        const name = tail(info.callee);
        // `pytest.param("org/name", id=...)` is named by the parametrize around it.
        if (name === "param" && call) {
          current = call;
          break;
        }
        // `@pytest.mark.parametrize("model_id", [...])`: the argument names name the values;
        // `TypeAliasType("KnownModelName", Literal[...])` (PEP 695's backport) names its type.
        if ((name === "parametrize" || name === "TypeAliasType") && envName && first?.id !== current.id) return envName;
        if (name === "from_pretrained" && /Tokeni[sz]er/.test(info.callee)) return "tokenizer";
        // LangChain Hub / LangSmith prompts (`hub.pull("rlm/rag-prompt")`) are prompts, not models.
        if (PROMPT_HUB.test(info.callee)) return "prompt";
        // `modelName.includes("o1-mini")`: a value compared with a variable is named by it. A bare
        // family in a substring test (`includes("o1")`) is a prefix, not an id.
        if (COMPARISONS.has(name) && info.callee.includes(".")) {
          const full = /^equals/.test(name) || /[-:]/.test(stringValue(current) ?? "");
          return full ? tail(info.callee.slice(0, -name.length - 1)) : undefined;
        }
        // Go's flag and pflag packages: `flag.String("model", "o1-preview", usage)`,
        // `cmd.Flags().StringVarP(&m, "model", "m", "gpt-4o", usage)`: the default is named by the flag.
        if (GO_FLAG.test(name) && GO_FLAG_OWNER.test(info.callee)) {
          const nameAt = name.startsWith("StringVar") ? 1 : 0;
          const flag = info.args[nameAt];
          const flagName = flag ? stringValue(flag) : undefined;
          if (info.args[nameAt + (name.endsWith("P") ? 2 : 1)]?.id === current.id && flagName) return flagName;
        }
        // Go's comparisons are functions of both operands: `strings.Contains(modelLower, "o1-mini")`.
        const compared = info.args[0];
        if (GO_COMPARISONS.test(info.callee) && compared && info.args[1]?.id === current.id) {
          const full = name === "EqualFold" || /[-:]/.test(stringValue(current) ?? "");
          return full && /^[\w.]+$/.test(compared.text) ? tail(compared.text) : undefined;
        }
        return name;
      }
      default: {
        // Go's `case "a", "b":` lists its values.
        if (parent.type === "expression_list" && parent.parent?.type === "expression_case") {
          current = parent;
          break;
        }
        const name = assignedName(parent, current);
        if (name) return name;
        if (!PASS_THROUGH.has(parent.type)) return undefined;
        current = parent;
      }
    }
  }
  return undefined;
}

function importFacts(node: Node, language: SourceLanguage): ImportFact | undefined {
  const line = lineOf(node);
  switch (node.type) {
    case "import_statement": {
      if (language === "python") {
        const bindings: ImportFact["bindings"] = [];
        for (const child of node.namedChildren) {
          if (child.type === "dotted_name")
            bindings.push({ name: child.text.split(".")[0] ?? child.text, module: child.text });
          else if (child.type === "aliased_import") {
            const name = child.childForFieldName("name")?.text;
            const alias = child.childForFieldName("alias")?.text;
            if (name && alias) bindings.push({ name: alias, module: name });
          }
        }
        return { modules: bindings.map((b) => b.module), bindings, line };
      }
      const source = node.childForFieldName("source");
      const module = source ? stringValue(source) : undefined;
      if (!module) return undefined;
      const bindings: ImportFact["bindings"] = [];
      for (const clause of node.namedChildren.filter((c) => c.type === "import_clause")) {
        for (const part of clause.namedChildren) {
          if (part.type === "identifier") bindings.push({ name: part.text, module });
          else if (part.type === "namespace_import") {
            const id = part.namedChildren.find((c) => c.type === "identifier");
            if (id) bindings.push({ name: id.text, module });
          } else if (part.type === "named_imports") {
            for (const spec of part.namedChildren) {
              if (spec.type !== "import_specifier") continue;
              const alias = spec.childForFieldName("alias");
              const imported = spec.childForFieldName("name");
              const local = alias ?? imported;
              if (local)
                bindings.push({ name: local.text, module, ...(alias && imported ? { imported: imported.text } : {}) });
            }
          }
        }
      }
      return { modules: [module], bindings, line };
    }
    case "import_from_statement": {
      const moduleNode = node.childForFieldName("module_name");
      if (!moduleNode || moduleNode.type === "relative_import") return undefined;
      const module = moduleNode.text;
      const bindings: ImportFact["bindings"] = [];
      for (const child of node.childrenForFieldName("name")) {
        if (child.type === "dotted_name") bindings.push({ name: child.text, module: `${module}.${child.text}` });
        else if (child.type === "aliased_import") {
          const name = child.childForFieldName("name")?.text;
          const alias = child.childForFieldName("alias")?.text;
          if (name && alias) bindings.push({ name: alias, module: `${module}.${name}` });
        }
      }
      if (bindings.length === 0) bindings.push({ name: "*", module });
      return { modules: [module, ...bindings.map((b) => b.module)], bindings, line };
    }
    case "import_spec": {
      const pathNode = node.childForFieldName("path");
      const path = pathNode ? stringValue(pathNode) : undefined;
      if (!path) return undefined;
      const alias = node.childForFieldName("name")?.text;
      const name = alias && alias !== "_" && alias !== "." ? alias : goPackageName(path);
      return { modules: [path], bindings: [{ name, module: path }], line };
    }
    case "import_declaration": {
      if (language !== "java") return undefined;
      const target = node.namedChildren.find((c) => c.type === "scoped_identifier" || c.type === "identifier");
      if (!target) return undefined;
      const module = target.text;
      const wildcard = node.namedChildren.some((c) => c.type === "asterisk");
      return { modules: [module], bindings: wildcard ? [] : [{ name: tail(module), module }], line };
    }
    default:
      return undefined;
  }
}

/**
 * `import type { X } from 'ollama/browser'`, `export * from "x"`, Go's `import "a/b"`,
 * `require("x")` / `import("x")`: a module path, never a model id (`ollama/browser` reads like a
 * routed `ollama/<model>` id otherwise).
 */
function isModuleSpecifier(node: Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === "import_statement" || parent.type === "export_statement" || parent.type === "import_spec")
    return true;
  if (parent.type !== "arguments" || parent.namedChildren[0]?.id !== node.id) return false;
  const call = parent.parent;
  if (call?.type !== "call_expression") return false;
  const callee = call.childForFieldName("function");
  return callee?.type === "import" || (callee?.type === "identifier" && callee.text === "require");
}

/** `require("x")` / `import("x")` assigned to a name or destructured. */
function requireFact(node: Node, call: { callee: string; args: Node[] }): ImportFact | undefined {
  if (call.callee !== "require" && call.callee !== "import") return undefined;
  const first = call.args[0];
  const module = first ? stringValue(first) : undefined;
  if (!module) return undefined;
  const bindings: ImportFact["bindings"] = [];
  let holder = node.parent;
  if (holder?.type === "await_expression") holder = holder.parent;
  if (holder?.type === "member_expression") {
    const name = holder.parent?.type === "variable_declarator" ? holder.parent.childForFieldName("name") : null;
    if (name) bindings.push({ name: name.text, module });
  } else if (holder?.type === "variable_declarator") {
    const name = holder.childForFieldName("name");
    if (name?.type === "identifier") bindings.push({ name: name.text, module });
    else if (name?.type === "object_pattern") {
      for (const p of name.namedChildren) {
        const local = p.type === "pair_pattern" ? p.childForFieldName("value") : p;
        if (local) bindings.push({ name: local.text, module });
      }
    }
  }
  return { modules: [module], bindings, line: lineOf(node) };
}

/** Parameter names of a function definition, `self`/`cls` left out (a method is called on its receiver). */
function parameterNames(node: Node): string[] {
  const list = node.childForFieldName("parameters") ?? node.childForFieldName("parameter");
  if (!list) return [];
  if (list.type === "identifier") return [list.text];
  const names: string[] = [];
  for (const p of list.namedChildren) {
    if (p.type === "comment") continue;
    if (p.type === "identifier") {
      names.push(p.text);
      continue;
    }
    // Go `a, b string` declares two.
    const goNames = p.type === "parameter_declaration" ? p.childrenForFieldName("name") : [];
    if (goNames.length > 0) {
      for (const n of goNames) names.push(n.text);
      continue;
    }
    const name =
      p.childForFieldName("name") ??
      p.childForFieldName("pattern") ??
      p.childForFieldName("left") ??
      p.namedChildren.find((c) => c.type === "identifier");
    names.push(name && /^[A-Za-z_$][\w$]*$/.test(name.text) ? name.text : "");
  }
  if (names[0] === "self" || names[0] === "cls") names.shift();
  return names;
}

/**
 * Functions that answer with a model: a getter or a default by its name (`getRecommendedModel`,
 * `default_model_name`, `pick_llm`). Spring's `addPaginationModel` returning a view name is not one.
 */
const MODEL_GETTER =
  /^_?(get|default|recommended|fallback|pick|choose|select|resolve|preferred)_?\w*(model|llm)(_?(name|id))?$/i;

function modelGetter(name: string | undefined): string | undefined {
  return name && MODEL_GETTER.test(name) ? name : undefined;
}

/** The name of the function a statement is in (a few levels up at most), if it has one. */
function enclosingFunctionName(node: Node): string | undefined {
  let current: Node | null = node.parent;
  for (let depth = 0; current && depth < 12; depth++, current = current.parent)
    if (FUNCTION_TYPES.has(current.type)) return functionName(current);
  return undefined;
}

/** The class a constructor (`__init__`, `constructor`) is defined in. */
function enclosingClassName(node: Node): string | undefined {
  let current: Node | null = node.parent;
  for (let depth = 0; current && depth < 4; depth++, current = current.parent)
    if (CLASS_TYPES.has(current.type)) return current.childForFieldName("name")?.text;
  return undefined;
}

/**
 * The constructor parameters of a local class, its own or the nearest base's that has one
 * (`class Chat(_Shared, KeyModel)` takes `_Shared.__init__`), a few bases deep at most.
 */
function constructorOf(
  name: string,
  constructors: ReadonlyMap<string, string[]>,
  classes: readonly ClassFact[] | undefined,
  depth = 0,
): string[] | undefined {
  const own = constructors.get(name);
  if (own || depth >= 4 || !classes) return own;
  const cls = classes.find((c) => c.name === name);
  for (const base of cls?.bases ?? []) {
    const inherited = constructorOf(tail(base), constructors, classes, depth + 1);
    if (inherited) return inherited;
  }
  return undefined;
}

/** The name a function definition is called by: its own, or the variable holding a lambda. */
function functionName(node: Node): string | undefined {
  const own = node.childForFieldName("name");
  if (own) return own.text;
  const parent = node.parent;
  return parent?.type === "variable_declarator" ? parent.childForFieldName("name")?.text : undefined;
}

/**
 * The names a list literal has, outermost first: `MODEL_LIST = { openrouter: [...] }` gives
 * `MODEL_LIST.openrouter`, so the list is known as a list of models by the table holding it.
 */
function listContext(list: Node): string | undefined {
  const inner = contextOf(list);
  const pair = list.parent;
  let named = inner;
  if (pair && (pair.type === "pair" || pair.type === "keyed_element")) {
    const table = pair.parent;
    const outer = table ? contextOf(table) : undefined;
    named = outer && inner ? `${outer}.${inner}` : (inner ?? outer);
  }
  if (named && MODEL_WORD.test(named)) return named;
  // `_GLM_MODELS = {"quick": [("GLM-5 - Flagship", "glm-5"), ...]}`: a list nested in a table named
  // after models is known by that table, however deep (`_GLM_MODELS.quick`).
  const enclosing = enclosingModelTable(list);
  return enclosing ? (named ? `${enclosing}.${named}` : enclosing) : named;
}

const MODEL_WORD = /model|llm/i;
/** Tables of settings, whose nested lists are values of a setting, not models (`model_kwargs = {"stop": [...]}`). */
const SETTINGS_NAME = /(kwargs|args|params|settings|headers|aliases)$/i;
/** Literal containers looked through when climbing from a nested list to the table holding it. */
const CONTAINER_TYPES = new Set([...LIST_TYPES, "dictionary", "object", "pair", "keyed_element", "literal_value"]);

/**
 * The nearest name after models (`MODEL_OPTIONS`, `_GLM_MODELS`, `models:`) that a literal is nested
 * in, through literal containers only (a few levels: lists, tuples, tables and their keys).
 */
function enclosingModelTable(node: Node): string | undefined {
  let current = node;
  for (let depth = 0; depth < 8; depth++) {
    const parent = current.parent;
    if (!parent) return undefined;
    if (parent.type === "pair" || parent.type === "keyed_element") {
      const key = parent.type === "pair" ? parent.childForFieldName("key") : parent.namedChildren[0];
      const name = key && key.id !== current.id ? (stringValue(key) ?? key.text) : undefined;
      if (name && SETTINGS_NAME.test(name)) return undefined;
      if (name && MODEL_WORD.test(name)) return name;
    } else if (!CONTAINER_TYPES.has(parent.type)) {
      const name = assignedName(parent, current);
      return name && MODEL_WORD.test(name) && !SETTINGS_NAME.test(name) ? name : undefined;
    }
    current = parent;
  }
  return undefined;
}

/**
 * Names of tables keyed by model id (`MODEL_IDS = {"vicuna-13b": 0}`, `MODEL_PRICES`,
 * `modelLimits`, `SUPPORTED_MODELS`): a name that says model, ending in a plural or a table word.
 * Keyword tables (`model_kwargs`, `llm_params`) hold settings, not models.
 */
const MODEL_TABLE_NAME = /(model|llm)\w*(s|map|table|list|info|registry|catalog|lookup|dict)$/i;
const SETTINGS_TABLE_NAME = /(kwargs|args|params|options|settings|headers|aliases)$/i;

/**
 * The table a string is the key of: its node id, and its name when the table is keyed by model id.
 * A key whose value is a list names a group (`{"openai": ["gpt-4o"]}`), not a model.
 */
function tableOfKey(pair: Node, key: Node): { id: number; name?: string } | undefined {
  if (pair.type !== "pair" || pair.childForFieldName("key")?.id !== key.id) return undefined;
  const value = pair.childForFieldName("value");
  if (!value || LIST_TYPES.has(value.type)) return undefined;
  const table = pair.parent;
  if (!table || (table.type !== "dictionary" && table.type !== "object")) return undefined;
  const name = contextOf(table);
  // Any other table's keys are siblings too (`costs = {"gpt-4o": 0.01, "o3-mini": ...}`), unnamed.
  if (!name || !MODEL_TABLE_NAME.test(name) || SETTINGS_TABLE_NAME.test(name)) return { id: table.id };
  return { id: table.id, name };
}

/** Fields that identify a record of a list (`{ key: "o3-mini", name: "o3 Mini" }`); a display `name` is not one. */
const RECORD_ID_KEYS = /^(key|id|value|slug)$/;

/**
 * `defaultChatModels = [{ name: "GPT-4o", key: "gpt-4o" }]`: the identifying field of a record in a
 * list of models is named by the list.
 */
function recordListOwner(pair: Node, key: string): string | undefined {
  if (!RECORD_ID_KEYS.test(key)) return undefined;
  const record = pair.parent;
  if (!record || (record.type !== "object" && record.type !== "dictionary")) return undefined;
  const list = record.parent;
  if (!list || !LIST_TYPES.has(list.type)) return undefined;
  const owner = contextOf(list);
  return owner && MODEL_TABLE_NAME.test(owner) && !SETTINGS_TABLE_NAME.test(owner) ? owner : undefined;
}

/** Which positional argument of which call a string literal is, when it is one directly. */
function argumentPosition(node: Node): { callee: string; index: number } | undefined {
  const list = node.parent;
  if (!list || (list.type !== "argument_list" && list.type !== "arguments")) return undefined;
  const call = list.parent ? asCall(list.parent) : undefined;
  if (!call) return undefined;
  let index = 0;
  for (const arg of call.args) {
    if (arg.id === node.id) return { callee: tail(call.callee.replace(/^new /, "")), index };
    if (arg.type !== "keyword_argument" && arg.type !== "comment") index += 1;
  }
  return undefined;
}

/** A class definition with the names of its bases: Python `class A(B, m.C)`, JS/TS `class A extends B`. */
function classFact(node: Node): ClassFact | undefined {
  const name = node.childForFieldName("name")?.text;
  if (!name) return undefined;
  const bases: string[] = [];
  const supers = node.childForFieldName("superclasses");
  if (supers)
    for (const b of supers.namedChildren) if (b.type !== "keyword_argument") bases.push(normalizeCallee(b.text));
  for (const child of node.namedChildren)
    if (child.type === "class_heritage")
      for (const clause of child.namedChildren) {
        const value = clause.type === "extends_clause" ? clause.childForFieldName("value") : undefined;
        if (value) bases.push(normalizeCallee(value.text));
        // JavaScript's grammar puts the expression right under class_heritage.
        else if (clause.type === "identifier" || clause.type === "member_expression") bases.push(clause.text);
      }
  if (bases.length === 0) return undefined;
  return { name, bases, line: lineOf(node), endLine: node.endPosition.row + 1 };
}

const CLASS_TYPES = new Set(["class_definition", "class_declaration"]);

/** Node types the walker materialises; everything else is stepped over with the cursor only. */
const INTERESTING = new Set([
  ...FUNCTION_TYPES,
  ...CLASS_TYPES,
  "import_statement",
  "import_from_statement",
  "import_spec",
  "import_declaration",
  "call",
  "call_expression",
  "new_expression",
  "object_creation_expression",
  "method_invocation",
  "assignment",
  "assignment_expression",
  "short_var_declaration",
  "assignment_statement",
  "variable_declarator",
  "decorator",
  "concatenated_string",
  ...COMMENT_TYPES,
  ...STRING_TYPES,
]);

function callFact(node: Node, call: { callee: string; args: Node[] }, scope: number): CallFact {
  const named = new Map<string, ArgValue>();
  const positional: ArgValue[] = [];
  for (const arg of call.args) {
    if (arg.type === "keyword_argument") {
      const name = arg.childForFieldName("name")?.text;
      const value = arg.childForFieldName("value");
      if (name && value) named.set(name, toArg(value));
    } else if (arg.type === "object") {
      for (const pair of arg.namedChildren) {
        if (pair.type === "pair") {
          const key = pair.childForFieldName("key");
          const value = pair.childForFieldName("value");
          if (key && value) named.set(stringValue(key) ?? key.text, toArg(value));
        } else if (pair.type === "shorthand_property_identifier") named.set(pair.text, { text: pair.text });
      }
      positional.push(toArg(arg));
    } else if (arg.type !== "comment") positional.push(toArg(arg));
  }
  let child: Node = node;
  let holder = node.parent;
  while (
    holder &&
    (holder.type === "await" || holder.type === "await_expression" || holder.type === "literal_element")
  ) {
    child = holder;
    holder = holder.parent;
  }
  const argsNode = node.childForFieldName("arguments");
  const argText = argsNode ? argsNode.text.slice(0, MAX_ARG_TEXT) : "";
  const fact: CallFact = { callee: call.callee, line: lineOf(node), positional, named, scope, argText };
  const target = holder ? assignedName(holder, child) : undefined;
  if (target) fact.assignedTo = target;
  if (node.parent?.type === "decorator") {
    const definition = node.parent.parent?.childForFieldName("definition");
    const name = definition?.childForFieldName("name")?.text;
    if (name) fact.decorates = name;
  }
  return fact;
}

/** Node-type ids of a grammar, so the walk compares numbers instead of reading type names. */
interface TypeIds {
  interesting: Uint8Array;
  function: Uint8Array;
  string: Uint8Array;
}

const typeIdCache = new WeakMap<Language, TypeIds>();

function typeIds(language: Language): TypeIds {
  const cached = typeIdCache.get(language);
  if (cached) return cached;
  const count = language.nodeTypeCount;
  const ids: TypeIds = {
    interesting: new Uint8Array(count),
    function: new Uint8Array(count),
    string: new Uint8Array(count),
  };
  for (let id = 0; id < count; id++) {
    const name = language.nodeTypeForId(id);
    if (!name) continue;
    if (INTERESTING.has(name)) ids.interesting[id] = 1;
    if (FUNCTION_TYPES.has(name)) ids.function[id] = 1;
    if (STRING_TYPES.has(name)) ids.string[id] = 1;
  }
  typeIdCache.set(language, ids);
  return ids;
}

/**
 * Walk a tree once and collect its facts. A TreeCursor steps over the many uninteresting nodes
 * without allocating them; the walk is iterative, so deep nesting cannot overflow the stack.
 */
export function extractFacts(tree: Tree, language: SourceLanguage): FileFacts {
  const facts: FileFacts = { imports: [], calls: [], strings: [], assigns: [], texts: [], urls: [] };
  /** The last comment met and the row it ends on, for a comment that continues it on the next line. */
  let previousComment: { row: number; tail: string } | undefined;
  /** Local functions by name, with their parameter names, to name positional arguments. */
  const functions = new Map<string, string[]>();
  /** Local classes by name, with their constructor's parameter names. */
  const constructors = new Map<string, string[]>();
  const positional: { fact: StringFact; callee: string; index: number }[] = [];
  /** The names of list literals, by node id (computed once per list). */
  const listNames = new Map<number, string | undefined>();
  /**
   * `"Set FAST_LLM = '<llm_provider>:<llm_model>' " "Eg 'openai:gpt-4o-mini'"`: the pieces of an
   * implicitly concatenated string are one text, read when one of them says model (up to this offset).
   */
  let concatenationSaysModelUntil = -1;
  let nextScope = 1;
  const scopes: number[] = [0];
  const ids = typeIds(tree.language);
  const cursor = tree.walk();
  let visited = 0;
  try {
    while (visited++ < MAX_NODES) {
      const id = cursor.nodeTypeId;
      const type = ids.interesting[id] === 1 ? cursor.nodeType : "";
      let scope = scopes[scopes.length - 1] ?? 0;
      if (ids.function[id] === 1) scope = nextScope++;
      const isString = ids.string[id] === 1;
      if (ids.interesting[id] === 1 && cursor.nodeIsNamed) {
        const node = cursor.currentNode;
        if (ids.function[id] === 1) {
          const name = functionName(node);
          if (name && !functions.has(name)) functions.set(name, parameterNames(node));
          // `Responses("o3")` with `class Responses: def __init__(self, model_id, ...)`: a class is called by its constructor's parameters.
          const cls = name === "__init__" || name === "constructor" ? enclosingClassName(node) : undefined;
          if (cls && !constructors.has(cls)) constructors.set(cls, parameterNames(node));
        }
        const imported = importFacts(node, language);
        if (imported) facts.imports.push(imported);
        if (CLASS_TYPES.has(type)) {
          const cls = classFact(node);
          if (cls) {
            facts.classes ??= [];
            facts.classes.push(cls);
          }
        }
        if (type === "concatenated_string") {
          const text = node.text;
          if (text.length <= MAX_TEXT && EMBEDDED_WORD.test(text)) concatenationSaysModelUntil = node.endIndex;
        }
        if (type === "decorator") {
          // `@app.tool` without parentheses: a use of the decorator, recorded like a call.
          const target = node.namedChildren[0];
          const name = node.parent?.childForFieldName("definition")?.childForFieldName("name")?.text;
          if (target && target.type !== "call")
            facts.calls.push({
              callee: normalizeCallee(target.text),
              line: lineOf(node),
              positional: [],
              named: new Map(),
              scope,
              argText: "",
              ...(name ? { decorates: name } : {}),
            });
        }
        const call = asCall(node);
        if (call) {
          const req = requireFact(node, call);
          if (req) facts.imports.push(req);
          facts.calls.push(callFact(node, call, scope));
          if (call.callee.endsWith(MCP_CLIENT_TABLE) && MCP_CLIENT_CALLEE.test(call.callee)) {
            const table = mcpClientTable(call.args);
            if (table) {
              facts.mcpTables ??= [];
              facts.mcpTables.push({ servers: table, line: lineOf(node) });
            }
          }
        }
        if (isString) {
          const literal = stringValue(node);
          // `"text-embedding-ada-002\n"` (an expected CLI output) is the id all the same.
          const value = literal?.replace(/(?:\\[nrt])+$/, "").trim();
          if (value !== undefined && MODEL_SHAPE.test(value) && !isModuleSpecifier(node)) {
            const parent = node.parent;
            const keyOf = parent?.type === "pair" ? tableOfKey(parent, node) : undefined;
            const table = keyOf?.name !== undefined ? { id: keyOf.id, name: keyOf.name } : undefined;
            const context = table?.name ?? contextOf(node);
            const keyTable = table ? undefined : keyOf?.id;
            // `const ( GPT4o = "gpt-4o"; O1 = "o1" )` (Go), `enum Model { A = "a" }` (TypeScript):
            // the constants of one block, a group counted like a table's keys (mostly known ids).
            const block = table || keyTable !== undefined ? undefined : constantBlockOf(node);
            const modelType = block !== undefined ? modelTypeOf(node) : undefined;
            const group = table
              ? table.id
              : parent && LIST_TYPES.has(parent.type)
                ? parent.id
                : keyTable !== undefined
                  ? keyTable
                  : block;
            let groupContext = table ? table.name : modelType;
            if (!table && !modelType && parent && group !== undefined && keyTable === undefined) {
              // Every element of a list has the same list name: looked up once per list.
              if (!listNames.has(parent.id)) listNames.set(parent.id, listContext(parent));
              groupContext = listNames.get(parent.id);
            }
            const fact: StringFact = {
              value,
              line: lineOf(node),
              ...(context ? { context } : {}),
              ...(group !== undefined ? { group } : {}),
              ...(groupContext ? { groupContext } : {}),
              ...(keyTable !== undefined || (block !== undefined && !modelType) ? { keyGroup: true } : {}),
              ...(modelType ? { modelType } : {}),
            };
            facts.strings.push(fact);
            const position = argumentPosition(node);
            if (position) positional.push({ fact, ...position });
          }
          // An interpolated string (f-string, template) is read as its source text.
          const raw = literal ?? (node.text.length <= MAX_TEXT ? node.text : "");
          const hint =
            value !== undefined && value.length <= MAX_HINT && !MODEL_SHAPE.test(value)
              ? modelHintKey(node)
              : undefined;
          if (
            (value === undefined || !MODEL_SHAPE.test(value)) &&
            raw.length <= MAX_TEXT &&
            (hint !== undefined ||
              EMBEDDED_WORD.test(raw) ||
              SERVER_IN_TEXT.test(raw) ||
              node.startIndex < concatenationSaysModelUntil)
          )
            facts.texts.push({ value: raw, line: lineOf(node), comment: false, ...(hint ? { context: hint } : {}) });
          // `MCP_SERVER_NAME = "Sentry MCP"`: a name with spaces, kept for server-name look-ups.
          if (value !== undefined && SPACED_NAME.test(value)) {
            const name = nameConstantOf(node);
            if (name) {
              facts.names ??= [];
              facts.names.push([name, value]);
            }
          }
          // `Server: ServerConfig{Name: "mcp-go-assistant"}` (a config's defaults): the field path
          // `Server.Name`, for a server built with `Name: cfg.Server.Name`.
          if (value !== undefined && node.parent?.type === "literal_element") {
            const path = goFieldPath(node);
            if (path) {
              facts.names ??= [];
              facts.names.push([path, value]);
            }
          }
          if (URL_HINT.test(raw)) facts.urls.push({ text: raw, line: lineOf(node) });
        } else if (COMMENT_TYPES.has(type)) {
          const text = node.text;
          // Quotes or flags (`# model = "x"`, `# --model x`), or an Ollama command (`#!ollama pull x`).
          // A documentation block (JSDoc, Javadoc: `/** @example ... */`) is docs, like Markdown: not read.
          if (text.length <= MAX_TEXT && COMMENT_HINT.test(text) && !text.startsWith("/**")) {
            const lead =
              previousComment && previousComment.row === node.startPosition.row - 1 ? previousComment.tail : undefined;
            facts.texts.push({ value: text, line: lineOf(node), comment: true, ...(lead ? { lead } : {}) });
          }
          previousComment = { row: node.endPosition.row, tail: text.slice(-40) };
        } else {
          const assign = assignmentOf(node);
          if (assign) facts.assigns.push({ ...assign, line: lineOf(node), scope });
        }
      }
      // A template string's `${...}` holds code of its own (calls, other strings): walked into.
      if ((!isString || type === "template_string") && cursor.gotoFirstChild()) {
        scopes.push(scope);
        continue;
      }
      let moved = cursor.gotoNextSibling();
      while (!moved) {
        if (!cursor.gotoParent()) break;
        scopes.pop();
        moved = cursor.gotoNextSibling();
      }
      if (!moved) break;
    }
  } finally {
    cursor.delete();
  }
  // `performChatCompletion(messages, "sonar-pro")` is named by the parameter it binds to, when the
  // function is defined in this file (`function performChatCompletion(messages, model = ...)`).
  // An environment reader of the file's own (`get_env_variable("EMBEDDINGS_MODEL", "x")`) keeps the
  // variable's name, as a library's `os.getenv` does.
  for (const p of positional) {
    if (p.index > 0 && ENV_READERS.test(p.callee)) continue;
    const name = (functions.get(p.callee) ?? constructorOf(p.callee, constructors, facts.classes))?.[p.index];
    if (name) p.fact.context = name;
  }
  facts.calls.sort((a, b) => a.line - b.line);
  facts.assigns.sort((a, b) => a.line - b.line);
  return facts;
}

/** A short title with spaces (`Sentry MCP`, `Echo Server`): a few words, no sentence punctuation. */
const SPACED_NAME = /^[A-Za-z0-9][\w@/+-]*(?: [\w@/+()-]+){1,5}$/;

/** Constants named as a name (`SERVER_NAME`, `MCP_SERVER_NAME`, `defaultServerName`). */
const NAME_CONSTANT_NAME = /^[A-Za-z_][\w.]{0,60}name$/i;

/** The constant a string literal is assigned to, through `as const` and parentheses, when it is named as a name. */
function nameConstantOf(node: Node): string | undefined {
  let current = node;
  for (let depth = 0; depth < 3; depth++) {
    const parent = current.parent;
    if (!parent) return undefined;
    if (
      parent.type === "as_expression" ||
      parent.type === "satisfies_expression" ||
      parent.type === "parenthesized_expression"
    ) {
      current = parent;
      continue;
    }
    const name = assignedName(parent, current);
    return name && NAME_CONSTANT_NAME.test(name) ? name.slice(name.lastIndexOf(".") + 1) : undefined;
  }
  return undefined;
}

function assignmentOf(node: Node): { target: string; valueText: string } | undefined {
  let left: Node | null = null;
  let right: Node | null = null;
  switch (node.type) {
    case "assignment":
    case "assignment_expression":
    case "short_var_declaration":
    case "assignment_statement":
      left = node.childForFieldName("left");
      right = node.childForFieldName("right");
      break;
    case "variable_declarator":
      left = node.childForFieldName("name");
      right = node.childForFieldName("value");
      break;
    default:
      return undefined;
  }
  if (!left || !right) return undefined;
  return { target: left.text.slice(0, 200), valueText: right.text.slice(0, MAX_ARG_TEXT) };
}
