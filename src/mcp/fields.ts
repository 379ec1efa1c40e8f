/**
 * Every place an MCP message carries text, declared as data (the AI gateway's field model, one
 * walker for both): tool-call arguments on their way out to a server, and on their way back to
 * the model every tool result (unstructured content of every type and structured content),
 * resource contents and prompt messages. A key the table does not list is walked as `unknown`
 * (guarded as untrusted text), so a field added by a later protocol version or smuggled in by a
 * server is never passed unchecked.
 */
import { alt, each, leaf, obj, pick, type Spec } from "../gateway/index.js";

const META = leaf("meta");
const RESULT = leaf("tool-result");
const LABEL = leaf("label");

/** Optional hints on content (`audience`, `priority`, `lastModified`): framing, not model text. */
const ANNOTATIONS = obj({ audience: META, priority: META, lastModified: META });

/** An embedded resource's contents: text the model reads, or a base64 blob. */
const RESOURCE_CONTENTS = obj({
  uri: META,
  mimeType: META,
  text: RESULT,
  blob: leaf("media"),
  _meta: META,
});

/** One content block of a tool result or a prompt message, chosen by its `type`. */
const CONTENT_BLOCK: Spec = pick((block) => {
  switch (block.type) {
    case "text":
      return obj({ type: META, text: RESULT, annotations: ANNOTATIONS, _meta: META });
    case "image":
    case "audio":
      return obj({ type: META, data: leaf("media"), mimeType: META, annotations: ANNOTATIONS, _meta: META });
    case "resource":
      return obj({ type: META, resource: RESOURCE_CONTENTS, annotations: ANNOTATIONS, _meta: META });
    case "resource_link":
      return obj({
        type: META,
        uri: META,
        name: LABEL,
        title: RESULT,
        description: RESULT,
        mimeType: META,
        size: META,
        annotations: ANNOTATIONS,
        _meta: META,
      });
    default:
      // A content type this table does not know: every string in it is untrusted text.
      return leaf("unknown");
  }
});

/**
 * `tools/call` params: the arguments are model-written data leaving for a server (every string,
 * keys too, is checked for secrets and PII being exfiltrated).
 */
export const CALL_TOOL_PARAMS: Spec = obj({
  name: leaf("tool-name"),
  arguments: leaf("tool-arguments"),
  _meta: META,
});

/** A `tools/call` result: everything the model will read is a tool result (indirect injection). */
export const CALL_TOOL_RESULT: Spec = obj({
  content: each(CONTENT_BLOCK),
  structuredContent: RESULT,
  isError: META,
  _meta: META,
});

/** A `resources/read` result. */
export const READ_RESOURCE_RESULT: Spec = obj({
  contents: each(RESOURCE_CONTENTS),
  _meta: META,
});

/** A `prompts/get` result: a server-written prompt is data for the model, like a tool result. */
export const GET_PROMPT_RESULT: Spec = obj({
  description: RESULT,
  messages: each(obj({ role: META, content: alt({ object: CONTENT_BLOCK, array: each(CONTENT_BLOCK) }) })),
  _meta: META,
});
