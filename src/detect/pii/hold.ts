/**
 * How much of a streamed answer the PII detector still needs to hold back. Text is held from the
 * earliest of:
 * - a match attempt that may still read past the end of the text: for a pattern recogniser, a
 *   start position whose run of characters the pattern can consume reaches the end (a trailing
 *   word for an e-mail, a trailing run of digits and separators for a card, IBAN or phone number);
 * - a capitalised-word run the gazetteer may still extend (`Donald van der` waiting for `Voet`);
 * - a candidate, of any score, whose context window after it is not complete yet, since a context
 *   word there may still raise or lower its score;
 * - and then the start of any candidate crossing that point, so that overlap resolution on the
 *   left of the cut cannot depend on what arrives later.
 * Everything before that point is final, so streaming releases it with the spans found there.
 */
import type { Detection, StreamProfile } from "../detection.js";
import { toScanText } from "../scan-text.js";
import { holdBefore } from "../stream.js";
import { isNameBreak, NAME_WINDOW, openNameRunStart } from "./hold-names.js";
import { createScanHints, type Recognizer } from "./recognizer.js";

/**
 * How the matches of one pattern recogniser are built, for streaming. Must describe the pattern
 * conservatively (a superset): hold.test.ts checks it against what the recogniser reports.
 */
export interface TokenShape {
  /** Every character of a match. */
  body: RegExp;
  /** The first character of a match. */
  first: RegExp;
  /** A character before a match that the pattern's lookbehind rules out. */
  notAfter?: RegExp;
  /** A sticky test for how a match begins, run where `startLength` characters are available. */
  start?: RegExp;
  startLength?: number;
  /** Farthest a match attempt reads from its start: the longest match plus lookahead. */
  reach: number;
  /**
   * How many characters the lookahead after a match may read, counted from the first character
   * the pattern cannot consume: 1 for `(?![\w-]|\.[A-Za-z0-9])` in an e-mail, since its second
   * character is read only after a `.`, which the pattern can consume.
   */
  lookahead: number;
  /** The score depends on words after the span (context, negative context, followed-by). */
  contextAfter: boolean;
}

const DIGIT = /\d/;
const ALNUM = /[A-Za-z0-9]/;
const HEX = /[0-9A-Fa-f]/;

