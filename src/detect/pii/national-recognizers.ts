/**
 * Recognisers of European national identifiers and BIC codes (issue 22). Each pairs a shape with
 * its check digits (national.ts) and with context words in the identifier's own language and in
 * English. A check digit alone leaves 1 in 10 to 1 in 97 random numbers valid, so the numbers with
 * short checks (BSN, PESEL, Steuer-ID, bare personnummer) count only with a context word, and
 * words that name something else (order, invoice, parcel, contract... in six languages) lower any
 * of them. Entity names follow Presidio where it has one (ES_NIF, ES_NIE, IT_FISCAL_CODE,
 * PL_PESEL, UK_NINO).
 */

import {
  isBic,
  isDeTaxId,
  isEsDni,
  isEsNie,
  isFrNir,
  isItFiscalCode,
  isNlBsn,
  isPlPesel,
  isSePersonnummer,
  isUkNino,
} from "./national.js";
import { definePatternRecognizer, type NumberKind, type Recognizer } from "./recognizer.js";

/**
 * Words naming a number that is not a person's identifier: orders, invoices, parcels, contracts,
 * customers, articles, cases, tickets, batches, in English, German, French, Spanish, Italian and
 * Dutch. Shared with the phone recogniser.
 */
export const NOT_AN_ID = [
  "order",
  "invoice",
  "tracking",
  "ticket",
  "batch",
  "part",
  "sku",
  "serial",
  "reference",
  "ref",
  "shipment",
  "parcel",
  "bestellnummer",
  "bestellung",
  "rechnung",
  "rechnungsnummer",
  "auftrag",
  "auftragsnummer",
  "kundennummer",
  "artikelnummer",
  "artikel",
  "sendung",
  "sendungsnummer",
  "vertrag",
  "vertragsnummer",
  "vorgang",
  "aktenzeichen",
  "referenz",
  "paket",
  "commande",
  "facture",
  "colis",
  "contrat",
  "lot",
  "dossier",
  "référence",
  "suivi",
  "pedido",
  "factura",
  "referencia",
  "producto",
  "expediente",
  "localizador",
  "lote",
  "envío",
  "envio",
  "ordine",
  "fattura",
  "articolo",
  "pacco",
  "pratica",
  "partita iva",
  "riferimento",
  "bestelnummer",
  "ordernummer",
  "factuurnummer",
  "factuur",
  "klantnummer",
  "pakket",
  "zaaknummer",
  "referentie",
  "contract",
  // Swedish and Polish (issue 22, part 7): case, order, invoice, customer, meter, policy, parcel
  // numbers. Only nouns naming another number: a generic one ("ärende", "sprawa" a matter,
  // "klienta" a customer's, "część" a part) stands beside a real identifier as often
  // ("PESEL klienta: 44051401359").
  "ärendenummer",
  "ordernummer",
  "beställning",
  "faktura",
  "fakturanummer",
  "kundnummer",
  "mätarnummer",
  "försäkringsnummer",
  "organisationsnummer",
  "zamówienie",
  "zamówienia",
  "faktury",
  "przesyłka",
  "przesyłki",
  "paczka",
  "polisa",
  "polisy",
  "nip",
  "regon",
  "krs",
  "seryjny",
  "serienummer",
  "artikelnummer",
];

/**
 * Characters after a value its identifier words are looked for in: a value is often named after
 * it, by a short clause ("19250762237 – das ist die Steuer-ID", "100802-2574 är min sons
 * personnummer", "260 415 923 is het BSN van …").
 */
const ID_CONTEXT_AFTER = 40;

/**
 * National identifiers by the words naming them, in their languages and inflected forms, with
 * their checks: a number one of them labels is not a phone number ("BSN 388 274 451", "260 415 923
 * is het BSN van …"; recognizer.ts `namedAs`). Not the Spanish "DNI" and "NIE": they are Polish
 * "days" and "not" ("Proszę nie dzwonić, mój numer to 601 234 567"), and neither a DNI nor an NIE
 * has a phone number's shape (both end in a letter). Shared with the phone recogniser.
 */
