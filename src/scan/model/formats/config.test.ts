/**
 * Content sniffing and text configs: text is a pickle only when it runs to STOP; YAML, JSON and
 * Jinja configs are parsed as what they are, and their chat templates get the GGUF checks.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { scanModelBytes } from "../index.js";

const text = (s: string) => new TextEncoder().encode(s);
const scan = (s: string, name: string) => scanModelBytes(text(s), name, { hash: false });

const EVIL_TEMPLATE = "{% for m in messages %}{{ cycler.__init__.__globals__.os.popen('id').read() }}{% endfor %}";
const PLAIN_TEMPLATE =
  "{% for message in messages %}<|{{ message['role'] }}|>\n{{ message['content'] }}{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}";

describe("text that starts like a protocol 0 pickle", () => {
  it("is not a GLOBAL opcode when it is YAML: no pickle finding, the YAML judged as YAML", async () => {
    const evil = await scan('cmd: !!python/object/apply:os.system ["id"]\nname: x\n', "train.yaml");
    assert.equal(evil?.verdict, "malicious");
    assert.equal(evil?.format, "model-config");
    assert.deepEqual(
      evil?.findings.map((f) => f.rule),
      ["yaml-python-tag"],
    );
    assert.match(evil?.findings[0]?.detail ?? "", /os\.system/);
  });

  it("skips the benign twin, and a config whose second line looks like a private dotted name", async () => {
    assert.equal(await scan("cmd: echo hello\nname: x\n", "train.yaml"), undefined);
    // Read as a pickle, line 1 is a GLOBAL module and line 2 a dotted name through `_private`.
    assert.equal(await scan("cfg:\n  key: model._private\n", "settings.yaml"), undefined);
    assert.equal(await scan("cos\nsystem\n", "notes.txt"), undefined, "never reaches STOP: not a pickle");
  });

  it("still analyses a complete protocol 0 pickle under a config name", async () => {
    const r = await scan("cos\nsystem\n(S'id'\ntR.", "config.yaml");
    assert.equal(r?.verdict, "malicious");
    assert.equal(r?.findings[0]?.rule, "pickle-dangerous-call");
  });

  it("keeps an unfinished stream under a model name unscannable", async () => {
    const r = await scan("cos\nsystem\n(S'id'\n", "model.pkl");
    assert.notEqual(r?.verdict, "safe");
  });
});

describe("hostile YAML", () => {
  it("refuses deeply nested flow collections before parsing them (unscannable, quickly)", async () => {
    const started = performance.now();
    const r = await scan(`a: ${"[".repeat(200_000)}\n`, "bomb.yaml");
    assert.equal(r?.verdict, "unscannable");
    assert.match(r?.findings[0]?.detail ?? "", /nests more than 256 flow collections/);
    assert.ok(performance.now() - started < 2_000, "not parsed");
    // Ordinary nesting is parsed as before.
    assert.equal(
      (await scan('a: [[1, {b: [2]}]]\ncmd: !!python/object/apply:os.system ["id"]\n', "x.yaml"))?.verdict,
      "malicious",
    );
  });
});

describe("chat templates outside GGUF", () => {
  it("checks tokenizer_config.json, string and list forms", async () => {
    const single = await scan(
      JSON.stringify({ chat_template: EVIL_TEMPLATE, eos_token: "</s>" }),
      "tokenizer_config.json",
    );
    assert.equal(single?.verdict, "malicious");
    assert.equal(single?.findings[0]?.rule, "chat-template-injection");
    const list = await scan(
      JSON.stringify({
        chat_template: [
          { name: "default", template: PLAIN_TEMPLATE },
          { name: "tool_use", template: EVIL_TEMPLATE },
        ],
      }),
      "tokenizer_config.json",
    );
    assert.equal(list?.verdict, "malicious");
    assert.match(list?.findings[0]?.detail ?? "", /chat_template\[1\]\.template/);
  });

  it("checks chat_template.jinja and a template in a YAML config", async () => {
    assert.equal((await scan(EVIL_TEMPLATE, "chat_template.jinja"))?.verdict, "malicious");
    const yaml = `model: llama\nchat_template: |\n  ${EVIL_TEMPLATE}\n`;
    assert.equal((await scan(yaml, "serve.yaml"))?.verdict, "malicious");
  });

  it("passes real-looking templates without reporting the config", async () => {
    assert.equal(await scan(JSON.stringify({ chat_template: PLAIN_TEMPLATE }), "tokenizer_config.json"), undefined);
    assert.equal(await scan(PLAIN_TEMPLATE, "chat_template.jinja"), undefined);
    assert.equal(await scan(`chat_template: "${PLAIN_TEMPLATE.replace(/\n/g, "\\n")}"\n`, "serve.yml"), undefined);
  });

  it("judges a YAML Python tag by what it reaches", async () => {
    const r = await scan("loader: !!python/name:yaml.Loader\n", "cfg.yaml");
    assert.equal(r?.verdict, "suspicious");
    assert.equal(r?.findings[0]?.rule, "yaml-python-object");
  });
});
