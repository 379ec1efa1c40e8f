import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { renderTemplateShape } from "./template-text.js";

const newlines = (text: string) => text.split("\n").length - 1;

describe("renderTemplateShape on hostile and arbitrary templates", () => {
  it("keeps every line of any text built from template syntax, and never throws", () => {
    const piece = fc.constantFrom(
      "{{",
      "}}",
      "{{- ",
      " -}}",
      "{%",
      "%}",
      "{#",
      "#}",
      "{{ if .x }}",
      "{{ else }}",
      "{{ end }}",
      "{% for a in b %}",
      "{% endfor %}",
      "{{ .v }}",
      '"',
      "\n",
      " ",
      ":",
      "k",
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 60 }).map((parts) => parts.join("")),
        (text) => {
          const shape = renderTemplateShape(text);
          if (shape !== undefined) assert.equal(newlines(shape), newlines(text));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("renders a one-line file of 40,000 actions and 40,000 nested blocks whole (linear, not quadratic)", () => {
    const line = `{"a": "${"{{ x }}".repeat(40_000)}", "b": {{ y }}}`;
    const standIns = Array.from({ length: 40_000 }, (_, i) => `_${i + 1}`).join("");
    assert.deepEqual(JSON.parse(renderTemplateShape(line) ?? ""), { a: standIns, b: "_40001" });
    const nested = `${"{{ if a }}".repeat(40_000)}{"k": {{ v }}}${"{{ else }}x{{ end }}".repeat(40_000)}`;
    assert.deepEqual(JSON.parse(renderTemplateShape(nested) ?? ""), { k: "_1" });
  });
});
