/**
 * The built-in PII recognisers, with Presidio's entity names where Presidio has one. Patterns use
 * only bounded quantifiers and unambiguous groupings, so matching is linear in the input.
 */
import { isIPv4, isIPv6 } from "node:net";
import { addressRecognizer } from "./address.js";
import { addressBlockRecognizer } from "./address-block.js";
import {
  createLowerCaseHold,
  GAZETTEER_MAX_SPAN,
  LOWER_CASE_LINE_MAX,
  loadGazetteer,
  recognizeLowerCaseLines,
  recognizeWithGazetteer,
  STREET_SUFFIXES,
} from "./gazetteer.js";
import { NATIONAL_ID_KINDS, NOT_AN_ID, nationalRecognizers } from "./national-recognizers.js";
import { isPlausiblePhone } from "./phone.js";
import { definePatternRecognizer, type Recognizer } from "./recognizer.js";
import { loadReferenceWords } from "./reference-words.js";
import {
  classifyCard,
  digitsOf,
  ethereumChecksum,
  isAbaRouting,
  isBitcoinAddress,
  isIban,
  isUsSsn,
} from "./validators.js";

const PHONE_CONTEXT = [
  "phone",
  "telephone",
  "tel",
  "mobile",
  "cell",
  "cellphone",
  "call",
  "called",
  "calling",
  "fax",
  "desk",
  "office",
  "contact",
  "reach",
  "text",
  "sms",
  "whatsapp",
  "dial",
  "ring",
  "landline",
  "hotline",
  "messages",
  "home",
  "work",
  "answering",
  "telefon",
  "handy",
  "téléphone",
  "portable",
  "teléfono",
  "móvil",
  "telefono",
  "cellulare",
  "telefonnummer",
  "handynummer",
  "mobilnummer",
  "rufnummer",
  "faxnummer",
  "festnetznummer",
  "rückrufnummer",
  "telefoonnummer",
  "mobiel",
  "gsm",
  "tél",
  "tlf",
];
const NOT_PHONE = [
  "order",
  "invoice",
  "tracking",
  "ref",
  "reference",
  "serial",
  "sku",
  "ticket",
  "case",
  "zip",
  "postal",
  "postcode",
  "version",
  "build",
  "account",
  "acct",
  "iban",
  "card",
  "routing",
  "ssn",
  "isbn",
  "id",
  "batch",
  "lot",
  "part",
  "model",
  "receipt",
  "transaction",
  "confirmation",
  "booking",
  "shipment",
  "parcel",
  "policy",
  "claim",
  "patent",
];
const ACCOUNT_CONTEXT = [
  "account",
  "acct",
  "a/c",
  "checking",
  "chequing",
  "savings",
  "bank",
  "deposit",
  "konto",
  "kontonummer",
  "compte",
  "cuenta",
  "conto",
  "rekening",
  "account number",
  "account no",
];
/** Lengths at which an issuer-range number is a card without a card word near it. */
const TYPICAL_CARD_LENGTHS: ReadonlySet<number> = new Set([15, 16, 19]);
const CARD_CONTEXT = [
  "card",
  "credit",
  "debit",
  "visa",
  "mastercard",
  "amex",
  "cc",
  "karte",
  "carte",
  "tarjeta",
  "carta",
  "kreditkarte",
  "kartennummer",
  "girocard",
  "creditcard",
  "betaalpas",
  "bancomat",
  "maestro",
  "diners",
  "discover",
  "jcb",
  "unionpay",
  "cvv",
  "cvc",
  "expiry",
  "exp",
];
/** Words after a number that make it a house number: the gazetteer's street types plus unit words. */
const STREET_WORDS = [...STREET_SUFFIXES, "hill", "park", "suite", "apt", "box", "u"];
const DOB_CONTEXT = [
  "born",
  "dob",
  "d.o.b",
  "birth",
  "birthday",
  "birthdate",
  "date of birth",
  "geboren",
  "geburtsdatum",
  "né",
  "née",
  "naissance",
  "nacido",
  "nacida",
  "nacimiento",
  "nato",
  "nata",
];

/** Separators allowed between digit groups in phone numbers. */
const PHONE = new RegExp(
  [
    "(?<![\\w+.\\-/])",
    "(?:\\+\\d{1,3}[ .\\-]?|00\\d{1,3}[ .\\-]?)?", // country code
    "(?:\\(\\d{1,4}\\)[ .\\-]?)?", // (area)
    "(?:\\(0\\)[ .]?)?", // UK/European trunk zero in parentheses
    "\\d{1,15}(?:[ .\\-]\\d{1,10}){0,5}",
    "(?:[ ]?(?:x|ext\\.?|extension)[ ]?\\d{1,5})?",
    "(?![\\d]|[.\\-/:]\\d|[A-Za-z])",
  ].join(""),
);

