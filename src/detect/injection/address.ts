/**
 * Cues that a span of a document addresses the assistant reading it rather than the document's
 * human reader: an imperative opening (split into verbs that ask for an AI's kind of work and
 * verbs that ask a person to act), second person, references to "your response/answer/output",
 * role words (assistant, AI, model), talk about instructions or prompts, output-format
 * directives, URLs and e-mail addresses, tool and command directives, and for code what the code
 * does (network calls, secrets, process execution). Cues are emitted as reserved words
 * (`zq…`) appended to the span's text, so the span model learns their weights beside its
 * n-grams; crossed with the document's genre and the span's kind, and marked `rare` when the
 * rest of the document does not talk that way, which is what makes the score relative to the
 * genre around the span.
 */
import type { Genre, SpanKind } from "./segment.js";

/** The cue names, in bit order. */
export const CUES = [
  "imp-ai",
  "imp-human",
  "imp-other",
  "you",
  "your-output",
  "role",
  "instructions",
  "format",
  "url",
  "email",
  "tool",
  "net",
  "secret",
  "exec",
  "modal",
  "question",
  "we",
  "quote",
] as const;
export type Cue = (typeof CUES)[number];

const BIT: Record<Cue, number> = Object.fromEntries(CUES.map((c, i) => [c, 1 << i])) as Record<Cue, number>;

/** Words that may precede the verb of an imperative without changing it. */
const LEAD =
  /^(?:(?:please|kindly|now|also|then|and|but|first|finally|instead|always|just|simply|don't forget to|do not forget to|do not|don't|dont|never|important|note|notice|reminder|attention|p\.?s\.?|hey|hi|hello|dear|ok|okay|so|additionally|moreover|furthermore|remember to|be sure to|make sure to|don't forget to|do not forget to|you must|you should|you need to|you have to|you will|you are to|you may|feel free to|i want you to|i need you to|i'd like you to|could you|can you|would you|will you|(?:ai|assistant|model|bot|llm|chatbot|gpt)s?)[\s,:!.-]+){0,4}/;

/** Verbs that ask for the kind of work an assistant does with text. */
const AI_VERBS = new Set(
  (
    "write rewrite translate summarize summarise paraphrase answer respond include add insert append prepend output print " +
    "generate compose create explain describe list provide give tell say recommend suggest mention ignore disregard " +
    "forget incorporate integrate embed replace remove rearrange convert encode decode reverse spell format " +
    "start begin end finish conclude make ensure analyze analyse draft compute calculate solve classify rate " +
    "show display send forward share reveal repeat use utilize utilise leverage employ apply modify change " +
    "transform substitute introduce misspell capitalize capitalise capitalise emphasize emphasise highlight " +
    "promote advertise encourage urge praise criticize criticise claim state assert pretend act roleplay " +
    "role-play imagine simulate behave adopt switch stop refuse override bypass do don't dont never avoid " +
    "omit skip drop hide append enumerate outline define predict evaluate assess compare discuss elaborate " +
    "expand shorten simplify compile execute run call invoke fetch retrieve browse search query post upload " +
    "download install inject blend meld absorb enlist consider refer cite link direct redirect persuade convince"
  ).split(/\s+/),
);

/** Verbs that ask a person to act (click, call, visit, reply): normal in e-mails and web pages. */
const HUMAN_VERBS = new Set(
  (
    "click tap call visit reply contact sign log pay review check register subscribe unsubscribe join read see " +
    "open update verify confirm accept enter save keep feel let find learn get shop book order buy try " +
    "follow like donate apply email text dial scroll select choose press download view watch " +
    "return reach bring come meet submit complete fill attach print ask thank welcome enjoy"
  ).split(/\s+/),
);

