/**
 * Benchmark for `palisade scan code`: generates a 20,000-file mixed repository (Python, TS/JS,
 * Go, Java, configs, manifests; about 1 file in 12 uses an AI SDK) in a temp dir, scans it, and
 * prints files/s as JSON. The tree is deleted afterwards.
 *
 *   node --import tsx bench/code-scan.ts [--files 20000]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { loadAiCatalog, scanCodebase } from "../src/scan/code/index.js";

const flag = process.argv.indexOf("--files");
const TOTAL = flag > 0 ? Number(process.argv[flag + 1]) : 20_000;

/** Deterministic pseudo-random numbers so every run scans the same tree. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const random = rng(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

function body(lines: number, make: (i: number) => string): string {
  return Array.from({ length: lines }, (_, i) => make(i)).join("\n");
}

const GENERATORS: Record<string, (ai: boolean, i: number) => [string, string]> = {
  py: (ai, i) => [
    `pkg${i % 50}/mod_${i}.py`,
    `${ai ? "from openai import OpenAI\nclient = OpenAI()\n" : "import json\nimport os\n"}\n${body(60, (n) =>
      n % 6 === 0
        ? `def handler_${n}(event, context):`
        : n % 6 === 5
          ? `    return {"status": ${n}, "ok": True}`
          : `    value_${n} = json.dumps({"k": "${n}", "v": os.getenv("X_${n}")})`,
    )}\n${ai ? 'resp = client.chat.completions.create(model="gpt-4o-mini", messages=[])\n' : ""}`,
  ],
  ts: (ai, i) => [
    `web/src/feature${i % 40}/component-${i}.ts`,
    `${ai ? 'import OpenAI from "openai";\nconst client = new OpenAI();\n' : 'import { readFile } from "node:fs/promises";\n'}\n${body(
      60,
      (n) =>
        n % 5 === 0
          ? `export async function load${n}(path: string): Promise<string> {`
          : n % 5 === 4
            ? "}"
            : `  const part${n} = await readFile(path + "${n}", "utf8");`,
    )}\n${ai ? 'export const r = await client.chat.completions.create({ model: "gpt-4o", messages: [] });\n' : ""}`,
  ],
  js: (ai, i) => [
    `web/legacy/util-${i}.js`,
    `${ai ? 'const Anthropic = require("@anthropic-ai/sdk");\n' : 'const path = require("path");\n'}\n${body(50, (n) => `function f${n}(a, b) { return path.join(a, b, "${n}"); }`)}\n`,
  ],
  go: (ai, i) => [
    `svc/internal/pkg${i % 30}/file_${i}.go`,
    `package pkg${i % 30}\n\nimport (\n\t"fmt"\n${ai ? '\topenai "github.com/sashabaranov/go-openai"\n' : ""})\n\n${body(
      40,
      (n) => (n % 4 === 0 ? `func F${n}(x int) int {` : n % 4 === 3 ? "}" : `\tfmt.Println("value", x+${n})`),
    )}\n${ai ? 'var _ = openai.ChatCompletionRequest{Model: "gpt-4o-mini"}\n' : ""}`,
  ],
  java: (ai, i) => [
    `jvm/src/main/java/com/acme/p${i % 20}/C${i}.java`,
    `package com.acme.p${i % 20};\n\n${ai ? "import dev.langchain4j.model.openai.OpenAiChatModel;\n" : "import java.util.List;\n"}\npublic class C${i} {\n${body(40, (n) => `    public int m${n}(int x) { return x * ${n}; }`)}\n}\n`,
  ],
  yaml: (ai, i) => [
    `deploy/conf-${i}.yaml`,
    `service:\n  name: svc-${i}\n  replicas: ${i % 5}\n${ai ? "llm:\n  model: claude-3-5-haiku-latest\n" : "cache:\n  ttl: 60\n"}`,
  ],
  json: (_ai, i) => [
    `data/fixture-${i}.json`,
    JSON.stringify({ id: i, items: Array.from({ length: 20 }, (_, n) => ({ n, label: `item-${n}` })) }),
  ],
  md: (_ai, i) => [`docs/page-${i}.md`, `# Page ${i}\n\nNothing to scan here.\n`],
};

const MIX: [string, number][] = [
  ["py", 0.3],
  ["ts", 0.25],
  ["js", 0.08],
  ["go", 0.12],
  ["java", 0.1],
  ["yaml", 0.07],
  ["json", 0.05],
  ["md", 0.03],
];

function generate(root: string): void {
  const manifests: Record<string, string> = {
    "requirements.txt": "openai==1.54.3\nrequests==2.32.3\n",
    "web/package.json": JSON.stringify({ dependencies: { openai: "^4.73.0", "@anthropic-ai/sdk": "^0.32.1" } }),
    "svc/go.mod": "module x\n\ngo 1.22\n\nrequire github.com/sashabaranov/go-openai v1.35.6\n",
    "jvm/pom.xml":
      "<project><dependencies><dependency><groupId>dev.langchain4j</groupId><artifactId>langchain4j-open-ai</artifactId><version>0.36.2</version></dependency></dependencies></project>",
  };
  let written = 0;
  const made = new Set<string>();
  const write = (rel: string, text: string) => {
    const path = join(root, rel);
    const dir = path.slice(0, path.lastIndexOf("/"));
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(path, text);
    written += 1;
  };
  for (const [rel, text] of Object.entries(manifests)) write(rel, text);
  let i = 0;
  while (written < TOTAL) {
    const r = random();
    let acc = 0;
    let kind = "py";
    for (const [k, share] of MIX) {
      acc += share;
      if (r < acc) {
        kind = k;
        break;
      }
    }
    const generator = GENERATORS[kind] ?? GENERATORS.py;
    if (!generator) break;
    const [rel, text] = generator(random() < 1 / 12, i++);
    write(rel, text);
  }
  void pick;
}

const root = mkdtempSync(join(tmpdir(), "palisade-bench-code-"));
try {
  const genStart = performance.now();
  generate(root);
  const generateMs = performance.now() - genStart;
  const catalog = loadAiCatalog();
  // Warm the parsers once so the figure is steady-state scanning, as in a CI job.
  await scanCodebase(join(root, "jvm"), { catalog });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const report = await scanCodebase(root, { catalog });
  const seconds = (performance.now() - started) / 1000;
  // CPU time of every thread of this process: a figure that other load on the machine does not skew.
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const result = {
    benchmark: "code-scan",
    filesGenerated: TOTAL,
    filesConsidered: report.stats.files,
    filesParsed: report.stats.parsed,
    seconds: Number(seconds.toFixed(2)),
    filesPerSecond: Math.round(TOTAL / seconds),
    /** Files the scanner looked at (the generated Markdown pages are not among them). */
    consideredPerSecond: Math.round(report.stats.files / seconds),
    cores: availableParallelism(),
    cpuSeconds: Number(cpuSeconds.toFixed(2)),
    filesPerCpuSecond: Math.round(TOTAL / cpuSeconds),
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
    sdks: report.sdks.length,
    models: report.models.length,
    findings: report.findings.length,
    skipped: report.skipped.length,
    generateSeconds: Number((generateMs / 1000).toFixed(2)),
    node: process.version,
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(root, { recursive: true, force: true });
}