const SSN_SHAPE = /^\d{3}-\d{2}-\d{4}$/;
const DATE_SHAPE = /^(?:\d{4}[-.]\d{1,2}[-.]\d{1,2}|\d{1,2}[-.]\d{1,2}[-.]\d{4})$/;

function scorePhone(value: string) {
  const digits = digitsOf(value.replace(/(?:x|ext\.?|extension)\s*\d+$/i, ""));
  if (digits.length < 6 || digits.length > 15) return false;
  if (DATE_SHAPE.test(value) || isIPv4(value)) return false;
  const grouped = /[ .\-()+]/.test(value);
  // A bare digit run, or a short local number, is a phone number only if the text says so.
  if (!grouped || digits.length < 7) return 0.15;
  if (SSN_SHAPE.test(value)) return 0.15;
  return isPlausiblePhone(value) ? 0.55 : 0.3;
}

/** Every built-in recogniser, freshly compiled. */
export function builtinRecognizers(): Recognizer[] {
  return [
    {
      id: "gazetteer",
      entities: ["PERSON", "LOCATION", "STREET_ADDRESS", "ORGANIZATION"],
      maxLength: GAZETTEER_MAX_SPAN,
      recognize: (text, reach) => recognizeWithGazetteer(text, loadGazetteer(), reach),
    },
    {
      id: "gazetteer-lower-case",
      entities: ["PERSON", "LOCATION"],
      maxLength: LOWER_CASE_LINE_MAX,
      hold: createLowerCaseHold(loadGazetteer),
      recognize: (text, reach) => recognizeLowerCaseLines(text, loadGazetteer(), reach),
    },
    definePatternRecognizer({
      id: "email-address",
      entity: "EMAIL_ADDRESS",
      pattern:
        /(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63}){0,6}\.[A-Za-z]{2,24}(?![\w-]|\.[A-Za-z0-9])/,
      baseScore: 0.5,
      validate: (v) => (/\.\.|@-|-\./.test(v) ? false : 1),
      maxLength: 254,
      anchor: "at-sign",
    }),
    definePatternRecognizer({
      id: "credit-card",
      entity: "CREDIT_CARD",
      pattern: /(?<![\w-])\d(?:[ -]?\d){11,18}(?![\d]|-\d)/,
      baseScore: 0.3,
      // A card without a card word near it must be in a known issuer range at the lengths cards are
      // printed with today (15, 16, 19 digits). 12-14 digits (old 13-digit Visa, 14-digit Diners,
      // short Maestro) and an unknown range with a valid Luhn digit are cards only when the text
      // says "card": "Il pacco 38886142055241" is a parcel.
      validate: (v) => {
        const kind = classifyCard(v);
        if (kind === "invalid" || /[ -]{2}/.test(v)) return false;
        return kind === "issuer" && TYPICAL_CARD_LENGTHS.has(digitsOf(v).length) ? 1 : 0.3;
      },
      context: CARD_CONTEXT,
      negativeContext: NOT_AN_ID,
      referenceWords: loadReferenceWords(),
      maxLength: 23,
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "iban",
      entity: "IBAN_CODE",
      pattern:
        /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[A-Za-z0-9]{11,30}|(?: [A-Za-z0-9]{4}){2,7}(?: [0-9A-Z]{1,3})?)(?![A-Za-z0-9])/,
      baseScore: 0.3,
      validate: (v) => (isIban(v) ? 1 : false),
      context: ["iban", "account", "bank", "transfer", "wire", "sepa"],
      anchor: "digit",
      maxLength: 42,
    }),
    definePatternRecognizer({
      id: "us-ssn",
      entity: "US_SSN",
      pattern: /(?<![\d-])\d{3}([- ])\d{2}\1\d{4}(?![\d]|-\d)/,
      baseScore: 0.5,
      validate: (v) => (isUsSsn(v) ? 0.6 : false),
      context: ["ssn", "social security", "social", "security number", "ss#", "ssn#", "taxpayer", "tin"],
      negativeContext: ["phone", "tel", "fax", "mobile", "order", "invoice", "call"],
      maxLength: 11,
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "us-ssn-undelimited",
      entity: "US_SSN",
      pattern: /(?<![\w-])\d{9}(?![\w]|-\d)/,
      baseScore: 0.05,
      validate: (v) => (isUsSsn(v) ? undefined : false),
      context: ["ssn", "social security", "security number", "ss#", "ssn#"],
      contextBoost: 0.6,
      maxLength: 9,
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "aba-routing-number",
      entity: "ABA_ROUTING_NUMBER",
      pattern: /(?<![\w-])\d{4}-?\d{4}-?\d(?![\w]|-\d)/,
      baseScore: 0.05,
      validate: (v) => (isAbaRouting(v) ? 0.3 : false),
      context: ["routing", "aba", "rtn", "transit", "routing number", "wire", "ach"],
      contextBoost: 0.5,
      maxLength: 11,
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "us-bank-number",
      entity: "US_BANK_NUMBER",
      pattern: /(?<![\w-])\d{8,17}(?![\w]|-\d)/,
      baseScore: 0.05,
      context: ACCOUNT_CONTEXT,
      contextBoost: 0.6,
      negativeContext: ["card", "phone", "order", "invoice", "tracking", "reference"],
      maxLength: 17,
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "phone-number",
      entity: "PHONE_NUMBER",
      pattern: PHONE,
      baseScore: 0.3,
      validate: scorePhone,
      context: PHONE_CONTEXT,
      weakContext: ["number"],
      contextBoost: 0.4,
      negativeContext: [...NOT_PHONE, ...NOT_AN_ID],
      // A number named as a national identifier ("BSN 388 274 451") is not a phone number.
      namedAs: NATIONAL_ID_KINDS,
      referenceWords: loadReferenceWords(),
      // "17151 2450 Crown St": a house number followed by a street is an address, not a phone.
      followedBy: STREET_WORDS,
      maxLength: 32,
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "ipv4-address",
      entity: "IP_ADDRESS",
      pattern: /(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?(?![\w]|\.\d)/,
      baseScore: 0.6,
      validate: (v) => (isIPv4(v.replace(/\/\d+$/, "")) ? 0.95 : false),
      negativeContext: ["version", "v", "release", "build", "ver"],
      negativePenalty: 0.6,
      maxLength: 18,
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "ipv6-address",
      entity: "IP_ADDRESS",
      pattern: /(?<![\w:])(?:[0-9A-Fa-f]{1,4}:|:){2,7}(?:[0-9A-Fa-f]{1,4}|:)(?![\w:])/,
      baseScore: 0.6,
      validate: (v) => (isIPv6(v) && /[0-9a-f]{1,4}:[0-9a-f]{0,4}:/i.test(v) ? 0.95 : false),
      maxLength: 39,
      // Every IPv6 address worth reporting has a digit ("fe80::", "2001:db8::").
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "mac-address",
      entity: "MAC_ADDRESS",
      pattern:
        /(?<![\w:.-])(?:[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\w:]|[.-][0-9A-Fa-f])/,
      baseScore: 0.8,
      // An all-letter MAC (aa:bb:cc:dd:ee:ff) has odds of about 1 in 120,000; digit-anchoring is worth it.
      anchor: "digit",
      maxLength: 17,
    }),
    definePatternRecognizer({
      id: "bitcoin-address",
      entity: "CRYPTO",
      pattern: /(?<![\w])(?:[13][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[02-9ac-hj-np-z]{11,71})(?![\w])/,
      baseScore: 0.2,
      validate: (v) => (isBitcoinAddress(v) ? 1 : false),
      anchor: "digit",
      maxLength: 74,
    }),
    definePatternRecognizer({
      id: "ethereum-address",
      entity: "CRYPTO",
      pattern: /(?<![\w])0x[0-9a-fA-F]{40}(?![\w])/,
      baseScore: 0.4,
      validate: (v) => {
        const checksum = ethereumChecksum(v);
        return checksum === undefined ? undefined : checksum ? 1 : false;
      },
      context: ["wallet", "eth", "ethereum", "address", "send", "crypto", "metamask"],
      maxLength: 42,
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "us-passport",
      entity: "US_PASSPORT",
      pattern: /(?<![\w])(?:[A-Z]\d{8}|\d{9})(?![\w])/,
      baseScore: 0.05,
      context: ["passport", "passport number", "passport no", "reisepass", "passeport", "pasaporte"],
      contextBoost: 0.6,
      maxLength: 9,
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "us-driver-license",
      entity: "US_DRIVER_LICENSE",
      pattern:
        /(?<![\w-])(?:[A-Z]{1,2}\d{4,14}|\d{4}-\d{2}-\d{4}|\d{6,14}|[A-Z]\d{3}-\d{3}-\d{2}-\d{3}-\d)(?![\w]|-\d)/,
      baseScore: 0.05,
      context: [
        "driver",
        "drivers",
        "driver's",
        "license",
        "licence",
        "dl",
        "driving",
        "dmv",
        "führerschein",
        "permis",
      ],
      contextBoost: 0.6,
      negativeContext: ["phone", "order", "invoice", "account", "card"],
      maxLength: 20,
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "date-of-birth",
      entity: "DATE_OF_BIRTH",
      pattern:
        /(?<![\w/.-])(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}|(?:19|20)\d{2}-\d{1,2}-\d{1,2}|\d{1,2}(?:st|nd|rd|th)? (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\.? (?:19|20)\d{2}|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\.? \d{1,2}(?:st|nd|rd|th)?,? (?:19|20)\d{2})(?![\w]|[/.-]\d)/,
      baseScore: 0.05,
      context: DOB_CONTEXT,
      contextBoost: 0.7,
      maxLength: 24,
      anchor: "digit",
    }),
    ...nationalRecognizers(),
    addressRecognizer(),
    addressBlockRecognizer((name) => loadGazetteer().places.has(name)),
  ];
}
