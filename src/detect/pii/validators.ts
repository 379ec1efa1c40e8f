/**
 * Checksums and range rules that turn a pattern match into a confident detection (or reject it).
 * Each returns true (valid), false (invalid: drop the candidate) — see recognizer.ts for scoring.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { validate as validateBitcoin } from "bitcoin-address-validation";
import { isValidIBAN } from "ibantools";

export function digitsOf(text: string): string {
  return text.replace(/\D/g, "");
}

/** Luhn mod-10 (ISO/IEC 7812), used by payment cards. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Issuer identification ranges of the major card networks, with their valid lengths. */
const CARD_ISSUERS: readonly { prefix: RegExp; lengths: readonly number[] }[] = [
  { prefix: /^4/, lengths: [13, 16, 19] }, // Visa
  { prefix: /^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/, lengths: [16] }, // Mastercard
  { prefix: /^3[47]/, lengths: [15] }, // American Express
  { prefix: /^(6011|64[4-9]|65)/, lengths: [16, 19] }, // Discover
  { prefix: /^35(2[89]|[3-8]\d)/, lengths: [16, 19] }, // JCB
  { prefix: /^3(0[0-5]|[689])/, lengths: [14, 16, 19] }, // Diners Club
  { prefix: /^62/, lengths: [16, 17, 18, 19] }, // UnionPay
  { prefix: /^(5018|5020|5038|5893|6304|6759|676[1-3])/, lengths: [12, 13, 14, 15, 16, 17, 18, 19] }, // Maestro
  { prefix: /^220[0-4]/, lengths: [16] }, // Mir
  { prefix: /^(2131|1800)/, lengths: [15] }, // JCB (older 15-digit numbers)
];

/** `issuer`: Luhn-valid in a known issuer range; `luhn`: Luhn-valid only; `invalid`: neither. */
export function classifyCard(text: string): "issuer" | "luhn" | "invalid" {
  const digits = digitsOf(text);
  if (!isLuhnValid(digits) || /^(\d)\1+$/.test(digits)) return "invalid";
  const known = CARD_ISSUERS.some((issuer) => issuer.prefix.test(digits) && issuer.lengths.includes(digits.length));
  return known ? "issuer" : "luhn";
}

/** ISO 13616 IBAN: per-country length, structure and ISO 7064 mod-97 (via ibantools). */
export function isIban(text: string): boolean {
  return isValidIBAN(text.replace(/[\s-]/g, "").toUpperCase());
}

/** ABA routing transit number: 9 digits, weights 3-7-1, sum divisible by 10. */
export function isAbaRouting(text: string): boolean {
  const d = digitsOf(text);
  if (d.length !== 9 || /^0{9}$/.test(d)) return false;
  const weights = [3, 7, 1];
  const sum = [...d].reduce((total, c, i) => total + Number(c) * (weights[i % 3] as number), 0);
  // Valid first two digits: 00-12 (banks), 21-32 (thrifts), 61-72 (electronic), 80 (traveller's cheques).
  const prefix = Number(d.slice(0, 2));
  const prefixOk = prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80;
  return sum % 10 === 0 && prefixOk;
}

/** US SSN: area not 000, 666 or 900-999; group not 00; serial not 0000; not all one digit. */
export function isUsSsn(text: string): boolean {
  const d = digitsOf(text);
  if (d.length !== 9) return false;
  const area = Number(d.slice(0, 3));
  const group = Number(d.slice(3, 5));
  const serial = Number(d.slice(5));
  if (area === 0 || area === 666 || area >= 900 || group === 0 || serial === 0) return false;
  if (/^(\d)\1{8}$/.test(d) || d === "123456789") return false;
  return true;
}

/** Bitcoin addresses: base58check (P2PKH, P2SH) and bech32/bech32m (SegWit, Taproot). */
export function isBitcoinAddress(text: string): boolean {
  try {
    return validateBitcoin(text);
  } catch {
    return false;
  }
}

/**
 * Ethereum address. Mixed case must carry a valid EIP-55 checksum; all-lower or all-upper hex has
 * no checksum, so it is "unchecked" (undefined) and needs context to count.
 */
export function ethereumChecksum(text: string): boolean | undefined {
  const hex = text.slice(2);
  if (!/^[0-9a-fA-F]{40}$/.test(hex)) return false;
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return undefined;
  const hash = keccak_256(new TextEncoder().encode(hex.toLowerCase()));
  for (let i = 0; i < 40; i++) {
    const c = hex[i] as string;
    if (!/[a-fA-F]/.test(c)) continue;
    const nibble = ((hash[i >> 1] as number) >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    if (nibble >= 8 !== (c === c.toUpperCase())) return false;
  }
  return true;
}
