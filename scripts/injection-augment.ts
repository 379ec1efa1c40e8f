/**
 * Composed training texts for the injection classifier. The public sets teach "long role-play =
 * jailbreak" well but have few short task-switch injections ("Great. Now forget that and …"),
 * few non-English texts of either label, and few benign prompts that share an attack's shape.
 * This builds both labels from the same parts (carriers, praise, connectors) written in
 * fixtures/train-augment.json, so what separates them is the instruction itself.
 * Carriers come only from the training texts passed in, so a fold or the test split never leaks.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { FIXTURES, languageOf, type Sample, textKey } from "../bench/injection-data.js";
import { createRandom } from "../src/detect/injection/index.js";

const PerLanguage = z.record(z.string(), z.array(z.string()).min(1));
const Phrases = z.array(z.string()).min(1);
/** Parts of a persona prompt: a jailbreak and a harmless role-play are built the same way. */
const RolePlay = z.object({ intros: Phrases, claims: Phrases, rules: Phrases, triggers: Phrases });
const AugmentFileSchema = z.object({
  subjects: PerLanguage,
  praise: PerLanguage,
  connectors: PerLanguage,
  overrides: PerLanguage,
  payloads: PerLanguage,
  personas: PerLanguage,
  personaNames: z.array(z.string()).min(1),
  followups: PerLanguage,
  questionTemplates: PerLanguage,
  topics: PerLanguage,
  triggerBenign: PerLanguage,
  harmful: z.array(z.string()).min(1),
  requests: z.array(z.string()).min(1),
  roles: z.array(z.string()).min(1),
  jailbreak: RolePlay,
  roleplay: RolePlay,
  framings: z.object({
    unrestricted: z.array(z.string()).min(1),
    context: z.array(z.string()).min(1),
    benign: z.array(z.string()).min(1),
  }),
});
type AugmentFile = z.infer<typeof AugmentFileSchema>;

/** Share of clauses written in each language; English first, as in the public data. */
const LANGUAGE_WEIGHTS: Record<string, number> = { en: 4, de: 3, fr: 1, es: 1, zh: 1, it: 0.5, pt: 0.5, nl: 0.5 };

export function loadAugmentParts(): AugmentFile {
  return AugmentFileSchema.parse(JSON.parse(readFileSync(join(FIXTURES, "train-augment.json"), "utf8")));
}

export interface AugmentOptions {
  seed: number;
  /** How many texts of each label to compose. */
  perLabel: number;
  /** How many benign texts to compose per attack (default 1). */
  benignRatio?: number;
  /** Keys (textKey) of texts that must not be produced, e.g. every public and evaluation text. */
  exclude?: ReadonlySet<string>;
}

