/**
 * `palisade detect pii|secrets`: find (and optionally redact) personal data and secrets in text,
 * or evaluate the detector on a labelled file. One engine for both kinds, a table of differences.
 */
import { performance } from "node:perf_hooks";
import { type Command, Option } from "commander";
import { PalisadeError } from "../../core/index.js";
import {
  createLineIndex,
  createPiiDetector,
  createPseudonymTable,
  createSecretsDetector,
  type Detection,
  type DetectorKind as DetectorFamily,
  type EvalRecord,
  GOLD_TYPE_ALIASES,
  loadSecretRules,
  maskValue,
  PII_NAMES_MODES,
  type PiiNamesMode,
  parseEvalRecords,
  piiEntities,
  REDACTION_STYLES,
  type RedactionStyle,
  redact,
  type SecretRuleSet,
  scoreSpans,
  type TextDetector,
} from "../../detect/index.js";
import { formatOption, withExamples } from "../command-helpers.js";
import { readFileText, readTextInput } from "../input.js";
import { createOutput, renderTable } from "../output.js";

interface DetectorKind {
  name: DetectorFamily;
  description: string;
  create(options: { entities?: string[]; threshold?: number; names?: PiiNamesMode }): TextDetector;
  entities(): string[];
  /** Options only this kind takes (`--names` for PII). */
  options?: () => Option[];
  examples: string[];
}

/** The shipped secret rules, read and compiled once per command (entity list and detector share them). */
let shippedSecretRules: SecretRuleSet | undefined;
const secretRules = (): SecretRuleSet => {
  shippedSecretRules ??= loadSecretRules();
  return shippedSecretRules;
};

/**
 * What a person should do about a finding, as data: one line per detector kind, and other steps
 * for entity families that need them. Shown per finding in JSON and under the table.
 */
const REMEDIATIONS: Record<
  DetectorFamily,
  { default: string; families: readonly { entities: readonly string[]; text: string }[] }
> = {
  pii: { default: "remove or redact this value (palisade detect pii --redact mask)", families: [] },
  secrets: {
    default: "revoke and rotate this credential, then remove it from the file and its history",
    families: [
      {
        entities: ["PRIVATE_KEY", "AGE_SECRET_KEY", "GCP_SERVICE_ACCOUNT_KEY"],
        text: "revoke this key and issue a new one, then remove it from the file and its history",
      },
      {
        entities: ["PASSWORD", "CONNECTION_STRING_PASSWORD", "HTTP_BASIC_AUTH"],
        text: "change this password wherever it is used, then remove it from the file and its history",
      },
      {
        entities: ["DISCORD_WEBHOOK_URL", "SLACK_WEBHOOK_URL", "TEAMS_WEBHOOK_URL"],
        text: "delete this webhook and create a new one, then remove it from the file and its history",
      },
    ],
  },
};

function remediationFor(detection: Pick<Detection, "detector" | "entity">): string {
  const remediation = REMEDIATIONS[detection.detector];
  return remediation.families.find((f) => f.entities.includes(detection.entity))?.text ?? remediation.default;
}

const KINDS: DetectorKind[] = [
  {
    name: "pii",
    description: "find personal data (cards, IBANs, SSNs, phones, e-mail, names, addresses...) in text",
    create: ({ entities, threshold, names }) =>
      createPiiDetector({
        ...(entities ? { entities } : {}),
        ...(threshold === undefined ? {} : { thresholds: { default: threshold } }),
        ...(names ? { names } : {}),
      }),
    entities: piiEntities,
    options: () => [
      new Option("--names <mode>", "names, places and organisations: gazetteer (fast), plus NLP (full), or off")
        .choices(PII_NAMES_MODES)
        .default("fast"),
    ],
    examples: [
      'palisade detect pii --text "my card is 4111 1111 1111 1111"',
      "palisade detect pii chat.txt --redact mask --format json",
      "cat answer.txt | palisade detect pii - --redact placeholder",
      "palisade detect pii --eval ../shared/datasets/pii/presidio-research/synth_dataset_v2.json --format json",
      "palisade detect pii --names full --text 'Unlike the Takuda novel, the song by Sousa was loud.'",
    ],
  },
  {
    name: "secrets",
    description: "find secrets (AI provider keys, cloud and code-host tokens, private keys, passwords) in text",
    create: ({ entities, threshold }) => {
      const rules = secretRules();
      const wanted = entities ? new Set(entities) : undefined;
      return createSecretsDetector({
        rules,
        ...(wanted ? { disable: rules.rules.filter((r) => !wanted.has(r.rule.entity)).map((r) => r.rule.id) } : {}),
        ...(threshold === undefined ? {} : { minScore: threshold }),
      });
    },
    entities: () => [...new Set(secretRules().rules.map((r) => r.rule.entity))].sort(),
    examples: [
      "palisade detect secrets .env",
      "git diff | palisade detect secrets - --format json",
      "palisade detect secrets config.yaml --redact mask --keep-last 4",
    ],
  },
];

