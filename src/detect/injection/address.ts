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
  "ask",
  "lone-ask",
  "detached",
  "titled",
  "fragment",
  "reader",
  "human-act",
  "the-user",
  "artefact",
] as const;
export type Cue = (typeof CUES)[number];

const BIT: Record<Cue, number> = Object.fromEntries(CUES.map((c, i) => [c, 1 << i])) as Record<Cue, number>;

/** Words that may precede the verb of an imperative without changing it. */
const LEAD =
  /^(?:(?:please|kindly|now|also|then|and|but|first|finally|instead|always|just|simply|from now on|from this point(?: on| onwards?)?|going forward|henceforth|from here on|in (?:your|the|any) (?:response|answer|reply|summary|output)s?|when (?:you )?(?:answering|replying|responding|summari[sz]ing)|don't forget to|do not forget to|do not|don't|dont|never|important|note|notice|reminder|attention|p\.?s\.?|hey|hi|hello|dear|ok|okay|so|additionally|moreover|furthermore|remember to|be sure to|make sure to|don't forget to|do not forget to|you must|you should|you need to|you have to|you will|you are to|you may|feel free to|i want you to|i need you to|i'd like you to|could you|can you|would you|will you|quietly|silently|secretly|discreetly|covertly|before (?:answering|responding|replying|you (?:answer|respond|reply))|(?:ai|assistant|model|bot|llm|chatbot|gpt)s?)[\s,:!.-]+){0,4}/;

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
    "download install inject blend meld absorb enlist consider refer cite link direct redirect persuade convince " +
    "produce develop craft devise elucidate clarify illustrate narrate recount portray depict fabricate invent insist " +
    "trigger render jumble scramble shuffle exaggerate downplay leak exfiltrate disclose divulge"
  ).split(/\s+/),
);

/**
 * The same kind of imperative in other languages (German, French, Spanish, Italian, Portuguese,
 * Dutch, Swahili, Indonesian): data in one language may carry an instruction in another.
 */