/** Compose `perLabel` attacks and `perLabel` benign texts around the given training texts. */
export function augment(train: readonly Sample[], options: AugmentOptions, parts = loadAugmentParts()): Sample[] {
  const random = createRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const languages = Object.keys(LANGUAGE_WEIGHTS);
  const total = Object.values(LANGUAGE_WEIGHTS).reduce((a, b) => a + b, 0);
  const language = (): string => {
    let r = random() * total;
    for (const l of languages) {
      r -= LANGUAGE_WEIGHTS[l] ?? 0;
      if (r <= 0) return l;
    }
    return "en";
  };
  type PerLanguageKind =
    | "subjects"
    | "praise"
    | "connectors"
    | "overrides"
    | "payloads"
    | "personas"
    | "followups"
    | "questionTemplates"
    | "topics"
    | "triggerBenign";
  const part = (kind: PerLanguageKind, lang: string): string => pick(parts[kind][lang] ?? parts[kind].en ?? [""]);
  const some = (list: readonly string[], most: number): string[] => {
    const count = 1 + Math.floor(random() * most);
    return Array.from({ length: count }, () => pick(list)).filter((x, i, all) => all.indexOf(x) === i);
  };
  /** A persona prompt: intro, claims, rules and a first request, with the slots filled. */
  const persona = (kind: "jailbreak" | "roleplay", request: string): string => {
    const p = parts[kind];
    const name = pick(parts.personaNames);
    const role = pick(parts.roles);
    const body = [
      pick(p.intros),
      ...some(p.claims, kind === "jailbreak" ? 3 : 2),
      ...some(p.rules, 2),
      pick(p.triggers),
    ];
    return body
      .join(random() < 0.5 ? " " : "\n")
      .replaceAll("{N}", name)
      .replaceAll("{R}", role)
      .replaceAll("{Q}", request);
  };
  const carriers = train.filter((s) => s.label === 0 && s.text.length <= 400).map((s) => s.text.trim());
  const question = (lang: string): string => {
    const topics = parts.topics[lang] ?? parts.topics.en ?? [];
    const t = pick(topics);
    let u = pick(topics);
    if (u === t) u = pick(topics);
    return part("questionTemplates", lang).replaceAll("{T}", t).replaceAll("{U}", u);
  };
  // A benign opening: a real training prompt or a composed question, sometimes two (as in deepset).
  const opening = (lang: string): string => {
    const one = () =>
      random() < 0.6 && carriers.length > 0 ? pick(carriers) : question(random() < 0.7 ? lang : language());
    return random() < 0.25 ? `${one()} ${one()}` : one();
  };
  const fill = (text: string, lang: string): string =>
    text.replaceAll("{X}", part("subjects", lang)).replaceAll("{N}", pick(parts.personaNames));
  const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
  const join2 = (a: string, b: string): string => `${a}${random() < 0.3 ? "\n\n" : " "}${b}`;

  const attack = (): string => {
    const lang = language();
    const override = part("overrides", lang);
    const payload = fill(part("payloads", lang), lang);
    const switchTask = `${part("praise", lang)} ${part("connectors", lang)} ${override}: ${payload}.`;
    switch (Math.floor(random() * 8)) {
      case 5:
        return persona("jailbreak", random() < 0.7 ? pick(parts.harmful) : pick(parts.requests));
      case 6:
        return pick(parts.framings.unrestricted).replaceAll(
          "{Q}",
          pick(random() < 0.7 ? parts.harmful : parts.requests),
        );
      case 7:
        return pick(parts.framings.context).replaceAll("{Q}", pick(parts.harmful));
      case 0:
        return join2(opening(language()), switchTask);
      case 1:
        return `${sentence(override)}. ${sentence(payload)}.`;
      case 2:
        return join2(opening(language()), `${sentence(override)}${lang === "en" ? " and " : ", "}${payload}.`);
      case 3:
        return `${fill(part("personas", lang), lang)} ${sentence(payload)}.`;
      default:
        return join2(`${sentence(override)}.`, opening(language()));
    }
  };
  const benign = (): string => {
    const lang = language();
    switch (Math.floor(random() * 7)) {
      case 4:
        return persona("roleplay", pick(parts.requests));
      case 5:
        return pick(parts.framings.context).replaceAll("{Q}", pick(parts.requests));
      case 6:
        return random() < 0.5 ? pick(parts.framings.benign) : join2(opening("en"), pick(parts.framings.benign));
      case 0:
        return join2(
          opening(language()),
          `${part("praise", lang)} ${part("connectors", lang)} ${part("followups", lang)}`,
        );
      case 1:
        return random() < 0.5 ? question(lang) : `${question(lang)} ${question(lang)}`;
      case 2:
        return random() < 0.5 ? part("triggerBenign", lang) : join2(opening(language()), part("triggerBenign", lang));
      default:
        return join2(opening(language()), question(lang));
    }
  };

  const out: Sample[] = [];
  const seen = new Set(train.map((s) => s.key));
  const add = (text: string, label: 0 | 1): void => {
    const key = textKey(text);
    // A composed text that equals a known (possibly held-out) text is skipped, never trained on.
    if (seen.has(key) || options.exclude?.has(key)) return;
    seen.add(key);
    out.push({
      text,
      label,
      source: `palisade-augment-${label}`,
      category: "augment",
      lang: languageOf(text),
      split: "train",
      key,
    });
  };
  const fillLabel = (label: 0 | 1, count: number, make: () => string): void => {
    const target = out.length + count;
    for (let i = 0; i < count * 3 && out.length < target; i++) add(make(), label);
  };
  fillLabel(1, options.perLabel, attack);
  fillLabel(0, Math.round(options.perLabel * (options.benignRatio ?? 1)), benign);
  return out;
}