interface DetectOptions {
  text?: string;
  redact?: RedactionStyle;
  keepLast: string;
  hashKeyEnv?: string;
  entities?: string;
  threshold?: string;
  eval?: string;
  names?: PiiNamesMode;
  format: string;
}

/** Add `pii` and `secrets` to the `detect` group (main.ts defines it when used: the choices come from detect). */
export function registerDetect(detect: Command): Command {
  for (const kind of KINDS) registerKind(detect, kind);
  return detect;
}

function registerKind(detect: Command, kind: DetectorKind): void {
  const command = detect
    .command(kind.name)
    .description(kind.description)
    .argument("[file]", "file to read, or - for stdin (default: stdin)")
    .option("-t, --text <text>", "text to scan instead of a file")
    .addOption(new Option("-r, --redact <style>", "print the text redacted in this style").choices(REDACTION_STYLES))
    .option("--keep-last <n>", "mask style: characters left visible", "4")
    .option("--hash-key-env <var>", "hash style: environment variable holding the HMAC key")
    .option("-e, --entities <list>", `comma-separated entity types (default: all of ${kind.name})`)
    .option("--threshold <score>", "minimum score to report (0..1, default per entity)")
    .option("--eval <file>", "evaluate on labelled JSONL {text, spans} or Presidio JSON; prints precision/recall/F1/F2")
    .addOption(formatOption())
    .action(async (file: string | undefined, options: DetectOptions) => {
      const entities = options.entities?.split(",").map((e) => e.trim().toUpperCase());
      const unknown = entities?.filter((e) => !kind.entities().includes(e)) ?? [];
      if (unknown.length > 0) {
        throw new PalisadeError(
          "bad-usage",
          `unknown entity ${unknown.join(", ")} (known: ${kind.entities().join(", ")})`,
          {
            input: unknown.join(","),
          },
        );
      }
      const threshold = options.threshold === undefined ? undefined : parseUnit(options.threshold, "--threshold");
      const createDetector = () =>
        kind.create({
          ...(entities ? { entities } : {}),
          ...(threshold === undefined ? {} : { threshold }),
          ...(options.names ? { names: options.names } : {}),
        });
      const out = createOutput();
      if (options.eval) {
        const records = readEvalRecords(options.eval);
        const report = evaluate(createDetector(), {
          file: options.eval,
          records,
          entities: entities ?? kind.entities(),
        });
        if (options.format === "json") out.json(report);
        else {
          const rows = Object.entries(report.entities).map(([e, s]) => [
            e,
            s.precision,
            s.recall,
            s.f1,
            s.f2,
            s.tp,
            s.fp,
            s.fn,
          ]);
          rows.push([
            "OVERALL",
            ...Object.values(report.overall).slice(0, 4),
            report.overall.tp,
            report.overall.fp,
            report.overall.fn,
          ]);
          out.text(renderTable(["ENTITY", "PRECISION", "RECALL", "F1", "F2", "TP", "FP", "FN"], rows));
          out.text(
            `\n${report.records} records, ${report.throughput_mb_s} MB/s, ${report.ms_per_record} ms per record`,
          );
        }
        return;
      }
      // Input first: a missing, binary or absent input fails before the detector's lists load.
      const input = await readTextInput({ text: options.text, file });
      const detections = createDetector().detect(input.text);
      const style = options.redact;
      const redacted = style
        ? redact(input.text, detections, {
            style,
            keepLast: parseCount(options.keepLast),
            ...(style === "hash" ? { hashKey: hashKey(options.hashKeyEnv) } : {}),
            ...(style === "pseudonym" ? { pseudonyms: createPseudonymTable() } : {}),
          }).text
        : undefined;
      const lines = createLineIndex(input.text);
      const rows = detections.map((d) => ({
        entity: d.entity,
        start: d.start,
        end: d.end,
        ...lines.positionOf(d.start),
        score: d.score,
        rule: d.ruleId,
        reasons: d.reasons,
        // Never echo a full secret: the preview keeps only the last four characters.
        preview: maskValue(input.text.slice(d.start, d.end), 4),
        remediation: remediationFor(d),
      }));
      if (options.format === "json") {
        out.json({ source: input.source, detections: rows, ...(redacted === undefined ? {} : { redacted }) });
        return;
      }
      if (redacted !== undefined) {
        out.text(redacted);
        return;
      }
      if (rows.length === 0) {
        out.text("no findings");
        return;
      }
      const where = (r: { line: number; column: number }) =>
        input.file === undefined ? `${r.line}:${r.column}` : `${input.file}:${r.line}:${r.column}`;
      out.text(
        renderTable(
          ["LOCATION", "ENTITY", "SCORE", "RULE", "PREVIEW"],
          rows.map((r) => [where(r), r.entity, r.score, r.rule, r.preview]),
        ),
      );
      out.text("");
      for (const line of remediationFooter(rows)) out.text(line);
    });
  for (const option of kind.options?.() ?? []) command.addOption(option);
  withExamples(command, kind.examples);
}

