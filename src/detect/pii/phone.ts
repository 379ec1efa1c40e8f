/** Phone-number validation across regions, via libphonenumber-js (Google's metadata). */
import { type CountryCode, parsePhoneNumberWithError } from "libphonenumber-js/max";

/** Regions tried for numbers written without a country code, most common in our users' data first. */
const REGIONS: readonly CountryCode[] = [
  "US",
  "GB",
  "DE",
  "FR",
  "ES",
  "IT",
  "NL",
  "BE",
  "CH",
  "AT",
  "SE",
  "DK",
  "NO",
  "FI",
  "PL",
  "CZ",
  "HU",
  "PT",
  "IE",
  "AU",
  "CA",
  "IN",
  "BR",
  "MX",
  "JP",
  "CN",
];

/**
 * libphonenumber validation costs about 90 µs per region tried (it builds its matchers per call),
 * and a national number may be tried against every region. The same numbers recur within a
 * conversation (a prompt's number comes back in the answer), so results are memoised in a small
 * bounded map keyed by the candidate text.
 */
const CACHE_LIMIT = 4096;
const cache = new Map<string, boolean>();

/** True when the number is valid for its explicit country code, or for one of the common regions. */
export function isPlausiblePhone(text: string): boolean {
  const known = cache.get(text);
  if (known !== undefined) return known;
  const result = validate(text);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(text, result);
  return result;
}

function validate(text: string): boolean {
  const candidate = text.replace(/\s*(?:x|ext\.?|extension)\s*\d{1,5}$/i, "");
  if (candidate.trim().startsWith("+") || candidate.startsWith("00")) {
    return tryParse(candidate.replace(/^00/, "+"), undefined);
  }
  return REGIONS.some((region) => tryParse(candidate, region));
}

function tryParse(text: string, region: CountryCode | undefined): boolean {
  try {
    return parsePhoneNumberWithError(text, region).isValid();
  } catch {
    return false;
  }
}
