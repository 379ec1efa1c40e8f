/** Deterministic benchmark text: ordinary English prose with PII values at ~1% of characters. */

const WORDS = `the a of to and in is it you that he was for on are with as I his they be at one have this from or had by
not word but what some we can out other were all there when up use your how said an each she which do their time if will
way about many then them write would like so these her long make thing see him two has look more day could go come did
number sound no most people my over know water than call first who may down side been now find any new work part take
get place made live where after back little only round man year came show every good me give our under name very through
just form sentence great think say help low line differ turn cause much mean before move right boy old too same tell does
set three want air well also play small end put home read hand port large spell add even land here must big high such
follow act why ask men change went light kind off need house picture try us again animal point mother world near build
self earth father head stand own page should country found answer school grow study still learn plant cover food sun four
between state keep eye never last let thought city tree cross farm hard start might story saw far sea draw left late run
while press close night real life few north open seem together next white children begin got walk example ease paper
group always music those both mark often letter until mile river car feet care second book carry took science eat room
friend began idea fish mountain stop once base hear horse cut sure watch color face wood main enough plain girl usual young
ready above ever red list though feel talk bird soon body dog family direct pose leave song measure door product black
short numeral class wind question happen complete ship area half rock order fire south problem piece told knew pass since
top whole king space heard best hour better true during hundred five remember step early hold west ground interest reach
fast verb sing listen six table travel less morning ten simple several vowel toward war lay against pattern slow center
love person money serve appear road map rain rule govern pull cold notice voice unit power town fine certain fly fall lead
cry dark machine note wait plan figure star box noun field rest correct able pound done beauty drive stood contain front
teach week final gave green oh quick develop ocean warm free minute strong special mind behind clear tail produce fact`.split(
  /\s+/,
);

/** PII values, freshly varied for each occurrence so no cache sees the same value twice. */
const PII: ((random: () => number) => string)[] = [
  () => "4111 1111 1111 1111",
  (r) => `jane.doe${Math.floor(r() * 1e6)}@example.com`,
  (r) => `+1 (415) 555-${String(Math.floor(r() * 1e4)).padStart(4, "0")}`,
  (r) =>
    `0${Math.floor(r() * 9e3 + 1e3)} ${Math.floor(r() * 90 + 10)} ${Math.floor(r() * 90 + 10)} ${Math.floor(r() * 90 + 10)}`,
  () => "DE89 3704 0044 0532 0130 00",
  (r) => `536-${Math.floor(r() * 89 + 10)}-${Math.floor(r() * 8999 + 1000)}`,
  (r) => `192.168.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`,
  () => "Donald van der Voet",
  (r) => `account ${Math.floor(r() * 1e11)}`,
];

/** A pseudo-random generator with a fixed seed, so every run scans the same text. */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** About `bytes` of prose; PII values make up `density` of the characters. */
export function mixedText(bytes: number, density = 0.01, seed = 42): string {
  const random = mulberry32(seed);
  const parts: string[] = [];
  let size = 0;
  let pii = 0;
  let sentence = 0;
  while (size < bytes) {
    let word: string;
    if (pii < size * density) {
      word = (PII[Math.floor(random() * PII.length)] as (r: () => number) => string)(random);
      pii += word.length;
    } else {
      word = WORDS[Math.floor(random() * WORDS.length)] as string;
      if (sentence === 0) word = word.charAt(0).toUpperCase() + word.slice(1);
    }
    sentence++;
    const end = sentence > 8 + random() * 10 ? ". " : " ";
    if (end === ". ") sentence = 0;
    parts.push(word + end);
    size += word.length + end.length;
  }
  return parts.join("");
}
