/** The PII detector: built-in and organisation recognisers, per-entity thresholds, best-span overlaps. */
import type { Detection, TextDetector } from "../detection.js";
import { resolveOverlaps } from "../overlap.js";
import { toOriginalDetections, toScanText } from "../scan-text.js";
import { builtinRecognizers } from "./builtin.js";
import { loadGazetteer } from "./gazetteer.js";
import { createPiiStreamProfile } from "./hold.js";
import { createNameTaggerRecognizer, loadNameTagger } from "./name-tagger.js";
import { createNlpNamesRecognizer } from "./nlp-names.js";
import { createScanHints, type Recognizer } from "./recognizer.js";

export interface PiiDetectorOptions {
  /** Only these entity types (default: all). */
  entities?: readonly string[];
  /** Score a span needs to be reported, per entity; `default` applies to the rest (0.5). */
  thresholds?: Readonly<Record<string, number>>;
  /** Extra recognisers, e.g. from the policy's custom PII section. */
  extra?: readonly Recognizer[];
  /** Leave out the built-in recognisers (only `extra` run). */
  builtins?: boolean;
  /**
   * Names, places and organisations: `fast` runs the gazetteer and the name tagger (default),
   * `full` adds an NLP pass (compromise, nlp-names.ts) to them, `off` leaves all three out (PERSON, LOCATION and
   * ORGANIZATION are then never reported; street addresses still are, by the address grammar),
   * trading recall for latency.
   */
  names?: PiiNamesMode;
  /**
   * With names `fast` or `full`, the name tagger (name-tagger.ts) adds people, places and organisations
   * the lists and rules miss (default true; false gives the detector as it was without it).
   */
  tagger?: boolean;
}

/** How names, places and organisations are found (see `PiiDetectorOptions.names`). */
export const PII_NAMES_MODES = ["off", "fast", "full"] as const;
export type PiiNamesMode = (typeof PII_NAMES_MODES)[number];

/** Every entity type the built-in recognisers report. */
export function piiEntities(): string[] {
  return [...new Set(builtinRecognizers().flatMap((r) => r.entities))].sort();
}

/** The recognisers `names: off` leaves out. */
const NAME_RECOGNIZERS: ReadonlySet<string> = new Set(["gazetteer", "gazetteer-lower-case"]);

/** The entities `names: off` never reports. */
const NAME_ENTITIES: ReadonlySet<string> = new Set(["PERSON", "LOCATION", "ORGANIZATION"]);

/** Characters around a span searched for context words. */
export const PII_CONTEXT_REACH = 48;
const DEFAULT_THRESHOLD = 0.5;

export function createPiiDetector(options: PiiDetectorOptions = {}): TextDetector {
  const wanted = options.entities ? new Set(options.entities) : undefined;
  const builtins = options.builtins === false ? [] : builtinRecognizers();
  const recognizers = [
    ...(options.names === "off" ? builtins.filter((r) => !NAME_RECOGNIZERS.has(r.id)) : builtins),
    ...(options.names === "off" || options.builtins === false || options.tagger === false
      ? []
      : [createNameTaggerRecognizer(loadNameTagger, loadGazetteer)]),
    ...(options.names === "full" ? [createNlpNamesRecognizer(loadGazetteer)] : []),
    ...(options.extra ?? []),
  ].filter((r) => !wanted || r.entities.some((e) => wanted.has(e)));
  // With names off, a letterhead's city, country and organisation lines go unreported too.
  const dropped: ReadonlySet<string> = options.names === "off" ? NAME_ENTITIES : new Set();
  const thresholds = options.thresholds ?? {};
  const thresholdOf = (entity: string) => thresholds[entity] ?? thresholds.default ?? DEFAULT_THRESHOLD;
  return {
    kind: "pii",
    maxSpanLength: Math.max(1, ...recognizers.map((r) => r.maxLength)),
    contextReach: PII_CONTEXT_REACH,
    stream: createPiiStreamProfile({ recognizers, contextReach: PII_CONTEXT_REACH }),
    detect(input) {
      // Recognisers see NFKC without invisible characters; spans are moved back onto `input`.
      const scan = toScanText(input);
      const text = scan.text;
      const candidates: Detection[] = [];
      const hints = createScanHints(text);
      for (const recognizer of recognizers) {
        for (const d of recognizer.recognize(text, PII_CONTEXT_REACH, hints)) {
          if (d.score >= thresholdOf(d.entity) && (!wanted || wanted.has(d.entity)) && !dropped.has(d.entity))
            candidates.push(d);
        }
      }
      return toOriginalDetections(resolveOverlaps(candidates), scan);
    },
  };
}
