import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { FIELD_TABLES } from "./field-tables.js";
import { collectTexts, formatPath } from "./fields.js";

const roles = (body: unknown, table = FIELD_TABLES.chat.request) =>
  collectTexts(body, table).map((s) => `${formatPath(s.path)}=${s.role}${s.isKey ? " (key)" : ""}`);

describe("field walker", () => {
  it("gives each declared field its role and every undeclared string the role unknown", () => {
    const body = {
      model: "m",
      messages: [
        { role: "system", content: "sys" },
        { role: "user", content: [{ type: "input_text", text: "hi" }, "plain"] },
        { role: "tool", tool_call_id: "c1", content: "result" },
      ],
      tools: [{ type: "function", function: { name: "f", description: "d" } }],
      x_extra: { note: "n" },
    };
    assert.deepEqual(roles(body), [
      "model=meta",
      "messages[0].role=meta",
      "messages[0].content=system",
      "messages[1].role=meta",
      "messages[1].content[0].type=meta",
      "messages[1].content[0].text=user",
      "messages[1].content[1]=user",
      "messages[2].role=meta",
      "messages[2].tool_call_id=label",
      "messages[2].content=tool-result",
      "tools[0].type=meta",
      "tools[0].function.name=tool-name",
      "tools[0].function.description=tool-definition",
      "x_extra=unknown (key)",
      "x_extra.note=unknown (key)",
      "x_extra.note=unknown",
    ]);
  });

  it("rewrites values and keys in place through their slots", () => {
    const body = { model: "m", messages: [{ role: "user", content: "a" }], extra: { k: "v" } };
    for (const slot of collectTexts(body, FIELD_TABLES.chat.request))
      if (slot.role === "user" || slot.role === "unknown") slot.set(`<${slot.text}>`);
    assert.deepEqual(body, { model: "m", messages: [{ role: "user", content: "<a>" }], "<extra>": { "<k>": "<v>" } });
  });

  it("joins logprob tokens into one text and replaces them when it changes", () => {
    const answer = {
      choices: [
        {
          index: 0,
          message: { content: "x" },
          logprobs: {
            content: [
              { token: "a", logprob: -1 },
              { token: "b", logprob: -2 },
            ],
          },
        },
      ],
    };
    const slot = collectTexts(answer, FIELD_TABLES.chat.answer).find((s) => s.shape === "entries");
    assert.equal(slot?.text, "ab");
    slot?.set("<X>");
    assert.deepEqual(answer.choices[0]?.logprobs.content, [
      { token: "<X>", logprob: -1, bytes: null, top_logprobs: [] },
    ]);
  });

  it("visits every string of any JSON value exactly once (values and undeclared keys)", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 })), (extra) => {
        const body = { model: "m", messages: [{ role: "user", content: "u" }], ...extra };
        const strings: string[] = [];
        const count = (v: unknown): void => {
          if (typeof v === "string") {
            if (v !== "") strings.push(v);
          } else if (Array.isArray(v)) v.forEach(count);
          else if (v && typeof v === "object")
            for (const [k, x] of Object.entries(v)) {
              if (k !== "") strings.push(k);
              count(x);
            }
        };
        count(body);
        // Declared keys (model, messages, role, content) are not texts themselves.
        const declaredKeys = ["model", "messages", "role", "content"].filter((k) => strings.includes(k));
        const seen = collectTexts(body, FIELD_TABLES.chat.request).map((s) => s.text);
        assert.equal(seen.length, strings.length - declaredKeys.length);
      }),
    );
  });
});
