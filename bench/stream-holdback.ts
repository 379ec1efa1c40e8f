/**
 * Streaming hold-back: how many characters of a streamed answer the gateway's detector (PII and
 * secrets combined, as `guards.ts` streams answers) holds back after each chunk, and after how
 * many chunks the first text is released, before and after hold-back followed pending matches.
 * "before" forces the old fixed window (holdFrom = buffer end - 1,676, the old combined
 * holdBack, plus the old PEM keyword rule); it exists here only for comparison. Prints JSON.
 * Run: npm run bench:stream-holdback
 */
import {
  combineDetectors,
  createIncrementalDetector,
  createPiiDetector,
  createSecretsDetector,
  loadSecretRules,
  type TextDetector,
} from "../src/detect/index.js";
import { createKeywordMatcher } from "../src/detect/secrets/index.js";
import { mulberry32 } from "./pii-corpus.js";

const CHUNK = 4;
/** What `createAnswerStream` in src/gateway/guards.ts passes. */
const GATEWAY_MIN_SCAN = 32;

const WORDS = `the a of to and in is it you that was for on are with as his they be at one have this from or had by
not word but what some we can out other were all there when up use your how said an each she which do their time if will
way about many then them write would like so these her long make thing see him two has look more day could go come did
number sound no most people my over know water than call first who may down side been now find any new work part take
get place made live where after back little only round man year came show every good me give our under name very through
configure server request token limit deploy cluster image version update install network policy storage cache`.split(
  /\s+/,
);

/** Answer-like prose: capitalised sentences, commas, the odd number and list item. */
function prose(length: number, seed: number): string {
  const random = mulberry32(seed);
  let text = "";
  while (text.length < length) {
    const words = Array.from(
      { length: 6 + Math.floor(random() * 12) },
      () => WORDS[Math.floor(random() * WORDS.length)],
    );
    if (random() < 0.2) words.splice(2, 0, String(Math.floor(random() * 20) + 1));
    if (random() < 0.3) words[Math.floor(words.length / 2)] += ",";
    const sentence = words.join(" ");
    text += `${random() < 0.15 ? "\n- " : ""}${sentence[0]?.toUpperCase()}${sentence.slice(1)}. `;
  }
  return text.slice(0, length);
}

const PEM_BODY =
  "Wn1FNmpCMLzBLu2+iW/JVKcw3wi60NHYATT27zTSaknq5D+MxBlYPE9MGp1Y20H8\nY6rPkTLD0o+NjSayUT66RELUfBGRvrG+aGd1WsIJYcLnZ8nhEIWPBSGeYBr9Jpiz\nQC9G4vyVHp8eFCySlNT5+Mu6TSUCMeuKC3vuYRuAeInNP3CT90z2QvMvKsQkFsDh\n";

const CODE = `import { createServer } from "node:http";

interface Options {
  port: number;
  retries?: number;
}

/** Start the server and retry on EADDRINUSE. */
export async function start(options: Options): Promise<void> {
  const server = createServer((req, res) => {
    if (req.url === "/health") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, uptime: process.uptime() }));
      return;
    }
    res.writeHead(404).end();
  });
  for (let attempt = 0; attempt <= (options.retries ?? 3); attempt++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port, () => resolve());
      });
      return;
    } catch (error) {
      console.warn(\`port \${options.port} busy, attempt \${attempt}\`, error);
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }
  throw new Error("could not bind");
}
`;

const SCENARIOS: { name: string; text: string }[] = [
  { name: "prose-2kb", text: prose(2048, 1) },
  {
    name: "prose-card-email",
    text: `${prose(700, 2)}Your card 4111 1111 1111 1111 is on file; write to jane.doe@example.com to change it. ${prose(1200, 3)}`,
  },
  {
    name: "pem-key",
    text: `${prose(500, 4)}Here is the key:\n-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY.repeat(20)}-----END RSA PRIVATE KEY-----\n${prose(500, 5)}`,
  },
  { name: "code", text: `Here is the server:\n\n\`\`\`ts\n${CODE}\`\`\`\n\n${prose(400, 6)}` },
  // Long enough that the old fixed window scanned all along too: the steady-state cost.
  { name: "prose-8kb", text: prose(8192, 7) },
];

/** The combined detector as it streamed before: a fixed window plus the PEM keyword rule. */
function withFixedWindow(detector: TextDetector): TextDetector {
  const holdBack = 1676;
  const long = loadSecretRules().rules.filter((r) => r.maxMatchLength > 600);
  const longKeywords = createKeywordMatcher([...new Set(long.flatMap((r) => r.rule.keywords))]);
  const longest = Math.max(...long.map((r) => r.maxMatchLength));
  return {
    ...detector,
    stream: {
      holdBack: Number.POSITIVE_INFINITY,
      lookback: detector.stream?.lookback ?? 0,
      holdFrom(text) {
        let from = Math.max(0, text.length - holdBack);
        const tail = Math.max(0, text.length - longest);
        longKeywords.scan(text.slice(tail), (_k, end) => {
          from = Math.min(from, Math.max(0, tail + end - 600 - 64));
        });
        return from;
      },
    },
  };
}

function measure(detector: TextDetector, text: string, minScanChars: number) {
  const chunks = text.match(/[\s\S]{1,4}/g) ?? [];
  const held: number[] = [];
  let firstRelease = -1;
  let released = "";
  const started = process.cpuUsage();
  const inc = createIncrementalDetector(detector, { minScanChars });
  for (const [i, chunk] of chunks.entries()) {
    const segment = inc.push(chunk);
    if (segment && segment.text.length > 0 && firstRelease < 0) firstRelease = i + 1;
    released += segment?.text ?? "";
    held.push(inc.pending);
  }
  released += inc.end()?.text ?? "";
  const cpu = process.cpuUsage(started);
  const elapsed = cpu.user + cpu.system;
  if (released !== text) throw new Error("released text differs from the input");
  return {
    held_chars: percentiles(held),
    first_release_chunk: firstRelease < 0 ? chunks.length + 1 : firstRelease,
    cpu_per_chunk_us: round(elapsed / chunks.length),
  };
}

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

const after = combineDetectors([
  createPiiDetector({ tagger: !process.argv.includes("--no-tagger") }),
  createSecretsDetector(),
]);
const before = withFixedWindow(after);
// Warm up the JIT, the gazetteer and the rule set.
for (const { text } of SCENARIOS) {
  measure(after, text, GATEWAY_MIN_SCAN);
  measure(before, text, GATEWAY_MIN_SCAN);
}

const result = {
  benchmark: "stream-holdback",
  detector: "pii+secrets combined (the gateway's streamed-answer guard)",
  chunk_chars: CHUNK,
  min_scan_chars: GATEWAY_MIN_SCAN,
  scenarios: SCENARIOS.map(({ name, text }) => ({
    name,
    chars: text.length,
    chunks: Math.ceil(text.length / CHUNK),
    before: measure(before, text, GATEWAY_MIN_SCAN),
    after: measure(after, text, GATEWAY_MIN_SCAN),
    after_min_scan_8: measure(after, text, 8),
  })),
  node: process.version,
};
console.log(JSON.stringify(result, null, 2));
