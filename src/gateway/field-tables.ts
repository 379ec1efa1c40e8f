/**
 * Where text lives in each wire format, in and out, as data. Anything these tables do not name
 * is guarded as `unknown` (see fields.ts), so a forgotten field costs precision, never safety.
 * Sources: OpenAI's chat/completions/embeddings reference, vLLM's and llama.cpp's extra request
 * fields, Ollama's /api/chat and /api/generate.
 */
import { alt, each, leaf, obj, pick, type Spec, type TextRole, textOrList, tokens } from "./fields.js";

const meta = leaf("meta");
const label = leaf("label");
const toolName = leaf("tool-name");
const definition = leaf("tool-definition");
const media = leaf("media");

/** A URL field of a media part: base64 data is skipped, anything else is guarded. */
const mediaUrl = alt({ string: media, object: obj({ url: media, detail: meta }) });

/** One content part of a message whose text has `role`. */
function part(role: TextRole): Spec {
  const text = leaf(role);
  return pick((p) => {
    switch (p.type) {
      case "image_url":
        return obj({ type: meta, image_url: mediaUrl });
      case "input_image":
        return obj({ type: meta, image_url: media, file_id: label, detail: meta });
      case "input_audio":
        return obj({ type: meta, input_audio: obj({ data: media, format: meta }) });
      case "file":
      case "input_file":
        return obj({ type: meta, file: obj({ file_data: media, file_id: label, filename: label }) });
      default:
        // text, input_text, output_text, refusal, thinking, reasoning, and parts nobody knows yet:
        // every string in the part is this message's text.
        return obj({ type: meta, text, cache_control: meta, signature: meta }, text);
    }
  });
}

const content = (role: TextRole): Spec =>
  alt({ string: leaf(role), array: each(alt({ string: leaf(role), object: part(role) })) });

/** Tool calls replayed in the conversation history (OpenAI and Ollama shapes). */
const historyToolCalls = each(
  obj({
    id: label,
    index: meta,
    type: meta,
    function: obj({ name: label, arguments: leaf("assistant") }),
    custom: obj({ name: label, input: leaf("assistant") }),
  }),
);

/** A request message, by role. */
const message = pick((m) => {
  // A participant's name reaches the model's template like its text does.
  const common = { role: meta, name: leaf("unknown") };
  switch (m.role) {
    case "system":
    case "developer":
      return obj({ ...common, content: content("system") });
    case "user":
      return obj({ ...common, content: content("user"), images: each(media) });
    case "assistant":
      return obj({
        ...common,
        content: content("assistant"),
        refusal: leaf("assistant"),
        reasoning_content: leaf("assistant"),
        reasoning: leaf("assistant"),
        thinking: leaf("assistant"),
        tool_calls: historyToolCalls,
        function_call: obj({ name: label, arguments: leaf("assistant") }),
        audio: obj({ id: label }),
        images: each(media),
      });
    case "tool":
    case "function":
    case "ipython":
      return obj({ ...common, content: content("tool-result"), tool_call_id: label, tool_name: label });
    default:
      // A role nobody knows: its text is guarded as the caller's own.
      return obj({ role: meta }, leaf("unknown"));
  }
});

/** Tool and function definitions: names for tool rights, the rest as definitions. */
const functionDef = obj({ name: toolName, description: definition, parameters: definition, strict: meta });
const toolDefs = each(
  obj({
    type: meta,
    function: functionDef,
    custom: obj({ name: toolName, description: definition, format: definition }),
  }),
);
const toolChoice = alt({
  string: meta,
  object: obj({
    type: meta,
    function: obj({ name: toolName }),
    custom: obj({ name: toolName }),
    allowed_tools: obj({ mode: meta, tools: toolDefs }),
  }),
});

/** Sampling and framing fields many servers accept; numbers and booleans need no entry. */
const COMMON_REQUEST: Record<string, Spec> = {
  model: meta,
  stream: meta,
  stream_options: meta,
  user: label,
  metadata: obj({}, label),
  safety_identifier: label,
  prompt_cache_key: label,
  stop: textOrList("label"),
  logit_bias: meta,
  service_tier: meta,
  reasoning_effort: meta,
  verbosity: meta,
  modalities: meta,
  // vLLM and llama.cpp structured-output and template extras.
  guided_json: definition,
  guided_regex: definition,
  guided_choice: definition,
  guided_grammar: definition,
  guided_decoding_backend: meta,
  structured_outputs: definition,
  grammar: definition,
  json_schema: definition,
  chat_template: leaf("system"),
  chat_template_kwargs: leaf("system"),
  documents: leaf("tool-result"),
};

