/**
 * Hashed n-gram features over normalised text: words (optionally word bigrams) and character
 * n-grams. The default — words plus character 4-grams — had the best out-of-fold recall at 1%
 * false positives among the variants tried (3+5, 3+4, 4+5, 3+4+5, 5, with and without word
 * bigrams) and is the cheapest: one n-gram per character. Each feature is hashed (FNV-1a) into
 * a fixed number of buckets and used as binary presence. Vectors are L2-normalised, so a long
 * text does not score higher just for having more n-grams.
 */

/** Feature-space settings stored with a model so training and inference agree. */
export interface FeatureConfig {
  /** Number of hash buckets; a power of two. */
  dims: number;
  /** Character n-gram lengths, e.g. [3, 4, 5]. */
  charNgrams: readonly number[];
  /** Whether word bigrams are included. */
  wordBigrams: boolean;
  /**
   * Floor on the number of features used for L2 normalisation: a text with fewer n-grams is
   * scaled as if it had this many, so a two-word input cannot produce a confident score.
   * 200 (about a 180-character text) beat 50 and 100 on out-of-fold recall at 1% false
   * positives: short prompts are then judged more by the rules, which are precise on them.
   */
  minNorm: number;
}

export const DEFAULT_FEATURE_CONFIG: FeatureConfig = {
  dims: 1 << 17,
  charNgrams: [4],
  wordBigrams: false,
  minNorm: 200,
};