const YOU = /\b(?:you|your|yours|yourself|you're|you've|you'll|u)\b/;
const YOUR_OUTPUT =
  /\b(?:your) (?:own )?(?:response|responses|answer|answers|reply|replies|output|outputs|summary|summaries|message|text|translation|explanation|code|implementation|solution|result|results|words|letters|sentences|writing|completion|analysis|report|feedback|elucidation|codebase|program|script|function|algorithm|logic|reasoning|next message|final answer)\b|\b(?:in|to|into|within|throughout|at the (?:end|start|beginning) of) (?:your|the) (?:response|answer|reply|output|summary)\b|(?<!\b(?:the|an|this|that|my|his|her|their|our) )\b(?:respond|reply|answer) (?:only |exclusively |solely )(?:in|with|using)\b|^(?:please |now |always )?(?:respond|reply|answer) (?:in|with|using)\b/;
const ROLE =
  /\b(?:ai|a\.i\.|assistant|assistants|chatbot|chatbots|llm|llms|language model|gpt|chatgpt|claude|gemini|copilot|bot|agent|agents|model|summari[sz]er)\b/;
const INSTRUCTIONS =
  /\b(?:instructions?|prompt|prompts|directives?|guidelines|system message|system prompt|context window|conversation|operator)\b|\b(?:tell|inform|ask|warn|remind|advise|convince|persuade|show|give|send|redirect|direct|let|urge|recommend to|suggest to) (?:the |this )?users?\b|\bthe user's (?:question|request|message|query|task|data|inbox|e-?mails?|files?|password|credentials|conversation|history)\b|\b(?:previous|prior|above|earlier|initial|original) (?:text|message|messages|content|context|task|request|question|rules|guidance|orders)\b/;
const FORMAT =
  /\b(?:in (?:english|spanish|french|german|chinese|japanese|italian|portuguese|russian|arabic|hindi|korean|emoji|emojis|all caps|uppercase|lowercase|capital letters|json|markdown|bullet points|base64|binary|hex|morse|reverse|pig latin|rhymes?|verse|haiku)|every (?:other |second |third |fourth |fifth )?(?:word|letter|sentence|line)|each (?:word|letter|sentence)|emoji|emojis|anagrams?|cipher|encode|encoded|reversed?|backwards|uppercase|lowercase|all caps|font|bold|italic|spaces?|typos?|misspell\w*|vowels?|consonants?|letters with|numbers for|symbols for|word count|no more than \d+|at least \d+ words|exactly \d+)\b/;
const URL =
  /\bhttps?:\/\/|\bwww\.|\b[a-z0-9-]{2,}\.(?:com|net|org|io|xyz|info|biz|co|ru|cn|app|site|online|top|me|ly)\b/;
const EMAIL = /\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b/;
const TOOL =
  /\b(?:call|invoke|execute|run|trigger|use) (?:the |a |this )?(?:\w+ )?(?:tool|function|plugin|command|api|endpoint|action|webhook)\b|\b(?:function_call|tool_call|tool_use)\b|\bsend (?:an? )?(?:e-?mail|message|request)\b/;
const NET =
  /\b(?:requests\.(?:get|post|put)|urllib|urlopen|socket\.|http\.client|httpsconnection|ftplib|ftp\(|smtplib|sendmail|curl|wget|fetch\(|xmlhttprequest|websocket|paramiko|bluetooth|scp |nc -)\b|\bsmtp\b/;
const SECRET =
  /\b(?:os\.environ|environ\[|getenv|cookies?|cookiejar|passwd|password|\.ssh|id_rsa|credentials?|keylog\w*|pynput|keyboard\.|screenshot|imagegrab|pyautogui|clipboard|psutil|getpass|api[_ ]?key|token|wallet|shadow|registry|winreg|history)\b/;
const EXEC =
  /\b(?:subprocess|os\.system|popen|exec\(|eval\(|chmod|sudo|rm -rf|dd if=|mkfs|shutdown|systemctl|kill|fork|nohup|crontab|schtasks|iptables|netsh)\b/;
const MODAL = /\b(?:must|should|need to|have to|shall|are required to|is required to)\b/;
const WE = /\b(?:we|our|us|i|my|me)\b/;

const DETERMINERS = new Set("the a an all any each every one your its this these those some multiple".split(" "));
/** First words that come before a determiner without being verbs. */
const NOT_VERBS = new Set(
  "in on at for with from by of to as is was are were be been and but or thanks thank hi hello dear all about into over under after before during than like via per".split(
    " ",
  ),
);

/** Verbs tool descriptions open with, besides the imperative ones above. */
const TOOL_VERBS = new Set(
  "walk get delete find read list search fetch return update lookup look check count".split(" "),
);

/**
 * Whether a (normalised) span opens with an action verb, bare or third person ("Create a
 * new issue", "Downloads a web page", "Returns the full path"): the shape of a tool
 * description or a prompt, which data rarely opens with.
 */
export function opensWithAction(text: string): boolean {
  const lead = LEAD.exec(text);
  const verb = /^[a-z'-]+/.exec(lead ? text.slice(lead[0].length) : text)?.[0] ?? "";
  const known = (v: string) => AI_VERBS.has(v) || HUMAN_VERBS.has(v) || TOOL_VERBS.has(v);
  if (known(verb)) return true;
  // A bare word then a determiner ("Rotate the API key", "Walks a directory tree") reads as a verb.
  const next = /^[a-z'-]+ ([a-z]+)/.exec(lead ? text.slice(lead[0].length) : text)?.[1] ?? "";
  if (DETERMINERS.has(next) && !NOT_VERBS.has(verb)) return true;
  if (verb.endsWith("es") && known(verb.slice(0, -2))) return true;
  return verb.endsWith("s") && known(verb.slice(0, -1));
}

/** The cue bits of one (normalised, lower-case) span. */
export function cueBits(text: string): number {
  let bits = 0;
  const lead = LEAD.exec(text);
  const rest = lead ? text.slice(lead[0].length) : text;
  const verb = /^[a-z'-]+/.exec(rest)?.[0] ?? "";
  if (verb) {
    if (AI_VERBS.has(verb)) bits |= BIT["imp-ai"];
    else if (HUMAN_VERBS.has(verb)) bits |= BIT["imp-human"];
    else if (lead && lead[0].length > 0 && /you|please|kindly/.test(lead[0])) bits |= BIT["imp-other"];
  }
  if (YOU.test(text)) bits |= BIT.you;
  if (YOUR_OUTPUT.test(text)) bits |= BIT["your-output"];
  if (ROLE.test(text)) bits |= BIT.role;
  if (INSTRUCTIONS.test(text)) bits |= BIT.instructions;
  if (FORMAT.test(text)) bits |= BIT.format;
  if (URL.test(text)) bits |= BIT.url;
  if (text.includes("@") && EMAIL.test(text)) bits |= BIT.email;
  if (TOOL.test(text)) bits |= BIT.tool;
  if (NET.test(text)) bits |= BIT.net;
  if (SECRET.test(text)) bits |= BIT.secret;
  if (EXEC.test(text)) bits |= BIT.exec;
  if (MODAL.test(text)) bits |= BIT.modal;
  if (text.endsWith("?")) bits |= BIT.question;
  if (WE.test(text)) bits |= BIT.we;
  if (/^["'“‘«]/.test(text)) bits |= BIT.quote;
  return bits;
}

/**
 * Cues that mean a span instructs the assistant (an AI-work imperative, "your response", role
 * words). Plain second person is left out: answers on Q&A sites talk to their asker that way.
 */
export const ADDRESSING_BITS = BIT["imp-ai"] | BIT["your-output"] | BIT.role;

/**
 * Cues without which a span does not address the assistant at all: an AI-work imperative,
 * "your response", role words, talk about instructions, output-format and tool directives,
 * code that calls out or executes. A span with none of them (a person told to reply by
 * Friday, a WHOIS disclaimer) is capped, however its words score.
 */
export const ASSISTANT_BITS =
  BIT["imp-ai"] | BIT["your-output"] | BIT.role | BIT.instructions | BIT.format | BIT.tool | BIT.net | BIT.exec;

/** Whether a cue is set in `bits`. */
export function hasCue(bits: number, cue: Cue): boolean {
  return (bits & BIT[cue]) !== 0;
}

/** Cues whose rarity in the rest of the document is itself evidence. */
const RELATIVE: readonly Cue[] = ["imp-ai", "you", "your-output", "role", "instructions", "format"];
const CROSSED: readonly Cue[] = [
  "imp-ai",
  "imp-human",
  "you",
  "your-output",
  "role",
  "instructions",
  "question",
  "url",
  "net",
  "secret",
  "exec",
];

/** How often each relative cue occurs among a document's spans, as a share in [0, 1]. */
export function cueRates(allBits: readonly number[]): Map<Cue, number> {
  const rates = new Map<Cue, number>();
  const n = Math.max(1, allBits.length);
  for (const cue of RELATIVE) {
    let count = 0;
    for (const b of allBits) if ((b & BIT[cue]) !== 0) count++;
    rates.set(cue, count / n);
  }
  return rates;
}

/** Below this share of a document's spans, a cue is `rare` there. */
const RARE_SHARE = 0.15;

/**
 * The reserved words appended to a span's text: each cue, each cue crossed with the genre and
 * with the span kind, the kind itself, pairs of the strongest cues, and `rare` marks for cues the
 * rest of the document seldom shows. Letters only, so the word hashing keeps each one whole.
 */
export function cueWords(
  bits: number,
  context: { genre: Genre; kind: SpanKind; rates: ReadonlyMap<Cue, number> },
): string {
  const g = context.genre.replace(/-/g, "");
  const k = context.kind.replace(/-/g, "");
  const words: string[] = [`zqk${k}`, `zqg${g}`, `zqg${g}k${k}`];
  let count = 0;
  for (const cue of CUES) {
    if ((bits & BIT[cue]) === 0) continue;
    count++;
    const c = cue.replace(/-/g, "");
    words.push(`zq${c}`);
    if (CROSSED.includes(cue)) words.push(`zq${c}g${g}`, `zq${c}k${k}`);
    const rate = context.rates.get(cue);
    if (rate !== undefined && rate < RARE_SHARE) words.push(`zqrare${c}`, `zqrare${c}g${g}`);
  }
  const strong = (bits & (BIT["imp-ai"] | BIT.you | BIT["your-output"] | BIT.role)) >>> 0;
  if (hasCue(strong, "imp-ai") && hasCue(bits, "you")) words.push("zqimpyou");
  if (hasCue(strong, "imp-ai") && hasCue(bits, "your-output")) words.push("zqimpoutput");
  if (hasCue(strong, "imp-ai") && hasCue(bits, "url")) words.push("zqimpurl");
  if (hasCue(strong, "imp-ai") && hasCue(bits, "role")) words.push("zqimprole");
  if (hasCue(bits, "net") && hasCue(bits, "secret")) words.push("zqnetsecret");
  if (hasCue(bits, "net") && hasCue(bits, "exec")) words.push("zqnetexec");
  words.push(`zqcount${Math.min(count, 5)}`);
  return words.join(" ");
}