/** One line per distinct remediation under the findings table, naming the entities when they differ. */
function remediationFooter(rows: readonly { entity: string; remediation: string }[]): string[] {
  const byText = new Map<string, Set<string>>();
  for (const r of rows) byText.set(r.remediation, (byText.get(r.remediation) ?? new Set()).add(r.entity));
  if (byText.size === 1) return [...byText.keys()].map((text) => `remediation: ${text}`);
  return [...byText].map(([text, entities]) => `remediation (${[...entities].join(", ")}): ${text}`);
}

function readEvalRecords(file: string): EvalRecord[] {
  const records = parseEvalRecords(readFileText(file), file);
  if (records.length === 0) throw new PalisadeError("bad-input", `no labelled examples in ${file}`, { input: file });
  return records;
}

function evaluate(
  detector: TextDetector,
  { file, records, entities }: { file: string; records: readonly EvalRecord[]; entities: readonly string[] },
) {
  // Count only types both sides know: the detector's, and those the gold data labels at all
  // (a dataset without dates of birth must not turn every detected one into a false positive).
  const labelled = new Set(records.flatMap((r) => r.spans.map((s) => GOLD_TYPE_ALIASES[s.type] ?? s.type)));
  const supported = new Set(entities.filter((e) => labelled.has(e)));
  // Nothing to score would read as perfect precision and recall: refuse it instead.
  if (supported.size === 0) {
    const found = labelled.size === 0 ? "no spans at all" : `only ${[...labelled].sort().join(", ")}`;
    throw new PalisadeError("bad-input", `no labelled examples in ${file} for these entities (it labels ${found})`, {
      input: file,
    });
  }
  detector.detect("Warm up: John Smith, 4111 1111 1111 1111, +1 415 555 2671."); // load lists and JIT before timing
  const started = performance.now();
  const items = records.map((r) => ({ gold: r.spans, predicted: detector.detect(r.text) }));
  const elapsed = performance.now() - started;
  const bytes = records.reduce((n, r) => n + Buffer.byteLength(r.text), 0);
  const scored = scoreSpans(items, supported);
  return {
    records: records.length,
    ...scored,
    throughput_mb_s: Math.round((bytes / 1e6 / (elapsed / 1000)) * 100) / 100,
    ms_per_record: Math.round((elapsed / Math.max(1, records.length)) * 1000) / 1000,
  };
}

function parseUnit(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new PalisadeError("bad-usage", `${flag} must be a number from 0 to 1, got ${value}`, { input: value });
  return n;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new PalisadeError("bad-usage", `--keep-last must be a whole number, got ${value}`, { input: value });
  return n;
}

function hashKey(envVar: string | undefined): string {
  const name = envVar ?? "PALISADE_HASH_KEY";
  const key = process.env[name];
  if (!key)
    throw new PalisadeError(
      "bad-usage",
      `--redact hash needs an HMAC key in $${name} (or name another variable with --hash-key-env)`,
      { input: name },
    );
  return key;
}
