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

/** True when the number is valid for its explicit country code, or for one of the common regions. */
export function isPlausiblePhone(text: string): boolean {
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
