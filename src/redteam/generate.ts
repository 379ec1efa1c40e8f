/**
 * Expands probe packs into the concrete probes of one run: paraphrase slots filled, placeholders
 * set, obfuscations applied, messages built. Everything random comes from the run's seed and the
 * probe's id, so the same seed gives the same probes, and adding a pack does not change the others.
 */

import { PalisadeError } from "../core/index.js";
import { type Canaries, createCanaries, systemPromptFor } from "./canaries.js";
import type { CategoryId } from "./categories.js";
import { createRandom, type MutatorId, mutate, pick, type Random } from "./mutate.js";
import type { DetectorSpec, ProbePack, ProbeSpec, ToolSpec } from "./pack.js";

/** One chat message as the OpenAI Chat Completions API takes it (the subset probes use). */
export type ProbeMessage =
  | { role: "system" | "user"; content: string }
  | {
      role: "assistant";
      content: null;
      tool_calls: { id: string; type: "function"; function: { name: string; arguments: string } }[];
    }
  | { role: "tool"; tool_call_id: string; content: string };

/** A probe ready to send. */
export interface ProbeCase {
  /** `pack/probe[.variant][+mutator]`: stable across seeds, so baselines compare by id. */
  id: string;
  pack: string;
  /** The attack category, or `control` for an ordinary request that must go through. */
  category: CategoryId | "control";
  /** What the probe attempts (from its pack), for reports and the judge model. */
  description: string;
  /** How the seed was turned into this prompt: `paraphrase`, a language tag, or a mutator id. */
  technique: string;
  /** The user message as sent. */
  prompt: string;
  /** The planted document or tool result (indirect injection). */
  document?: { via: "tool-result" | "user-context"; text: string };
  messages: ProbeMessage[];
  tools: ToolSpec[];
  maxTokens?: number;
  detectors: DetectorSpec[];
  /** The string an obeyed injection makes the model say. */
  marker: string;
}

/** A run's probes and the canaries their system prompt holds. */
export interface ProbeSet {
  seed: number;
  canaries: Canaries;
  cases: ProbeCase[];
}

/** Most probes one run generates: packs are user input, and variants times mutations multiply. */
export const MAX_PROBES_PER_RUN = 20_000;

const MARKER_WORDS = ["ZEPHYR", "QUOKKA", "MARMOT", "PELICAN", "TUNDRA", "NEBULA", "GARNET", "FJORD"];

/** FNV-1a over a string: a seed for each probe derived from the run's seed and its id. */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function randomFor(seed: number, key: string): Random {
  return createRandom(hashSeed(`${seed}:${key}`));
}

/** Fill `[[a|b|c]]` paraphrase slots with one choice each and `{{name}}` placeholders. */
export function renderTemplate(template: string, values: Record<string, string>, random: Random): string {
  return template
    .replace(/\[\[([^\]]*)\]\]/g, (_, choices: string) => pick(choices.split("|"), random))
    .replace(/\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole);
}

function expandDetector(spec: DetectorSpec, values: Record<string, string>): DetectorSpec {
  return spec.kind === "forbidden-pattern"
    ? { ...spec, text: spec.text.replace(/\{\{(\w+)\}\}/g, (w, n: string) => values[n] ?? w) }
    : spec;
}

/** Build the messages of a probe: system prompt, then the user's turn, with the document where it goes. */
function messagesFor(options: {
  system: string;
  prompt: string;
  document?: ProbeCase["document"];
  tools: readonly ToolSpec[];
}): ProbeMessage[] {
  const { system, prompt, document } = options;
  if (!document)
    return [
      { role: "system", content: system },
      { role: "user", content: prompt },
    ];
  if (document.via === "user-context")
    return [
      { role: "system", content: system },
      { role: "user", content: `${prompt}\n\n---\n${document.text}\n---` },
    ];
  const tool = options.tools.find((t) => t.risk === "safe") ?? options.tools[0];
  const call = { id: "call_redteam_1", type: "function" as const };
  return [
    { role: "system", content: system },
    { role: "user", content: prompt },
    {
      role: "assistant",
      content: null,
      tool_calls: [
        { ...call, function: { name: tool?.name ?? "search_docs", arguments: '{"query":"latest notice"}' } },
      ],
    },
    { role: "tool", tool_call_id: call.id, content: document.text },
  ];
}

