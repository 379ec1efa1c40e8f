import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { renderTable, terminalWidth, wrapText } from "./output.js";

const HEADERS = ["RULE", "DECISION", "LOCATION", "MESSAGE"] as const;
const ROWS = [
  [
    "supply-chain.finding",
    "deny",
    "services/billing/app/handlers/chat_completion.py:118",
    "code.llm-output-to-exec (high): model output reaches subprocess.run with a value derived from the response",
  ],
  ["supply-chain.model-not-approved", "deny", undefined, "model o3-mini is not approved"],
];

const width = (text: string) => Math.max(...text.split("\n").map((line) => line.length));

describe("renderTable", () => {
  let columns: string | undefined;
  beforeEach(() => {
    columns = process.env.COLUMNS;
    delete process.env.COLUMNS;
  });
  afterEach(() => {
    if (columns === undefined) delete process.env.COLUMNS;
    else process.env.COLUMNS = columns;
  });

  it("keeps full width without a limit when stdout is not a terminal and COLUMNS is unset", {
    skip: process.stdout.isTTY ? "stdout is a terminal here, so its width is the limit" : false,
  }, () => {
    const text = renderTable(HEADERS, ROWS);
    assert.equal(terminalWidth(), undefined);
    assert.ok(width(text) > 150);
    assert.doesNotMatch(text, /…/);
    assert.equal(text, renderTable(HEADERS, ROWS, {}));
  });

  it("fits maxWidth by wrapping the message, keeping rule ids and the location whole", () => {
    const text = renderTable(HEADERS, ROWS, { maxWidth: 130 });
    assert.ok(width(text) <= 130, text);
    assert.doesNotMatch(text, /…/);
    const lines = text.split("\n");
    assert.match(
      lines[1] ?? "",
      /^supply-chain\.finding +deny +services\/billing\/app\/handlers\/chat_completion\.py:118 +code\./,
    );
    // The message goes on under itself, in its own column, and no word is lost.
    const column = (lines[0] ?? "").indexOf("MESSAGE");
    assert.match(lines[2] ?? "", new RegExp(`^ {${column}}\\S`));
    const message = lines
      .slice(1, -1)
      .map((l) => l.slice(column))
      .join(" ");
    assert.equal(message, ROWS[0]?.[3]);
    assert.match(lines.at(-1) ?? "", /^supply-chain\.model-not-approved +deny +- +model o3-mini is not approved$/);
  });

  it("cuts a path at its start, keeping the file name and line, before wrapping prose narrower", () => {
    const text = renderTable(HEADERS, ROWS, { maxWidth: 100 });
    assert.ok(width(text) <= 100, text);
    assert.match(text, /supply-chain\.model-not-approved/);
    assert.match(text, / …[^ ]*chat_completion\.py:118 /);
    const column = (text.split("\n")[0] ?? "").indexOf("MESSAGE");
    assert.ok(100 - column >= 32, `the message keeps 32 columns:\n${text}`);
  });

  it("honours COLUMNS", () => {
    process.env.COLUMNS = "100";
    assert.equal(terminalWidth(), 100);
    const text = renderTable(HEADERS, ROWS);
    assert.ok(width(text) <= 100, text);
  });

  it("shrinks only the columns named as free text when told which they are", () => {
    const text = renderTable(["ID", "NOTE", "MESSAGE"], [["a".repeat(30), "n".repeat(60), "m".repeat(60)]], {
      maxWidth: 110,
      freeText: ["NOTE"],
    });
    assert.ok(width(text) <= 110, text);
    assert.match(text, /m{60}$/m);
    assert.match(text, /^a{30} {2}n+ {2}m{60}$/m);
    assert.match(text, /^ {32}n+$/m, "the note wraps under itself");
  });

  it("prints notes indented under their rows, wrapped to the width", () => {
    const text = renderTable(
      ["RULE", "WHERE"],
      [
        ["code.a", "a.py:1"],
        ["code.b", "b.py:2"],
      ],
      {
        maxWidth: 40,
        notes: ["fix: pass weights_only=True to torch.load, or load the weights as safetensors", undefined],
      },
    );
    assert.deepEqual(text.split("\n"), [
      "RULE    WHERE",
      "code.a  a.py:1",
      "    fix: pass weights_only=True to",
      "    torch.load, or load the weights as",
      "    safetensors",
      "code.b  b.py:2",
    ]);
  });

  it("keeps the old call shape: extra cells are printed as they are", () => {
    assert.equal(renderTable(["A"], [["x", "extra"]]), "A\nx  extra");
  });
});

describe("wrapText", () => {
  it("keeps runs of spaces and hangs continuation lines", () => {
    assert.deepEqual(
      wrapText("high     rule: one two three four five six", { indent: "  ", hanging: "       ", maxWidth: 30 }),
      ["  high     rule: one two three", "       four five six"],
    );
  });
});