export const NATIONAL_ID_KINDS: readonly NumberKind[] = [
  {
    words: ["steuer-id", "steuerid", "identifikationsnummer", "steueridentifikationsnummer"],
    check: isDeTaxId,
  },
  { words: ["nir", "insee", "sécurité sociale"], check: isFrNir },
  { words: ["nif"], check: isEsDni },
  { words: ["codice fiscale"], check: isItFiscalCode },
  { words: ["bsn", "burgerservicenummer"], check: isNlBsn },
  { words: ["pesel", "peselu", "peselem"], check: isPlPesel },
  { words: ["personnummer", "personnumret", "personnr", "samordningsnummer"], check: isSePersonnummer },
  { words: ["national insurance", "nino"], check: isUkNino },
];

/**
 * A personnummer's score by how it is written (Skatteverket, SKV 704): the `+` that replaces the
 * `-` from the year its holder turns 100, and the 12-digit form with the century and a dash, are
 * the number's own (0.6, above a phone reading); 10 digits with a dash (0.45) and bare digit runs
 * (0.2) need the word.
 */
function scorePersonnummer(value: string): number | false {
  if (!isSePersonnummer(value)) return false;
  if (value.includes("+") || /^\d{8}-\d{4}$/.test(value)) return 0.6;
  return value.includes("-") ? 0.45 : 0.2;
}