/** Scale of each present feature for a text with `count` distinct features. */
export function featureScale(config: FeatureConfig, count: number, minNorm = config.minNorm): number {
  return 1 / Math.sqrt(Math.max(count, minNorm, 1));
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SEED_WORD = 0x9e3779b9;
const SEED_BIGRAM = 0x85ebca6b;

/** A reusable extractor: keeps a scratch table so each call deduplicates buckets without allocation. */
export interface FeatureExtractor {
  readonly config: FeatureConfig;
  /** Distinct bucket indexes present in the text (order unspecified). */
  extract(text: string): Uint32Array;
  /**
   * Sum of (quantised) `weights` over the distinct buckets present, and how many there were;
   * allocates nothing. Int16 weights keep the table small enough to stay in cache.
   */
  dot(text: string, weights: Int16Array): { sum: number; count: number };
  /** `dot` over `text.slice(from, to)` without allocating the slice (document windows). */
  dotRange(text: string, from: number, to: number, weights: Int16Array): { sum: number; count: number };
  /**
   * The buckets found by the last call, in its first `count` entries: a scratch buffer that the
   * next call overwrites (the hidden layer reads it right after `dot`, without a copy).
   */
  lastIndexes(): Uint32Array;
}

/** Build an extractor for one feature configuration. */
export function createFeatureExtractor(config: FeatureConfig = DEFAULT_FEATURE_CONFIG): FeatureExtractor {
  if ((config.dims & (config.dims - 1)) !== 0) throw new RangeError("dims must be a power of two");
  const mask = config.dims - 1;
  // One bit per bucket marks those already seen in this call: 16 KB for 2^17 buckets, so it stays
  // in cache next to the weights (a 16-bit stamp per bucket was 256 KB and made the scan
  // memory-bound). The buckets set are recorded in `out` and cleared after each call.
  const seen = new Int32Array(Math.max(1, config.dims >>> 5));
  let out = new Uint32Array(4096);
  const maxN = Math.max(0, ...config.charNgrams);
  const wanted = new Uint8Array(maxN + 2);
  for (const n of config.charNgrams) wanted[n] = 1;
  const bigrams = config.wordBigrams;
  /** The n-gram length when there is exactly one (the common case gets a tighter loop), else 0. */
  const onlyN = new Set(config.charNgrams).size === 1 ? (config.charNgrams[0] as number) : 0;
  /**
   * Scratch copy of the padded text being scanned, as UTF-16 code units. Filled by Buffer's
   * native UTF-16 encoder: a charCodeAt loop cost about 4 ns a character on our machines,
   * as much as the hashing itself.
   */
  let scratch = Buffer.allocUnsafeSlow(8192);
  let codes = new Uint16Array(scratch.buffer, scratch.byteOffset, scratch.length >>> 1);

  /** Record a bucket in `out`: training reads it, and so does the MLP's hidden layer (`lastIndexes`). */
  const push = (index: number, count: number): void => {
    if (count === out.length) {
      const grown = new Uint32Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    out[count] = index;
  };

  /**
   * One pass over the text; with `weights` it sums, without it records indexes into `out`.
   * Written without inner closures over mutable locals: this loop is most of the detector's time.
   */
  const scan = (text: string, weights: Int16Array | null, from: number, to: number): { sum: number; count: number } => {
    let count = 0;
    let sum = 0;

    // Character n-grams over " text ", hashed incrementally from each start position. The
    // padded text is copied into `codes` once, so the hash loops read a typed array.
    const span = to - from;
    const length = span + 2;
    if (codes.length < length) {
      scratch = Buffer.allocUnsafeSlow(Math.max(length, codes.length * 2) * 2);
      codes = new Uint16Array(scratch.buffer, scratch.byteOffset, scratch.length >>> 1);
    }
    codes[0] = 32;
    scratch.write(from === 0 && to === text.length ? text : text.slice(from, to), 2, span * 2, "utf16le");
    codes[length - 1] = 32;
    // Room for every feature a text can have (one per position and word), so the loops below
    // store without checking.
    if (out.length < 2 * length) out = new Uint32Array(2 * length);
    if (onlyN === 4) {
      const result = fourGrams(codes, length, seen, out, weights, mask);
      count = result.count;
      sum = result.sum;
    } else if (onlyN > 0) {
      // One n-gram length: every start with n characters left, nothing shorter.
      const tag = onlyN;
      for (let i = 0; i + onlyN <= length; i++) {
        let h = FNV_OFFSET;
        for (let k = 0; k < onlyN; k++) h = Math.imul(h ^ (codes[i + k] as number), FNV_PRIME);
        const index = (Math.imul(h ^ tag, FNV_PRIME) >>> 0) & mask;
        const word = index >>> 5;
        const bits = seen[word] as number;
        const bit = 1 << (index & 31);
        if ((bits & bit) !== 0) continue;
        seen[word] = bits | bit;
        push(index, count);
        if (weights) sum += weights[index] as number;
        count++;
      }
    } else {
      for (let i = 0; i < length; i++) {
        let h = FNV_OFFSET;
        const stop = Math.min(maxN, length - i);
        for (let k = 0; k < stop; k++) {
          h = Math.imul(h ^ (codes[i + k] as number), FNV_PRIME);
          if (wanted[k + 1] !== 1) continue;
          const index = (Math.imul(h ^ (k + 1), FNV_PRIME) >>> 0) & mask;
          const word = index >>> 5;
          const bits = seen[word] as number;
          const bit = 1 << (index & 31);
          if ((bits & bit) !== 0) continue;
          seen[word] = bits | bit;
          push(index, count);
          if (weights) sum += weights[index] as number;
          count++;
        }
      }
    }

    // Words: runs of letters, digits and apostrophes; bigrams of consecutive words.
    let previous = 0;
    let hasPrevious = false;
    let h = FNV_OFFSET ^ SEED_WORD;
    let inWord = false;
    // Over the padded copy: codes[1..span] is the text, codes[span + 1] the closing space.
    for (let i = 1; i < length; i++) {
      const code = codes[i] as number;
      if (isWordChar(code)) {
        h = Math.imul(h ^ code, FNV_PRIME);
        inWord = true;
        continue;
      }
      if (!inWord) continue;
      for (let pass = 0; pass < 2; pass++) {
        if (pass === 1 && !(bigrams && hasPrevious)) break;
        const hash = pass === 0 ? h : Math.imul(Math.imul(previous, 31) ^ h ^ SEED_BIGRAM, FNV_PRIME);
        const index = (hash >>> 0) & mask;
        const word = index >>> 5;
        const bits = seen[word] as number;
        const bit = 1 << (index & 31);
        if ((bits & bit) !== 0) continue;
        seen[word] = bits | bit;
        push(index, count);
        if (weights) sum += weights[index] as number;
        count++;
      }
      previous = h;
      hasPrevious = true;
      h = FNV_OFFSET ^ SEED_WORD;
      inWord = false;
    }
    for (let k = 0; k < count; k++) seen[(out[k] as number) >>> 5] = 0;
    return { sum, count };
  };

  return {
    config,
    extract(text) {
      const { count } = scan(text, null, 0, text.length);
      return out.slice(0, count);
    },
    dot(text, weights) {
      return scan(text, weights, 0, text.length);
    },
    dotRange(text, from, to, weights) {
      return scan(text, weights, Math.max(0, from), Math.min(text.length, to));
    },
    lastIndexes() {
      return out;
    },
  };
}

/**
 * Character 4-grams (the default features), unrolled and reading only its arguments: a plain
 * function over typed arrays optimises better than the general loop over closure state, and
 * this loop is most of the classifier's time. `out` has room for one feature per position.
 */
function fourGrams(
  codes: Uint16Array,
  length: number,
  seen: Int32Array,
  out: Uint32Array,
  weights: Int16Array | null,
  mask: number,
): { count: number; sum: number } {
  let count = 0;
  let sum = 0;
  for (let i = 0; i + 4 <= length; i++) {
    let h = Math.imul(FNV_OFFSET ^ (codes[i] as number), FNV_PRIME);
    h = Math.imul(h ^ (codes[i + 1] as number), FNV_PRIME);
    h = Math.imul(h ^ (codes[i + 2] as number), FNV_PRIME);
    h = Math.imul(h ^ (codes[i + 3] as number), FNV_PRIME);
    const index = (Math.imul(h ^ 4, FNV_PRIME) >>> 0) & mask;
    const word = index >>> 5;
    const bits = seen[word] as number;
    const bit = 1 << (index & 31);
    if ((bits & bit) !== 0) continue;
    seen[word] = bits | bit;
    out[count++] = index;
    if (weights !== null) sum += weights[index] as number;
  }
  return { count, sum };
}

function isWordChar(code: number): boolean {
  if (code >= 97 && code <= 122) return true; // a-z (text is lower case)
  if (code >= 48 && code <= 57) return true;
  if (code === 39) return true;
  if (code < 0xc0) return false;
  // Latin-1 letters and beyond, except general punctuation and CJK punctuation/full-width forms.
  if (code >= 0x2000 && code <= 0x206f) return false;
  if (code >= 0x3000 && code <= 0x303f) return false;
  if (code >= 0xff00 && code <= 0xff65) return false;
  return code !== 0xd7 && code !== 0xf7;
}