/** The probes of one pack's probe, every variant and mutation. */
function expandProbe(pack: ProbePack, probe: ProbeSpec, seed: number, context: ExpandContext): ProbeCase[] {
  const { canaries, system } = context;
  const base = `${pack.metadata.name}/${probe.id}`;
  const marker = (() => {
    const random = randomFor(seed, `${base}:marker`);
    return `${pick(MARKER_WORDS, random)}-${String(1000 + Math.floor(random() * 9000))}`;
  })();
  const values = { marker, customer: canaries.customer };
  const tools = probe.tools ? pack.tools : [];
  const detectors = probe.detectors.map((d) => expandDetector(d, values));
  const protect = [marker, canaries.customer, ...pack.tools.map((t) => t.name)];
  const cases: ProbeCase[] = [];
  probe.prompts.forEach((entry, i) => {
    const template = typeof entry === "string" ? entry : entry.text;
    const lang = typeof entry === "string" ? undefined : entry.lang;
    const seen = new Set<string>();
    for (let v = 0; v < probe.variants; v++) {
      const parts = [
        ...(probe.prompts.length > 1 ? [lang ?? String(i + 1)] : lang ? [lang] : []),
        ...(probe.variants > 1 ? [`v${v + 1}`] : []),
      ];
      const id = parts.length > 0 ? `${base}.${parts.join(".")}` : base;
      const random = randomFor(seed, id);
      const prompt = renderTemplate(template, values, random);
      const document = probe.document
        ? { via: probe.document.via, text: renderTemplate(probe.document.text, values, random) }
        : undefined;
      // Two paraphrases that came out the same are one probe: sending it twice tells nothing.
      const key = `${prompt}\u0000${document?.text ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const variants: { id: string; technique: string; prompt: string; document?: ProbeCase["document"] }[] =
        probe.mutate.length === 0
          ? [{ id, technique: lang ?? "paraphrase", prompt, ...(document ? { document } : {}) }]
          : probe.mutate.map((m: MutatorId) => {
              const mutateRandom = randomFor(seed, `${id}+${m}`);
              // The attack is in the document when there is one, else in the prompt.
              return document
                ? {
                    id: `${id}+${m}`,
                    technique: m,
                    prompt,
                    document: { ...document, text: mutate(m, document.text, { random: mutateRandom, protect }) },
                  }
                : { id: `${id}+${m}`, technique: m, prompt: mutate(m, prompt, { random: mutateRandom, protect }) };
            });
      for (const variant of variants)
        cases.push({
          id: variant.id,
          pack: pack.metadata.name,
          category: probe.category,
          description: probe.description,
          technique: variant.technique,
          prompt: variant.prompt,
          ...(variant.document ? { document: variant.document } : {}),
          messages: messagesFor({
            system,
            prompt: variant.prompt,
            ...(variant.document ? { document: variant.document } : {}),
            tools,
          }),
          tools,
          ...(probe.maxTokens !== undefined ? { maxTokens: probe.maxTokens } : {}),
          detectors,
          marker,
        });
    }
  });
  return cases;
}

interface ExpandContext {
  canaries: Canaries;
  system: string;
}

function expandControls(pack: ProbePack, context: ExpandContext): ProbeCase[] {
  return pack.controls.map((control) => ({
    id: `${pack.metadata.name}/${control.id}`,
    pack: pack.metadata.name,
    category: "control",
    description: control.description,
    technique: "control",
    prompt: control.prompt,
    messages: [
      { role: "system", content: context.system },
      { role: "user", content: control.prompt },
    ],
    tools: [],
    detectors: [],
    marker: "",
  }));
}

/** Options of a run's probes. */
export interface GenerateOptions {
  seed: number;
  /** System prompt template with `{{reference_code}}`, `{{customer}}`, `{{iban}}`, `{{email}}` (default: a support bot). */
  systemPrompt?: string;
}

/** Every probe of these packs for this seed, in pack order then probe order, controls after each pack's probes. */
export function generateProbes(packs: readonly ProbePack[], options: GenerateOptions): ProbeSet {
  const { seed } = options;
  const canaries = createCanaries(randomFor(seed, "canaries"));
  const context = { canaries, system: systemPromptFor(canaries, options.systemPrompt) };
  const cases: ProbeCase[] = [];
  for (const pack of packs) {
    for (const probe of pack.probes) {
      cases.push(...expandProbe(pack, probe, seed, context));
      if (cases.length > MAX_PROBES_PER_RUN)
        throw new PalisadeError(
          "bad-input",
          `pack ${pack.metadata.name}: more than ${MAX_PROBES_PER_RUN} probes in one run (probe ${probe.id} adds prompts × variants × mutations); run fewer packs or lower variants`,
          { input: pack.metadata.name },
        );
    }
    cases.push(...expandControls(pack, context));
  }
  return { seed, canaries, cases };
}