/** Every national-identifier and BIC recogniser, freshly compiled. */
export function nationalRecognizers(): Recognizer[] {
  return [
    definePatternRecognizer({
      id: "de-tax-id",
      entity: "DE_TAX_ID",
      // 11 digits, compact or grouped 2-3-3-3 as the tax office prints it.
      pattern: /(?<![\w-])[1-9]\d(?:\d{9}| \d{3} \d{3} \d{3})(?![\w]|[- ]\d)/,
      baseScore: 0.05,
      validate: (v) => (isDeTaxId(v) ? 0.4 : false),
      context: [
        "steuer-id",
        "steuerid",
        "steuer id",
        "idnr",
        "identifikationsnummer",
        "steueridentifikationsnummer",
        "steuerliche identifikationsnummer",
        "tax id",
        "tin",
      ],
      contextBoost: 0.45,
      contextAfter: ID_CONTEXT_AFTER,
      negativeContext: NOT_AN_ID,
      maxLength: 14,
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "fr-nir",
      entity: "FR_NIR",
      // Sex, year, month, département (2A/2B in Corsica), commune, order, key; spaced or not.
      pattern: /(?<![\w-])[1-478] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?![\w]|[- ]\d)/,
      baseScore: 0.05,
      validate: (v) => (isFrNir(v) ? 0.6 : false),
      context: [
        "sécurité sociale",
        "securite sociale",
        "sécu",
        "secu",
        "nir",
        "insee",
        "numéro de sécurité sociale",
        "vitale",
        "social security",
        "seguridad social",
      ],
      contextAfter: ID_CONTEXT_AFTER,
      negativeContext: NOT_AN_ID,
      maxLength: 21,
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "es-dni",
      entity: "ES_NIF",
      // Compact or with the thousands dots the card prints ("12.345.678-Z"); a letter typed in lower
      // case in chats ("02485260 h") counts only with a context word.
      pattern: /(?<![\w.-])(?:\d{8}|\d{2}\.\d{3}\.\d{3})[- ]?[A-Za-z](?![\w]|-\w)/,
      baseScore: 0.05,
      validate: (v) => (isEsDni(v) ? (/[a-z]$/.test(v) ? 0.3 : 0.55) : false),
      context: ["dni", "nif", "documento nacional de identidad", "d.n.i", "identidad", "documento"],
      contextAfter: ID_CONTEXT_AFTER,
      negativeContext: NOT_AN_ID,
      maxLength: 12,
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "es-nie",
      entity: "ES_NIE",
      pattern: /(?<![\w-])[XYZ]-?\d{7}-?[A-Z](?![\w]|-\w)/,
      baseScore: 0.05,
      validate: (v) => (isEsNie(v) ? 0.6 : false),
      context: ["nie", "número de identidad de extranjero", "extranjero", "tarjeta de residencia", "residencia"],
      contextAfter: ID_CONTEXT_AFTER,
      negativeContext: NOT_AN_ID,
      maxLength: 11,
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "it-fiscal-code",
      entity: "IT_FISCAL_CODE",
      pattern:
        /(?<![\w])[A-Za-z]{6}[\dLMNPQRSTUVlmnpqrstuv]{2}[ABCDEHLMPRSTabcdehlmprst][\dLMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][\dLMNPQRSTUVlmnpqrstuv]{3}[A-Za-z](?![\w])/,
      baseScore: 0.05,
      validate: (v) => (isItFiscalCode(v) ? 0.85 : false),
      context: ["codice fiscale", "cf", "c.f", "fiscale", "tax code"],
      contextBoost: 0.15,
      contextAfter: ID_CONTEXT_AFTER,
      negativeContext: NOT_AN_ID,
      maxLength: 16,
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "uk-nino",
      entity: "UK_NINO",
      pattern: /(?<![\w])[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\w])/,
      baseScore: 0.05,
      validate: (v) => (isUkNino(v) ? 0.45 : false),
      // Not "ni" alone: it is "nor" in French and Spanish.
      context: ["national insurance", "nino", "ni number", "ni no", "insurance number"],
      contextBoost: 0.45,
      contextAfter: ID_CONTEXT_AFTER,
      negativeContext: NOT_AN_ID,
      maxLength: 13,
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "nl-bsn",
      entity: "NL_BSN",
      // Compact, 4-2-3 as printed on the passport, or in threes as people read it out.
      pattern: /(?<![\w-])(?:\d{9}|\d{4}[ .]\d{2}[ .]\d{3}|\d{3} \d{3} \d{3})(?![\w]|[-.]\d| \d)/,
      baseScore: 0.05,
      validate: (v) => (isNlBsn(v) ? 0.1 : false),
      context: ["bsn", "burgerservicenummer", "sofinummer", "sofi", "citizen service number", "bsn-nummer"],
      contextBoost: 0.7,
      contextAfter: ID_CONTEXT_AFTER,
      negativeContext: NOT_AN_ID,
      maxLength: 11,
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "pl-pesel",
      entity: "PL_PESEL",
      pattern: /(?<![\w-])\d{11}(?![\w]|-\d)/,
      baseScore: 0.05,
      validate: (v) => (isPlPesel(v) ? 0.3 : false),
      // Polish declines the word: "mojego peselu", "z peselem".
      context: ["pesel", "numer pesel", "peselu", "peselem", "peselowi"],
      contextBoost: 0.6,
      contextAfter: ID_CONTEXT_AFTER,
      negativeContext: NOT_AN_ID,
      maxLength: 11,
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "se-personnummer",
      entity: "SE_PERSONNUMMER",
      pattern: /(?<![\w+-])(?:\d{2})?\d{6}[-+]?\d{4}(?![\w]|[-+]\d)/,
      baseScore: 0.05,
      validate: scorePersonnummer,
      context: [
        "personnummer",
        "personnumret",
        "personnumren",
        "samordningsnummer",
        "personal identity number",
        "person number",
        "personnr",
        "pnr",
      ],
      contextBoost: 0.5,
      contextAfter: ID_CONTEXT_AFTER,
      negativeContext: NOT_AN_ID,
      maxLength: 13,
      anchor: "digit",
    }),
    definePatternRecognizer({
      id: "swift-code",
      entity: "SWIFT_CODE",
      pattern: /(?<![\w])[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?(?![\w])/,
      baseScore: 0.05,
      // An upper-case word can have a BIC's shape ("BUSINESS": BUSI, NE, SS); a digit cannot.
      validate: (v) => (isBic(v) ? (/\d/.test(v) ? 0.45 : 0.3) : false),
      context: ["bic", "swift", "swift code", "bic code", "iban", "bank", "banque", "banca", "banco", "bankverbindung"],
      contextBoost: 0.4,
      maxLength: 11,
      anchor: "capitals",
    }),
  ];
}