/** The built-in pattern recognisers' shapes, by recogniser id (patterns in builtin.ts). */
export const BUILTIN_SHAPES: Readonly<Record<string, TokenShape>> = {
  "email-address": {
    body: /[A-Za-z0-9._%+@-]/,
    first: ALNUM,
    notAfter: /[\w.%+-]/,
    reach: 539,
    lookahead: 1,
    contextAfter: false,
  },
  "credit-card": { body: /[0-9 -]/, first: DIGIT, notAfter: /[\w-]/, reach: 39, lookahead: 1, contextAfter: true },
  iban: {
    body: /[A-Za-z0-9 ]/,
    first: /[A-Za-z]/,
    notAfter: /[A-Za-z0-9]/,
    start: /[A-Za-z]{2}\d{2}/y,
    startLength: 4,
    reach: 44,
    lookahead: 1,
    contextAfter: true,
  },
  "us-ssn": { body: /[0-9 -]/, first: DIGIT, notAfter: /[\d-]/, reach: 13, lookahead: 1, contextAfter: true },
  "us-ssn-undelimited": { body: DIGIT, first: DIGIT, notAfter: /[\w-]/, reach: 11, lookahead: 2, contextAfter: true },
  "aba-routing-number": {
    body: /[0-9-]/,
    first: DIGIT,
    notAfter: /[\w-]/,
    reach: 13,
    lookahead: 1,
    contextAfter: true,
  },
  "us-bank-number": { body: DIGIT, first: DIGIT, notAfter: /[\w-]/, reach: 19, lookahead: 2, contextAfter: true },
  "phone-number": {
    // Digits and separators, plus the letters of an extension ("x", "ext.", "extension").
    body: /[0-9 .()+\-xetnsio]/,
    first: /[0-9+(]/,
    notAfter: /[\w+.\-/]/,
    reach: 105,
    lookahead: 2,
    contextAfter: true,
  },
  "ipv4-address": { body: /[0-9./]/, first: DIGIT, notAfter: /[\w.]/, reach: 20, lookahead: 1, contextAfter: true },
  "ipv6-address": {
    body: /[0-9A-Fa-f:]/,
    first: /[0-9A-Fa-f:]/,
    notAfter: /[\w:]/,
    reach: 40,
    lookahead: 1,
    contextAfter: false,
  },
  "mac-address": {
    body: /[0-9A-Fa-f:.-]/,
    first: HEX,
    notAfter: /[\w:.-]/,
    reach: 19,
    lookahead: 1,
    contextAfter: false,
  },
  "bitcoin-address": { body: ALNUM, first: /[13b]/, notAfter: /\w/, reach: 75, lookahead: 1, contextAfter: false },
  "ethereum-address": { body: /[0-9A-Fa-fx]/, first: /0/, notAfter: /\w/, reach: 43, lookahead: 1, contextAfter: true },
  "us-passport": { body: /[A-Z0-9]/, first: /[A-Z0-9]/, notAfter: /\w/, reach: 10, lookahead: 1, contextAfter: true },
  "us-driver-license": {
    body: /[A-Z0-9-]/,
    first: /[A-Z0-9]/,
    notAfter: /[\w-]/,
    reach: 19,
    lookahead: 1,
    contextAfter: true,
  },
  "date-of-birth": {
    body: /[A-Za-z0-9 ,./-]/,
    first: /[0-9JFMASOND]/,
    notAfter: /[\w/.-]/,
    start: /\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec/y,
    startLength: 3,
    reach: 24,
    lookahead: 1,
    contextAfter: true,
  },
  // National identifiers and BICs (national-recognizers.ts).
  "de-tax-id": { body: /[0-9 ]/, first: DIGIT, notAfter: /[\w-]/, reach: 16, lookahead: 2, contextAfter: true },
  "fr-nir": { body: /[0-9AB ]/, first: DIGIT, notAfter: /[\w-]/, reach: 23, lookahead: 2, contextAfter: true },
  "es-dni": { body: /[0-9A-Za-z .-]/, first: DIGIT, notAfter: /[\w.-]/, reach: 14, lookahead: 2, contextAfter: true },
  "es-nie": { body: /[0-9A-Z-]/, first: /[XYZ]/, notAfter: /[\w-]/, reach: 13, lookahead: 2, contextAfter: true },
  "it-fiscal-code": { body: ALNUM, first: /[A-Za-z]/, notAfter: /\w/, reach: 17, lookahead: 1, contextAfter: true },
  "uk-nino": { body: /[A-Z0-9 ]/, first: /[A-Z]/, notAfter: /\w/, reach: 14, lookahead: 1, contextAfter: true },
  "nl-bsn": { body: /[0-9 .]/, first: DIGIT, notAfter: /[\w-]/, reach: 13, lookahead: 2, contextAfter: true },
  "pl-pesel": { body: DIGIT, first: DIGIT, notAfter: /[\w-]/, reach: 13, lookahead: 2, contextAfter: true },
  "se-personnummer": { body: /[0-9+-]/, first: DIGIT, notAfter: /[\w+-]/, reach: 15, lookahead: 2, contextAfter: true },
  "swift-code": { body: /[A-Z0-9]/, first: /[A-Z]/, notAfter: /\w/, reach: 12, lookahead: 1, contextAfter: true },
};

/** Extra characters held for a recogniser without a shape, past its longest span. */
const FALLBACK_PAD = 16;

/** Options for `createPiiStreamProfile`. */
export interface PiiStreamOptions {
  recognizers: readonly Recognizer[];
  /** The detector's context reach: how far before (and half as far after) a span context words count. */
  contextReach: number;
  /** Shapes by recogniser id (default: the built-in ones); a recogniser without one is held by its maxLength. */
  shapes?: Readonly<Record<string, TokenShape>>;
}

/** The PII detector's streaming profile (see the module comment). */
export function createPiiStreamProfile(options: PiiStreamOptions): StreamProfile {
  const { recognizers, contextReach } = options;
  const shapes = options.shapes ?? BUILTIN_SHAPES;
  // contextWindow reads half the reach after a span (or a recogniser's own contextAfter);
  // followed-by reads 24 characters.
  const afterOf = (r: Recognizer) => Math.max(Math.ceil(contextReach / 2), 24, r.contextAfter ?? 0);
  const after = Math.max(Math.ceil(contextReach / 2), 24, ...recognizers.map(afterOf));
  const plans: Plan[] = recognizers.map((recognizer) => {
    const shape = shapes[recognizer.id];
    const tests = shape ? compileShape(shape) : undefined;
    const gazetteer = recognizer.id === "gazetteer";
    const own = recognizer.hold;
    if (own) {
      return {
        recognizer,
        contextAfter: true,
        open: (text: string) => own.openFrom(text),
        isBreak: (text: string, at: number) => own.isBreak(text, at),
        after: afterOf(recognizer),
        window: recognizer.maxLength + afterOf(recognizer) + FALLBACK_PAD,
      };
    }
    return {
      recognizer,
      contextAfter: shape?.contextAfter ?? true,
      open: gazetteer
        ? openNameRunStart
        : tests
          ? (text: string) => openAttemptStart(text, tests)
          : (text: string) => text.length - recognizer.maxLength - FALLBACK_PAD,
      // A character no candidate contains; candidates after one do not depend on text before it
      // (beyond the context reach), so the recogniser runs on the tail from there.
      isBreak: gazetteer ? isNameBreak : tests ? (text: string, at: number) => !tests.body(text, at) : undefined,
      after: afterOf(recognizer),
      window:
        (gazetteer ? NAME_WINDOW : Math.max(recognizer.maxLength, shape?.reach ?? 0)) +
        afterOf(recognizer) +
        FALLBACK_PAD,
    };
  });
  const longest = Math.max(
    1,
    ...plans.map((p) => Math.max(p.recognizer.maxLength, shapes[p.recognizer.id]?.reach ?? 0)),
  );
  // Left context a recogniser needs before the first candidate it is trusted with.
  const pad = contextReach + FALLBACK_PAD;

  /**
   * Every recogniser's candidates (each run on the tail of `text` after its last break, unless
   * `whole`), and the earliest start among those whose context window after them is incomplete.
   */
  function candidatesOf(text: string, whole: boolean) {
    const n = text.length;
    const candidates: Detection[] = [];
    let trustedFrom = 0;
    let undecided = n;
    for (const plan of plans) {
      const from = whole || !plan.isBreak ? 0 : breakBefore(text, n - plan.window, plan.isBreak);
      trustedFrom = Math.max(trustedFrom, from);
      const offset = Math.max(0, from - pad);
      const tail = offset === 0 ? text : text.slice(offset);
      for (const found of plan.recognizer.recognize(tail, contextReach, createScanHints(tail))) {
        const c = offset === 0 ? found : { ...found, start: found.start + offset, end: found.end + offset };
        if (plan.contextAfter && c.end + plan.after >= n) undecided = Math.min(undecided, c.start);
        candidates.push(c);
      }
    }
    return { candidates, trustedFrom, undecided };
  }

  // Nothing a single candidate depends on lies further back than this; overlaps chained
  // across several candidates could in principle, and are cut here like the old fixed window.
  const holdBack = longest + FALLBACK_PAD + after + contextReach;
  return {
    holdBack,
    lookback: 4 * longest + contextReach,
    holdFrom(input) {
      // Recognisers see the scan text (NFKC, invisible characters removed); so does the hold.
      const scan = toScanText(input);
      const text = scan.text;
      let open = text.length;
      for (const plan of plans) open = Math.min(open, plan.open(text));
      // Candidates are exact from each recogniser's break on; if the hold moves further left
      // than that, run again over the whole text.
      for (const whole of [false, true]) {
        const { candidates, trustedFrom, undecided } = candidatesOf(text, whole);
        // A chain of overlapping candidates ("Flat 2, 14 Mill Lane Flat 2, …") stops at the
        // holdBack cut, which streaming applies anyway.
        const floor = Math.max(0, text.length - holdBack);
        const hold = holdBefore(candidates, Math.max(0, Math.min(open, undecided)), floor);
        if (whole || hold >= trustedFrom) return scan.toOriginalStart(hold);
      }
      return 0;
    },
  };
}

interface Plan {
  recognizer: Recognizer;
  contextAfter: boolean;
  /** Characters after a candidate its score may still depend on. */
  after: number;
  /** Earliest start of a match attempt (or name run) that may still read past the end of the text. */
  open: (text: string) => number;
  isBreak: ((text: string, at: number) => boolean) | undefined;
  /** How far back from the end this recogniser's candidates matter. */
  window: number;
}

/** How far back a break is looked for; past that the recogniser runs on the whole text. */
const BREAK_SEARCH = 256;

/** The offset just after the last break before `limit`, or 0. */
function breakBefore(text: string, limit: number, isBreak: (text: string, at: number) => boolean): number {
  for (let at = Math.min(limit, text.length) - 1; at >= Math.max(0, limit - BREAK_SEARCH); at--) {
    if (isBreak(text, at)) return at + 1;
  }
  return 0;
}

interface ShapeTests {
  shape: TokenShape;
  body: (text: string, at: number) => boolean;
  first: (text: string, at: number) => boolean;
  notAfter: ((text: string, at: number) => boolean) | undefined;
}

function compileShape(shape: TokenShape): ShapeTests {
  return {
    shape,
    body: createCharTest(shape.body),
    first: createCharTest(shape.first),
    notAfter: shape.notAfter ? createCharTest(shape.notAfter) : undefined,
  };
}

/**
 * For a shape: the earliest start of a match attempt that may read past the end of a text
 * (text.length if none). An attempt consumes only body characters, so it reads at most up to the
 * first other character (plus its lookahead) and at most `reach` characters in all; it is open
 * when that still includes the end of the text.
 */
export function createAttemptHold(shape: TokenShape): (text: string) => number {
  const tests = compileShape(shape);
  return (text) => openAttemptStart(text, tests);
}

function openAttemptStart(text: string, tests: ShapeTests): number {
  const { shape } = tests;
  const n = text.length;
  // Attempts reading past n: no non-body character in [p, n - lookahead + 1).
  const limit = n - Math.max(shape.lookahead - 1, 0);
  let p = limit;
  while (p > 0 && p > n - shape.reach && tests.body(text, p - 1)) p--;
  p = Math.max(p, n - shape.reach + 1, 0);
  for (; p < n; p++) {
    if (!tests.first(text, p)) continue;
    if (p > 0 && tests.notAfter?.(text, p - 1)) continue;
    if (shape.start && p + (shape.startLength ?? 1) <= n) {
      shape.start.lastIndex = p;
      if (!shape.start.test(text)) continue;
    }
    return p;
  }
  return n;
}

/** A per-character test; a surrogate half never matches, as shapes are ASCII classes. */
function createCharTest(re: RegExp): (text: string, at: number) => boolean {
  const single = new RegExp(re.source, re.flags.replace(/[gy]/g, ""));
  return (text, at) => single.test(text[at] as string);
}