export interface FieldTable {
  request: Spec;
  /** A whole answer, or one stream frame (the same table serves both). */
  answer: Spec;
}

/** An answer message or stream delta. */
const answerMessage = obj({
  role: meta,
  content: alt({ string: leaf("output", true), array: each(alt({ string: leaf("output"), object: part("output") })) }),
  refusal: leaf("output", true),
  reasoning_content: leaf("reasoning", true),
  reasoning: leaf("reasoning", true),
  thinking: leaf("reasoning", true),
  tool_calls: each(
    obj({
      index: meta,
      id: meta,
      type: meta,
      function: obj({
        name: toolName,
        arguments: alt({ string: leaf("tool-arguments", true), object: leaf("tool-arguments") }),
      }),
      custom: obj({ name: toolName, input: leaf("tool-arguments", true) }),
    }),
  ),
  function_call: obj({ name: toolName, arguments: leaf("tool-arguments", true) }),
  annotations: leaf("output"),
  audio: obj({ id: meta, data: media, expires_at: meta, transcript: leaf("output", true) }),
});

const OPENAI_ANSWER_META: Record<string, Spec> = {
  id: meta,
  object: meta,
  created: meta,
  model: meta,
  system_fingerprint: meta,
  service_tier: meta,
  usage: meta,
};

const chat: FieldTable = {
  request: obj({
    ...COMMON_REQUEST,
    messages: each(message),
    // Anthropic-style top-level system prompt (a string or text blocks), which some servers accept.
    system: content("system"),
    tools: toolDefs,
    functions: each(functionDef),
    tool_choice: toolChoice,
    function_call: alt({ string: meta, object: obj({ name: toolName }) }),
    response_format: obj({ type: meta, json_schema: definition }),
    prediction: obj({ type: meta, content: content("assistant") }),
    audio: meta,
    web_search_options: label,
    add_generation_prompt: meta,
  }),
  answer: obj({
    ...OPENAI_ANSWER_META,
    choices: each(
      obj({
        index: meta,
        finish_reason: meta,
        stop_reason: label,
        message: answerMessage,
        delta: answerMessage,
        logprobs: obj({ content: tokens("entries"), refusal: tokens("entries") }),
      }),
    ),
  }),
};

const completions: FieldTable = {
  request: obj({
    ...COMMON_REQUEST,
    prompt: textOrList("user"),
    suffix: leaf("user"),
    echo: meta,
  }),
  answer: obj({
    ...OPENAI_ANSWER_META,
    choices: each(
      obj({
        index: meta,
        finish_reason: meta,
        stop_reason: label,
        text: leaf("output", true),
        logprobs: tokens("parallel"),
      }),
    ),
  }),
};

const embeddings: FieldTable = {
  request: obj({ ...COMMON_REQUEST, input: textOrList("user"), encoding_format: meta, dimensions: meta }),
  answer: obj({ ...OPENAI_ANSWER_META, data: each(obj({ object: meta, index: meta, embedding: meta })) }),
};

const OLLAMA_REQUEST: Record<string, Spec> = {
  model: meta,
  stream: meta,
  keep_alive: meta,
  think: meta,
  format: alt({ string: meta, object: definition }),
  options: obj({ stop: textOrList("label") }, meta),
  raw: meta,
};
const OLLAMA_ANSWER_META: Record<string, Spec> = {
  model: meta,
  created_at: meta,
  done: meta,
  done_reason: meta,
  total_duration: meta,
  load_duration: meta,
  prompt_eval_count: meta,
  prompt_eval_duration: meta,
  eval_count: meta,
  eval_duration: meta,
  context: meta,
};

const ollamaChat: FieldTable = {
  request: obj({ ...OLLAMA_REQUEST, messages: each(message), tools: toolDefs }),
  answer: obj({ ...OLLAMA_ANSWER_META, message: answerMessage }),
};

const ollamaGenerate: FieldTable = {
  request: obj({
    ...OLLAMA_REQUEST,
    prompt: leaf("user"),
    suffix: leaf("user"),
    system: leaf("system"),
    template: leaf("system"),
    context: meta,
    images: each(media),
  }),
  answer: obj({ ...OLLAMA_ANSWER_META, response: leaf("output", true), thinking: leaf("reasoning", true) }),
};

export const FIELD_TABLES = {
  chat,
  completions,
  embeddings,
  "ollama-chat": ollamaChat,
  "ollama-generate": ollamaGenerate,
} as const;