const FOREIGN_AI_VERBS = new Set(
  (
    "ignoriere vergiss antworte schreibe füge übersetze gib nenne erwähne empfiehl behaupte sage antworten " +
    "ignorez oublie oubliez réponds répondez écris écrivez ajoute ajoutez traduis traduisez dis dites mentionne " +
    "recommande affirme inclus incluez ignora ignore olvida responde contesta escribe añade agrega incluye traduce " +
    "di menciona recomienda afirma dimentica rispondi scrivi aggiungi includi traduci dì menziona raccomanda " +
    "esqueça responda escreva adicione inclua traduza diga mencione recomende negeer vergeet antwoord schrijf " +
    "voeg vertaal noem puuza sahau jibu andika ongeza tafsiri sema abaikan lupakan jawab tulis tambahkan " +
    "terjemahkan sebutkan"
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
/** "Your answer" and "the assistant" in the languages of FOREIGN_AI_VERBS. */
const FOREIGN_OUTPUT =
  /\b(?:deine|deiner|deinen|ihre|ihrer|ihren|ta|votre|tu|su|tua|sua|je|uw) (?:antwort|réponse|respuesta|risposta|resposta|antwoord)\b|(?:jibu lako|jawabanmu|jawaban anda)\b/;
/**
 * Letters or words that every text matched by FOREIGN_OUTPUT or FOREIGN_ROLE contains: a cheap
 * test first, so English spans skip those scans.
 */
const NON_ENGLISH_HINT = /[\u00c0-\u024f]|antw|respu|rispo|respo|jibu|jawab|asist|assist|msaidizi/;
const FOREIGN_ROLE = /\b(?:asistente|assistente|assistent|l'assistant|ki-assistent|msaidizi|asisten)\b/;
const YOUR_OUTPUT =
  /\b(?:your) (?:own )?(?:response|responses|answer|answers|reply|replies|output|outputs|summary|summaries|message|text|translation|explanation|code|implementation|solution|result|results|words|letters|sentences|writing|completion|analysis|report|feedback|elucidation|codebase|program|script|function|algorithm|logic|reasoning|next message|final answer)\b|\b(?:in|to|into|within|throughout|at the (?:end|start|beginning) of) (?:your|the) (?:response|answer|reply|output|summary)\b|(?<!\b(?:the|an|this|that|my|his|her|their|our) )\b(?:respond|reply|answer) (?:only |exclusively |solely )(?:in|with|using)\b|^(?:please |now |always )?(?:respond|reply|answer) (?:in|with|using)\b|\b(?:any|every|each|the) (?:summary|summaries|response|responses|answer|answers|reply|replies|output|translation) (?:that )?you (?:write|produce|give|generate|create|return|send|provide)\b/;
const ROLE =
  /\b(?:ai|a\.i\.|assistant|assistants|chatbot|chatbots|llm|llms|language model|gpt|chatgpt|claude|gemini|copilot|bot|agent|agents|model|summari[sz]er|persona|alter ego|developer mode)\b/;
const INSTRUCTIONS =
  /\b(?:instructions?|prompt|prompts|(?<!\b(?:rights|privacy|protection|eu|council|services|union|consumer|ec|eec) )directives?|guidelines|system message|system prompt|context window|conversation|operator)\b|\b(?:tell|inform|ask|warn|remind|advise|convince|persuade|show|give|send|redirect|direct|let|urge|recommend to|suggest to) (?:the |this )?(?:users?|readers?|recipients?)\b|\bthe user's (?:question|request|message|query|task|data|inbox|e-?mails?|files?|password|credentials|conversation|history)\b|\b(?:previous|prior|above|earlier|initial|original) (?:text|message|messages|content|context|task|request|question|rules|guidance|orders)\b/;
const FORMAT =
  /\b(?:in (?:english|spanish|french|german|chinese|japanese|italian|portuguese|russian|arabic|hindi|korean|emoji|emojis|all caps|uppercase|lowercase|capital letters|json|markdown|bullet points|base64|binary|hex|morse|reverse|pig latin|rhymes?|verse|haiku)|every (?:other |second |third |fourth |fifth )?(?:word|letter|sentence|line)|each (?:word|letter|sentence)|emoji|emojis|anagrams?|cipher|encode|encoded|reverse (?:the |each |every |all )?(?:order|words?|letters?|sentences?|text|response|answer|output)|reversed (?:order|words|letters|text)|backwards|uppercase|lowercase|all caps|font|bold|italic|spaces?|typos?|misspell\w*|vowels?|consonants?|letters with|numbers for|symbols for|word count|no more than \d+|at least \d+ words|exactly \d+)\b/;
const URL =
  /\bhttps?:\/\/|\bwww\.|\b[a-z0-9-]{2,}\.(?:com|net|org|io|xyz|info|biz|co|ru|cn|app|site|online|top|me|ly)\b/;
const EMAIL = /\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b/;
const TOOL =
  /\b(?:call|invoke|execute|run|trigger|use) (?:the |a |this )?(?:[\w-]+ ){0,3}(?:tool|function|plugin|command|api|endpoint|action|webhook)\b|\b(?:function_call|tool_call|tool_use)\b|\bsend (?:an? )?(?:e-?mail|message|request)\b/;
const NET =
  /\b(?:requests\.(?:get|post|put)|urllib|urlopen|socket\.|http\.client|httpsconnection|ftplib|ftp\(|smtplib|sendmail|curl|wget|fetch\(|xmlhttprequest|websocket|paramiko|bluetooth|scp |nc -)\b|\bsmtp\b/;
const SECRET =
  /\b(?:os\.environ|environ\[|getenv|cookies?|cookiejar|passwd|password|\.ssh|id_rsa|credentials?|keylog\w*|pynput|keyboard\.|screenshot|imagegrab|pyautogui|clipboard|psutil|getpass|api[_ ]?key|token|wallet|shadow|registry|winreg|history)\b/;
const EXEC =
  /\b(?:subprocess|os\.system|popen|exec\(|eval\(|chmod|sudo|rm -rf|dd if=|mkfs|shutdown|systemctl|kill|fork|nohup|crontab|schtasks|iptables|netsh)\b/;
const MODAL = /\b(?:must|should|need to|have to|shall|are required to|is required to)\b/;
const WE = /\b(?:we|our|us|i|my|me)\b/;
/** A question in the form one puts to an assistant: a question word or an auxiliary, then a question mark (and no "you"). */
const ASK =
  /^(?:(?:so|and|but|also|now|ok|okay|hey|hi|quick question|question)[\s,:]+)?(?:what|what's|who|whom|whose|which|when|where|why|how|is|are|was|were|do|does|did|can|could|would|will|should|may|might|shall|has|have)\b/;
/**
 * A person the document is written to, named (reviewers, customers, staff, visitors, in the
 * languages of FOREIGN_AI_VERBS too), or the register of security advice and disclaimers
 * ("never share it with anyone", "we will never ask"): an instruction to them is part of the data.
 */
const READER =
  /\b(?:reviewers?|editors?|proofreaders?|translators?|graders?|markers|examiners|auditors|approvers|customers?|clients|cardholders?|account ?holders|employees?|staff|colleagues|managers|new starters|new hires|team members|members|visitors?|guests?|passengers?|tenants?|residents|students?|pupils|parents|patients?|participants?|attendees?|applicants?|candidates|volunteers|drivers|recipients?|readers?|subscribers?|buyers|shoppers|travell?ers|committee)\b|\b(?:with|to) (?:anyone|someone|somebody|strangers)\b|\bsomeone who\b|\bwill never ask\b|\b(?:prüfer\w*|kunden|mitarbeit\w*|besucher\w*|relecteurs?|clients?|employés?|visiteurs?|revisores?|clientes?|empleados?|pasajeros?|visitantes?|revisori|clienti|dipendenti|visitatori|beoordelaars?|klanten|medewerkers?|bezoekers?|pelanggan|karyawan|pengunjung|siapa pun)\b/;
/**
 * Things only a person does or handles: sign, print, bring, visit a branch, phone, show a
 * passport, tick a box, preheat an oven. Nobody asks that of an assistant reading a document.
 */
const HUMAN_ACT =
  /\b(?:sign|signs|signed|signing|signature|initial each|print (?:your|the|it|this|a)|printed|bring|wear|park|attend|in person|by post|by phone|call us|call the (?:number|helpline|hotline|office)|hang up|helpline|reception|front desk|(?:nearest|local|your) branch|branch office|passport|photo id|id card|badge|receipt|cheque|tick the box|capital letters|block capitals|restart your (?:computer|device|phone)|unplug|oven|preheat|stir|serve with|season with|timesheets?|expense claims?|consent slip|your (?:own )?(?:bank|card|cards|pin|wallet|purse|phone|mobile|computer|laptop|home|house|flat|desk|car|keys|seat|ticket|booking|parcel|food|leave|manager|doctor|gp|children|family|signature|screen|router)|unterschreib\w*|druckbuchstaben|empfang|signer|parapher|majuscules|accueil|firm(?:e|en|ar|ado|ada|elo|ato|are|atelo)|letra clara|stampatello|tekenen|tekent|receptie|tanda tangan\w*|huruf kapital)\b/;
/** A piece of writing asked for: what an assistant is asked to produce, not a person reading a document. */
const ARTEFACT =
  /\b(?:poem|poems|story|stories|essay|essays|limerick|haiku|sonnet|song|lyrics|speech|article|blog post|tweet|joke|jokes|slogan|riddle|recipe|product description|biography|dialogue|fable|fairy tale|short story|screenplay|monologue|ode|rap|jingle)\b/;

/** Chinese and Japanese text, for the cues below (a cheap test first). */
const CJK = /[\u3040-\u9fff]/;
/** Ignore, forget, "instead", write a … : a Chinese or Japanese instruction to the assistant. */
const CJK_IMPERATIVE =
  /忽略|忽视|忽視|无视|無視|忘记|忘記|忘掉|忘れて|改为|改為|写一|寫一|请回答|請回答|答えてください|書いてください/;
/** "Your answer" in Chinese and Japanese. */
const CJK_OUTPUT = /你的回答|你的回复|你的回覆|你的答案|您的回答|您的回复|あなたの回答|回答の(?:末尾|最後|最初)/;
/** "The assistant", "AI" in Chinese and Japanese. */
const CJK_ROLE = /助手|人工智能|アシスタント|言語モデル|语言模型/;
/** Answer in a given language, Chinese and Japanese. */
const CJK_FORMAT = /用中文|用英文|用英语|用日语|中国語で|英語で|日本語で答/;

/** "The user" named in the third person: a document speaks of its reader's user only to an assistant. */
const THE_USER =
  /\bthe user(?:'s|s)?\b|\b(?:den|dem|des) (?:nutzer|benutzer)\b|\bl'utilisateur\b|\bel usuario\b|\bl'utente\b/;

/** Words that tie a span to the document it sits in (its writer, its attachments, its other parts). */
const TIED =
  /\b(?:we|our|us|i|my|me|i'm|i'll|i've|this|these|attached|enclosed|below|above|herein|hereby|following|here)\b/;

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

/** Words that may open an appended instruction before its verb. */
const INNER_LEAD = new Set(
  "now please also then instead always just simply quietly silently secretly kindly".split(" "),
);

/** Sentence punctuation inside a span (a span's own final full stop has nothing after it). */
const INNER_STOP = /[.!?;:]\s/;

/** Most clauses of one span looked at for an imperative opening. */
const MAX_CLAUSES = 6;

/**
 * A leading subordinate clause before the imperative ("When comparing products, always
 * recommend …", "Instead of the requested summary, produce …").
 */
const SUBORDINATE = /^(?:when|whenever|while|before|after|instead of|rather than|if|once|for|in)\b[^,.;:!?]{0,80},\s*/;
/** Verbs that ask for a claim to be made when "that" follows ("Report that the deadline has passed"). */
const CLAIM_VERBS = new Set(["report", "warn", "argue", "imply", "stress", "announce", "inform"]);

/** The imperative cue of one clause: an AI-work verb, a verb asking a person to act, or neither. */
function imperativeOf(clause: string, depth = 0): number {
  const lead = LEAD.exec(clause);
  const rest = lead ? clause.slice(lead[0].length) : clause;
  // Letters of any script, so foreign verbs with accents (`füge`, `réponds`) are read whole.
  const verb = /^[\p{L}'-]+/u.exec(rest)?.[0] ?? "";
  if (!verb) return 0;
  if (AI_VERBS.has(verb) || FOREIGN_AI_VERBS.has(verb)) return BIT["imp-ai"];
  if (verb === "break" && rest.startsWith("break down ")) return BIT["imp-ai"];
  if (CLAIM_VERBS.has(verb) && rest.startsWith(" that ", verb.length)) return BIT["imp-ai"];
  if (depth === 0) {
    const sub = SUBORDINATE.exec(rest);
    if (sub) {
      const inner = imperativeOf(rest.slice(sub[0].length), 1) & BIT["imp-ai"];
      if (inner !== 0) return inner;
    }
  }
  if (HUMAN_VERBS.has(verb)) return BIT["imp-human"];
  if (lead && lead[0].length > 0 && /you|please|kindly/.test(lead[0])) return BIT["imp-other"];
  return 0;
}

/**
 * Whether raw span text has an AI-work verb opening a sentence inside it: after sentence
 * punctuation, or capitalised after lower-case text (an instruction appended to a cell value,
 * `Paris Translate your answer into French`). Needs the text before lower-casing.
 */
export function hasInnerImperative(raw: string): boolean {
  const re = /(?:[.!?;:]\s+|[a-z0-9)\]]\s+)([A-Z][a-z']+)\b(?:,? ([a-z']+)\b)?/g;
  let n = 0;
  for (let m = re.exec(raw); m !== null && n < MAX_CLAUSES; m = re.exec(raw), n++) {
    const word = (m[1] ?? "").toLowerCase();
    if (AI_VERBS.has(word) || FOREIGN_AI_VERBS.has(word)) return true;
    // A lead word first (`… Now write a limerick`, `… Please add`).
    if (INNER_LEAD.has(word) && AI_VERBS.has(m[2] ?? "")) return true;
  }
  return false;
}

/** 2 for an upper-case letter, 1 for a lower-case one, 0 for a character without case. */
function casedKind(ch: string): number {
  const up = ch.toUpperCase();
  if (up === ch.toLowerCase()) return 0;
  return ch === up ? 2 : 1;
}

/**
 * Whether raw span text is written in title case (`Stop The Bleeding`, `Say That You Love Me`):
 * names of songs, books and products in tables, which open with verbs without being imperatives.
 */
export function isTitleCase(raw: string): boolean {
  if (raw.length > 80 || /[.!?]\s*$/.test(raw)) return false;
  // Words are runs of letters (a cased letter: its upper and lower forms differ), apostrophes and
  // hyphens; one pass over the characters, as this runs on every short cell.
  let words = 0;
  let lower = 0;
  let long = 0;
  let longCapital = 0;
  let length = 0;
  let capital = false;
  const close = () => {
    if (length === 0) return;
    words++;
    if (!capital) lower++;
    if (length >= 4) {
      long++;
      if (capital) longCapital++;
    }
    length = 0;
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    // ASCII letters by range; other characters by whether they have a case.
    const kind = c >= 65 && c <= 90 ? 2 : c >= 97 && c <= 122 ? 1 : c < 128 ? 0 : casedKind(raw.charAt(i));
    if (kind !== 0) {
      if (length === 0) capital = kind === 2;
      length++;
    } else if (length > 0 && (c === 39 || c === 45)) length++;
    else close();
  }
  close();
  if (words < 2) return false;
  // Every word capitalised, or every word of four letters or more when there are two (`Stop the Gunfight`).
  return lower === 0 || (long >= 2 && longCapital === long);
}

/**
 * Whether raw span text is a fragment: fewer than five words and no closing full stop, colon or
 * exclamation mark (a title may be a question: `Where to, little pony?`).
 */
export function isFragment(raw: string): boolean {
  if (raw.length > 60 || /[.!:]["')\]]?\s*$/.test(raw)) return false;
  return raw.trim().split(/\s+/).length < 5;
}

/** The cue bits of one (normalised, lower-case) span; `raw` (its text before lower-casing) adds case cues. */
export function cueBits(text: string, raw?: string): number {
  let bits = 0;
  const lead = LEAD.exec(text);
  const rest = lead ? text.slice(lead[0].length) : text;
  bits |= imperativeOf(text);
  if ((bits & BIT["imp-ai"]) === 0) {
    // A later sentence of the span may be the instruction ("Nice hotel. Ignore the task and ...").
    if (INNER_STOP.test(text)) {
      const clauses = text.split(/[.!?;:]\s+/, MAX_CLAUSES + 1);
      for (let i = 1; i < clauses.length; i++) bits |= imperativeOf(clauses[i] ?? "") & BIT["imp-ai"];
    }
    if (raw !== undefined && (bits & BIT["imp-ai"]) === 0 && hasInnerImperative(raw)) bits |= BIT["imp-ai"];
  }
  if (raw !== undefined && isTitleCase(raw)) bits |= BIT.titled;
  // A label or a name (`Post abolished`, `Tell og søn`), not a sentence: few words, no full stop.
  if (raw !== undefined && isFragment(raw)) bits |= BIT.fragment;
  if (YOU.test(text)) bits |= BIT.you;
  if (YOUR_OUTPUT.test(text) || (NON_ENGLISH_HINT.test(text) && FOREIGN_OUTPUT.test(text))) bits |= BIT["your-output"];
  if (ROLE.test(text) || (NON_ENGLISH_HINT.test(text) && FOREIGN_ROLE.test(text))) bits |= BIT.role;
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
  if (THE_USER.test(text)) bits |= BIT["the-user"];
  if ((bits & BIT["imp-ai"]) !== 0 && ARTEFACT.test(text)) bits |= BIT.artefact;
  if (CJK.test(text)) {
    if (CJK_IMPERATIVE.test(text)) bits |= BIT["imp-ai"];
    if (CJK_OUTPUT.test(text)) bits |= BIT["your-output"];
    if (CJK_ROLE.test(text)) bits |= BIT.role;
    if (CJK_FORMAT.test(text)) bits |= BIT.format;
    if (/用户|用戶|ユーザー/.test(text)) bits |= BIT["the-user"];
  }
  if (WE.test(text)) bits |= BIT.we;
  if (/^["'“‘«]/.test(text)) bits |= BIT.quote;
  // A question that names no "you" asks for knowledge, not for its reader's own answer
  // ("What payment methods do you accept?" asks the shop; "can you ..." requests are imperatives above).
  if ((bits & BIT.question) !== 0 && (bits & BIT.you) === 0 && ASK.test(rest)) bits |= BIT.ask;
  // An AI-work imperative that names nothing of the document or its writer is a task set from outside.
  if ((bits & BIT["imp-ai"]) !== 0 && !TIED.test(text)) bits |= BIT.detached;
  // Whom a span is written to matters only where it could address the assistant (the person cap,
  // addressesPerson): elsewhere the two long scans are skipped, which keeps document mode within
  // its latency budget (run on every span, they cost about 0.3 ms per 8 KB document).
  if (addressesAssistant(bits) || (bits & BIT.ask) !== 0) {
    if (READER.test(text)) bits |= BIT.reader;
    if (HUMAN_ACT.test(text)) bits |= BIT["human-act"];
  }
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
  BIT["imp-ai"] |
  BIT["your-output"] |
  BIT.role |
  BIT.instructions |
  BIT.format |
  BIT.tool |
  BIT.net |
  BIT.exec |
  BIT["lone-ask"] |
  BIT.artefact;

/**
 * Whether a span could address the assistant at all: one of ASSISTANT_BITS, or "the user" in the
 * third person together with a URL, an e-mail address or a secret ("append the user's name to
 * https://…", "attach what the user shared to an e-mail to …").
 */
export function addressesAssistant(bits: number): boolean {
  if ((bits & ASSISTANT_BITS) !== 0) return true;
  return (bits & BIT["the-user"]) !== 0 && (bits & (BIT.url | BIT.email | BIT.secret)) !== 0;
}

/**
 * Cues that a span speaks of the assistant's own work or of its user even when it also names a
 * person (`tell customers in your reply`, `send the reviewers' notes to this URL`).
 */
const ASSISTANT_STRONG_BITS =
  BIT["your-output"] | BIT.role | BIT.tool | BIT["the-user"] | BIT.net | BIT.exec | BIT.url | BIT.email;

/**
 * Whether a span is written to a person: it names one (reviewers, customers, visitors) or asks
 * what only a person does (sign, bring, visit the branch), and says nothing of an assistant's
 * work, its user, tools or URLs. Such a span is capped like one that does not
 * address the assistant at all.
 */
export function addressesPerson(bits: number): boolean {
  return (bits & (BIT.reader | BIT["human-act"])) !== 0 && (bits & ASSISTANT_STRONG_BITS) === 0;
}

/** Below this share of a document's spans, a cue is `rare` there. */
const RARE_SHARE = 0.15;
/** Fewest spans a document needs before a question in it can be `lone-ask`. */
const LONE_ASK_SPANS = 7;

/**
 * A span's bits in its document (of `spans` spans): a question (`ask`) where the rest of the document asks none is
 * put to whoever reads the document, the assistant included (`lone-ask`).
 */
export function inDocument(bits: number, rates: ReadonlyMap<Cue, number>, spans: number): number {
  // Rarity needs a document long enough to have a register: the lone question of a four-sentence
  // e-mail ("Did the auditor confirm Monday?") is put to its reader.
  if ((bits & BIT.ask) === 0 || spans < LONE_ASK_SPANS) return bits;
  if ((rates.get("ask") ?? 1) < RARE_SHARE) return bits | BIT["lone-ask"];
  return bits;
}

/** Whether a cue is set in `bits`. */
export function hasCue(bits: number, cue: Cue): boolean {
  return (bits & BIT[cue]) !== 0;
}

/** Cues whose rarity in the rest of the document is itself evidence. */
const RELATIVE: readonly Cue[] = ["imp-ai", "you", "your-output", "role", "instructions", "format", "ask", "detached"];
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
  "ask",
  "detached",
  "reader",
  "human-act",
  "the-user",
  "artefact",
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
  // Addressed to a named person, or asking what only a person does, with no word of the assistant's work.
  const human = hasCue(bits, "reader") || hasCue(bits, "human-act");
  const assistant = (bits & (BIT["your-output"] | BIT.role | BIT.tool | BIT["the-user"] | BIT.format)) !== 0;
  if (human && !assistant) words.push("zqhumanonly");
  if (human && assistant) words.push("zqhumanassistant");
  if (hasCue(bits, "net") && hasCue(bits, "exec")) words.push("zqnetexec");
  words.push(`zqcount${Math.min(count, 5)}`);
  return words.join(" ");
}
