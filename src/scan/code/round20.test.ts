/**
 * Classes of misses and false positives found on round 20 of the AI-BOM corpus (issue 15), each
 * with a small case of its own, and the limits of the data-file reader they brought.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { modelsOf, sdksOf } from "../../../test/helpers/scan-tree.js";
import { aTree } from "../../../test/helpers/tree.js";
import { loadAiCatalog } from "./catalog.js";
import { matchModel } from "./models.js";
import { recordModels, splitCsvRow } from "./records.js";
import { classifyFile, RECORDS_HEAD_BYTES, readSourceText, walkTree } from "./walk.js";

const catalog = loadAiCatalog();

describe("round 20 classes", () => {
  it("reads the model column of a CSV table (a leaderboard, an eval log)", async () => {
    const csv = [
      "model,score,CI,date",
      'gpt-4-turbo-2024-04-09,82.63,"(-1.88, +1.97)",2024-07-31',
      'claude-3-5-sonnet-20240620,79.35,"(-2.10, +1.27)",2024-07-31',
      "gpt-4-turbo-2024-04-09,80.1,x,2024-08-01",
      "",
    ].join("\n");
    assert.deepEqual(await modelsOf({ "leaderboard/board.csv": csv }), [
      "claude-3-5-sonnet-20240620@leaderboard/board.csv",
      "gpt-4-turbo-2024-04-09@leaderboard/board.csv",
    ]);
    // `model name` (a LangSmith export); other columns are never read.
    const export_ = ",run_name,model name,answer\n0,120000-5--gpt-4-0125-preview--x,gpt-4-0125-preview,gpt-4o\n";
    assert.deepEqual(
      recordModels(export_, catalog).map((m) => m.id),
      ["gpt-4-0125-preview"],
    );
    // A table without a model column names none.
    assert.deepEqual(recordModels("name,answer\ngpt-4o,gpt-4o\n", catalog), []);
  });

  it("reads the model field of JSON Lines named after it (saved answers of an eval)", async () => {
    const line = (model: string) =>
      JSON.stringify({ uid: "1", model, messages: [{ role: "user", content: "claude-3-opus-20240229 hi" }] });
    assert.deepEqual(
      await modelsOf({
        "data/model_answer/gpt-4-0314.jsonl": `${line("gpt-4-0314")}\n${line("gpt-4-0314")}\n`,
        "data/question.jsonl": '{"uid":"1","prompt":"Which is better, gpt-4o or claude?"}\n',
        // A judge's log over several models is benchmark data, not the repository's model.
        "evals/judgements.jsonl": `${line("gpt-4-1106-preview")}\n`,
      }),
      ["gpt-4-0314@data/model_answer/gpt-4-0314.jsonl"],
    );
  });

  it("reads a .txt file that holds JSON (a saved /v1/models listing) as a recorded body", async () => {
    const listing = JSON.stringify(
      { object: "list", data: [{ id: "whisper-1", object: "model", owned_by: "openai-internal" }] },
      null,
      2,
    );
    assert.deepEqual(await modelsOf({ "test.txt": listing, "notes.txt": "model: gpt-4o is what we use\n" }), [
      "whisper-1@test.txt",
    ]);
  });

  it("knows LMArena-style and hosted ids: gemini-*-api-MMDD, yi-large, dbrx-instruct, mistral-next", () => {
    for (const id of [
      "gemini-1.5-pro-api-0514",
      "yi-large-preview",
      "dbrx-instruct-preview",
      "snowflake-arctic-instruct",
      "mistral-next",
    ])
      assert.ok(matchModel(id, "model", catalog), id);
    // Context-only shapes stay words without a model context.
    assert.equal(matchModel("yi-large", "size", catalog), undefined);
  });

  it("takes the repository of a LocalAI huggingface:// file URI as the model", () => {
    assert.equal(
      matchModel("huggingface://TheBloke/phi-2-GGUF/phi-2.Q8_0.gguf", "model", catalog)?.id,
      "TheBloke/phi-2-GGUF",
    );
  });

  it("declares spaCy through bertopic[spacy], and knows xai-sdk and the Android Google AI client", async () => {
    assert.deepEqual(await sdksOf({ "requirements.txt": "bertopic[spacy]\n" }), [
      "bertopic@requirements.txt",
      "spacy@requirements.txt",
    ]);
    assert.deepEqual(await sdksOf({ "app.py": "import xai_sdk\nclient = xai_sdk.Client()\n" }), ["xai-sdk@-"]);
    const toml =
      '[versions]\ngenerativeAI = "0.9.0"\n\n[libraries]\ngoogle-generativeai = { module = "com.google.ai.client.generativeai:generativeai", version.ref = "generativeAI" }\n';
    assert.deepEqual(
      await sdksOf({
        "gradle/libs.versions.toml": toml,
        "settings.gradle.kts": 'rootProject.name = "x"\n',
        "core/data/build.gradle.kts": "dependencies {\n  api(libs.google.generativeai)\n}\n",
      }),
      ["com.google.ai.client.generativeai:generativeai@core/data/build.gradle.kts"],
    );
  });
});

describe("data-file reader limits (hostile input)", () => {
  it("classifies tables and JSON Lines as records, and no other .txt by name", () => {
    assert.deepEqual(classifyFile("a/b.csv"), { kind: "config", format: "records" });
    assert.deepEqual(classifyFile("a/b.jsonl"), { kind: "config", format: "records" });
    assert.equal(classifyFile("a/notes.txt"), undefined);
  });

  it("reads only the head of a huge file, cut at a line end", async () => {
    const dir = await aTree({ "gpt-4-0314.jsonl": "" });
    const row = `${JSON.stringify({ model: "gpt-4-0314", answer: "x".repeat(1000) })}\n`;
    writeFileSync(join(dir, "gpt-4-0314.jsonl"), row.repeat(Math.ceil((8 * RECORDS_HEAD_BYTES) / row.length)));
    const { files } = walkTree(dir);
    const file = files.find((f) => f.rel === "gpt-4-0314.jsonl");
    assert.ok(file && file.size > 4 * RECORDS_HEAD_BYTES);
    const text = readSourceText(file);
    assert.equal(typeof text, "string");
    assert.ok((text as string).length <= RECORDS_HEAD_BYTES);
    assert.ok((text as string).endsWith("}"));
    assert.deepEqual(
      recordModels(text as string, catalog, "gpt-4-0314.jsonl").map((m) => m.id),
      ["gpt-4-0314"],
    );
  });

  it("reads no more than the first line of a data file that can name no model", async () => {
    const dir = await aTree({ "scores.csv": "", "log.jsonl": "", "board.csv": "", "long.csv": "" });
    const big = (line: string) => line.repeat(Math.ceil((2 * RECORDS_HEAD_BYTES) / line.length));
    writeFileSync(join(dir, "scores.csv"), `name,score\n${big("gpt-4o,1\n")}`);
    writeFileSync(join(dir, "log.jsonl"), big(`${JSON.stringify({ model: "gpt-4o" })}\n`));
    writeFileSync(join(dir, "board.csv"), `model,score\n${big("gpt-4o,1\n")}`);
    writeFileSync(join(dir, "long.csv"), `${"a,".repeat(4096)}model\n${big("gpt-4o,1\n")}`);
    const { files } = walkTree(dir);
    const read = (rel: string) => readSourceText(files.find((f) => f.rel === rel) ?? assert.fail(rel));
    // No model column, a log not named after a model, a header cut by the first read: nothing read further.
    assert.equal(read("scores.csv"), "");
    assert.equal(read("log.jsonl"), "");
    assert.equal(read("long.csv"), "");
    const board = read("board.csv");
    assert.ok(typeof board === "string" && board.length > 4096 && board.length <= RECORDS_HEAD_BYTES);
  });

  it("survives one endless line, unbalanced quotes and a flood of delimiters, quickly", () => {
    const started = performance.now();
    assert.deepEqual(recordModels(`model,${",".repeat(200_000)}\n${'"'.repeat(100_000)}\n`, catalog), []);
    assert.deepEqual(recordModels(`model\n${"a".repeat(RECORDS_HEAD_BYTES)}\n`, catalog), []);
    assert.deepEqual(recordModels(`{"model": "${"x".repeat(RECORDS_HEAD_BYTES)}"}\n`, catalog), []);
    const rows = Array.from({ length: 20_000 }, (_, i) => `m-${i}-x,1`).join("\n");
    assert.ok(recordModels(`model,score\n${rows}`, catalog).length <= 5_000);
    assert.ok(splitCsvRow(",".repeat(10_000), ",").length <= 200);
    assert.deepEqual(splitCsvRow('a,"b, ""c""",d', ","), ["a", 'b, "c"', "d"]);
    assert.ok(performance.now() - started < 2_000);
  });
});
