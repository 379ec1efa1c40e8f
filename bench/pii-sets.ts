/**
 * Two PII evaluation sets we build ourselves (issue 3), generated deterministically:
 *  - banking: customer prompts and assistant answers carrying account numbers, cards, IBANs,
 *    routing numbers, names, addresses, phones and e-mail, with gold spans;
 *  - hard negatives: sentences full of things that look like PII but are not (order numbers,
 *    UUIDs, versions, timestamps, tracking numbers, invoice numbers shaped like phones...).
 * Prints JSON: per-entity scores on the banking set, false positives per 1,000 hard-negative
 * sentences. Run: npm run bench:pii-sets (add --write to save the sets as JSONL in bench/data/;
 * `-- --names off|fast|full` to score another names mode).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import {
  createPiiDetector,
  type EvalRecord,
  PII_NAMES_MODES,
  type PiiNamesMode,
  scoreSpans,
} from "../src/detect/index.js";
import { mulberry32 } from "./pii-corpus.js";

const random = mulberry32(7);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join("");

function luhnComplete(prefix: string, length: number): string {
  let body = prefix + digits(length - prefix.length - 1);
  for (let check = 0; check < 10; check++) {
    const candidate = body + check;
    let sum = 0;
    [...candidate].reverse().forEach((c, i) => {
      let d = Number(c);
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    });
    if (sum % 10 === 0) return candidate;
  }
  body = "";
  return body;
}
function card(): string {
  const raw = pick([
    () => luhnComplete("4", 16),
    () => luhnComplete("51", 16),
    () => luhnComplete("37", 15),
    () => luhnComplete("6011", 16),
  ])();
  return raw.length === 16 && random() < 0.5 ? (raw.match(/.{4}/g) ?? []).join(pick([" ", "-"])) : raw;
}
function iban(): string {
  // Countries whose BBAN carries no national check digit, so random digits make a valid IBAN.
  const [country, bban] = pick([
    ["DE", () => digits(18)],
    ["NL", () => `ABNA${digits(10)}`],
    ["GB", () => `NWBK${digits(14)}`],
    ["AT", () => digits(16)],
    ["CH", () => digits(17)],
  ] as const);
  const b = bban();
  const numeric = [...`${b}${country}00`].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join("");
  let remainder = 0;
  for (const c of numeric) remainder = (remainder * 10 + Number(c)) % 97;
  const check = String(98 - remainder).padStart(2, "0");
  const compact = `${country}${check}${b}`;
  return random() < 0.5 ? (compact.match(/.{1,4}/g) ?? []).join(" ") : compact;
}
function routing(): string {
  const d = `0${Math.floor(random() * 3)}${digits(6)}`;
  const weights = [3, 7, 1, 3, 7, 1, 3, 7];
  const partial = [...d].reduce((total, c, i) => total + Number(c) * (weights[i] as number), 0);
  return d + ((10 - (partial % 10)) % 10);
}
const names = [
  "Maria Keller",
  "Tom Becker",
  "Aisha Khan",
  "Lucas Moreau",
  "Sofia Rossi",
  "Daniel Park",
  "Emma Wilson",
  "Jonas Berg",
  "Olivia Brown",
  "Mateo Garcia",
  "Hannah Schmidt",
  "Noah Fischer",
];
const streets = [
  "12 Baker Street",
  "401 Market Avenue",
  "7 Lindenweg",
  "88 Rue Lafayette",
  "1600 Pennsylvania Avenue",
  "23 Elm Road",
  "5 Calle Mayor",
];
const emails = ["maria.keller@example.com", "t.becker@mailbox.org", "aisha.khan@example.net", "lmoreau@example.fr"];
const phones = ["+1 (415) 555-2671", "+44 20 7946 0958", "+49 30 901820", "(212) 555-0187", "+33 1 42 68 53 00"];

type Template = (fill: (entity: string, value: string) => string) => string;
const TEMPLATES: Template[] = [
  (f) =>
    `Hi, I'm ${f("PERSON", pick(names))} and my checking account number is ${f("US_BANK_NUMBER", digits(10))}. Can you check the balance?`,
  (f) =>
    `I've transferred $1,200 from checking account ${f("US_BANK_NUMBER", digits(12))} to your savings account ${f("US_BANK_NUMBER", digits(9))} as requested.`,
  (f) => `My card ${f("CREDIT_CARD", card())} was declined at the store yesterday, please help.`,
  (f) => `The payment went to IBAN ${f("IBAN_CODE", iban())} on Monday; the reference is invoice 2024-118.`,
  (f) =>
    `Please wire the funds: routing number ${f("ABA_ROUTING_NUMBER", routing())}, account ${f("US_BANK_NUMBER", digits(11))}.`,
  (f) => `Sure ${f("PERSON", pick(names))}, I have updated your address to ${f("STREET_ADDRESS", pick(streets))}.`,
  (f) => `You can reach me at ${f("PHONE_NUMBER", pick(phones))} or ${f("EMAIL_ADDRESS", pick(emails))} after 5pm.`,
  (f) => `Your new debit card ending in 4821 is on its way; the old card ${f("CREDIT_CARD", card())} is blocked.`,
  (f) =>
    `For verification, my SSN is ${f("US_SSN", `${100 + Math.floor(random() * 500)}-${10 + Math.floor(random() * 89)}-${1000 + Math.floor(random() * 8999)}`)}.`,
  (f) => `Refund of 49.99 EUR sent to ${f("IBAN_CODE", iban())} for order 77120931.`,
  (f) =>
    `Thanks, ${f("PERSON", pick(names))}. Your savings account ${f("US_BANK_NUMBER", digits(10))} now earns 3.1% interest.`,
];

function bankingSet(count: number): EvalRecord[] {
  const records: EvalRecord[] = [];
  for (let i = 0; i < count; i++) {
    let text = "";
    const spans: EvalRecord["spans"] = [];
    const template = TEMPLATES[i % TEMPLATES.length] as Template;
    // fill() leaves a numbered marker; replacing markers in order gives exact gold offsets.
    const values: { type: string; value: string }[] = [];
    const parts = template((type, value) => {
      values.push({ type, value });
      return `{{${values.length - 1}}}`;
    }).split(/\{\{(\d+)\}\}/);
    parts.forEach((part, k) => {
      if (k % 2 === 0) {
        text += part;
        return;
      }
      const { type, value } = values[Number(part)] as { type: string; value: string };
      spans.push({ start: text.length, end: text.length + value.length, type });
      text += value;
    });
    records.push({ text, spans });
  }
  return records;
}

const NEGATIVE_TEMPLATES: (() => string)[] = [
  () =>
    `Order number ${digits(8)} shipped on ${2020 + Math.floor(random() * 5)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}.`,
  () => `Request id ${crypto.randomUUID()} failed with status 503.`,
  () =>
    `Upgrade the agent to version ${Math.floor(random() * 20)}.${Math.floor(random() * 20)}.${Math.floor(random() * 99)} before Friday.`,
  () =>
    `The job started at 2024-03-0${1 + Math.floor(random() * 8)} 1${Math.floor(random() * 9)}:2${Math.floor(random() * 9)}:3${Math.floor(random() * 9)} UTC and took 41 minutes.`,
  () => `Tracking number 1Z${digits(3)}AA1${digits(10)} is out for delivery.`,
  () => `Invoice ${digits(3)}-${digits(4)}-${digits(2)} is overdue by 12 days.`,
  () => `Invoice no. ${digits(3)}-${digits(3)}-${digits(4)} totals 1,240.00 USD.`,
  () => `SKU ${digits(4)}-${digits(4)} is back in stock in aisle 7.`,
  () => `Build ${digits(5)} passed 1,204 tests in ${digits(3)} seconds.`,
  () =>
    `The commit ${[...Array(40)].map(() => "0123456789abcdef"[Math.floor(random() * 16)]).join("")} fixed the crash.`,
  () => `Ticket #${digits(6)} was escalated to the platform team.`,
  () => `Our quarterly revenue grew to ${digits(3)},${digits(3)},${digits(3)} dollars.`,
  () => `Kill process ${digits(5)} and restart the worker on port ${8000 + Math.floor(random() * 999)}.`,
  () => `The model has ${digits(2)} billion parameters and a ${digits(3)}k context window.`,
  () => `Batch ${digits(7)} of the nightly export finished with 0 errors.`,
  () => `Set the timeout to ${digits(4)} ms and retry ${Math.floor(random() * 9)} times.`,
  () => `The meeting is on March ${1 + Math.floor(random() * 27)}, 2025 in room 4B.`,
  () => `Confirmation code ${digits(10)} applies to your hotel booking.`,
  () => `Reference ${digits(4)} ${digits(4)} ${digits(4)} was used for the wire fee.`,
  () => `Patch 10.0.${digits(5)}.${digits(4)} of the operating system was installed.`,
];

function hardNegatives(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (NEGATIVE_TEMPLATES[i % NEGATIVE_TEMPLATES.length] as () => string)());
}

const namesArg = process.argv.includes("--names") ? process.argv[process.argv.indexOf("--names") + 1] : "fast";
if (!PII_NAMES_MODES.some((m) => m === namesArg))
  throw new Error(`--names must be one of ${PII_NAMES_MODES.join(", ")}`);
const detector = createPiiDetector({ names: namesArg as PiiNamesMode, tagger: !process.argv.includes("--no-tagger") });
const banking = bankingSet(1100);
const negatives = hardNegatives(2000);
const bankingTypes = new Set(banking.flatMap((r) => r.spans.map((s) => s.type)));
const scored = scoreSpans(
  banking.map((r) => ({ gold: r.spans, predicted: detector.detect(r.text) })),
  bankingTypes,
);
const fps: { text: string; entity: string; value: string }[] = [];
let fpSentences = 0;
for (const text of negatives) {
  const found = detector.detect(text);
  if (found.length > 0) fpSentences++;
  for (const d of found) fps.push({ text, entity: d.entity, value: text.slice(d.start, d.end) });
}
if (process.argv.includes("--write")) {
  mkdirSync(new URL("data/", import.meta.url), { recursive: true });
  writeFileSync(
    new URL("data/pii-banking.jsonl", import.meta.url),
    `${banking.map((r) => JSON.stringify(r)).join("\n")}\n`,
  );
  writeFileSync(
    new URL("data/pii-hard-negatives.jsonl", import.meta.url),
    `${negatives.map((text) => JSON.stringify({ text, spans: [] })).join("\n")}\n`,
  );
}
console.log(
  JSON.stringify(
    {
      banking: { records: banking.length, ...scored },
      hard_negatives: {
        sentences: negatives.length,
        false_positive_spans: fps.length,
        sentences_with_false_positive: fpSentences,
        fp_per_1000_sentences: Math.round((fpSentences / negatives.length) * 1000 * 100) / 100,
        examples: fps.slice(0, 10),
      },
    },
    null,
    2,
  ),
);
