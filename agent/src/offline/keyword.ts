/**
 * Keywords: quoted text («…», “…”, "…", '…') and words after a keyword cue
 * ("mentioning", "containing", "with keyword", "со словом", "упоминающие", "про"…).
 *
 * Rules:
 * - A quoted part is a keyword, sent as written (several words become a "phrase"),
 *   unless a field name stands right before it (`status "open"`, `user "user123"`).
 * - After an explicit cue ("mentioning", "со словом") the next word is a keyword even
 *   if it is a filter word ("mentioning security" searches the word security).
 * - After a soft cue ("about", "про", "related to") words that only name filters stay
 *   filters ("about billing", "про оплату" is the billing category); anything else is a
 *   keyword. English concrete terms (login, password, invoice) are keywords there.
 * - Generic nouns (tickets, problems, заявки…) and articles are dropped from unquoted
 *   keywords; unquoted Russian support terms are translated to the data's English.
 * Every part used is consumed, so its words never become filters too.
 */
import {
  ARTICLE,
  CATEGORY_RULES,
  EXPLICIT_KEYWORD_CUE,
  KEYWORD_STOP,
  POSTFIX_KEYWORD,
  PRIORITY_RULES,
  PRIORITY_WORD,
  RU_KEYWORDS,
  SOFT_KEYWORD_CUE,
  STATUS_RULES,
  TICKET_NOUN,
  whole,
  words,
  MONTHS,
} from "./lexicon.js";
import { MARK, type Work } from "./text.js";

const QUOTED =
  /“([^”"]+)”|„([^“”]+)[“”]|«([^»]+)»|"([^"]+)"|`([^`]+)`|(?<![\p{L}\p{N}])'([^']+?)'(?![\p{L}\p{N}])/gu;

export const TICKET_ID = /(?<![\p{L}\p{N}_])tkt[-_ ]?#?(\d+)(?![\p{L}\p{N}_])/giu;

/** "TKT-0007" as written (prefix upper-cased); "tkt7", "TKT 7", "#7" → "TKT-0007". */
export function normaliseTicketId(raw: string, digits: string): string {
  // The data's ids have at least four digits (TKT-0007); "TKT-7" means that one.
  if (/^tkt-\d{4,}$/i.test(raw.trim())) return raw.trim().toUpperCase();
  return `TKT-${digits.padStart(4, "0")}`;
}

type Field = "status" | "priority" | "category" | "user_id" | "assigned_to";

const FIELD_BEFORE: [Field, RegExp][] = [
  ["status", /(?:status|state|статус\p{L}*)\s*[:=]?\s*$/u],
  ["priority", /(?:priority|приоритет\p{L}*)\s*[:=]?\s*$/u],
  ["category", /(?:category|type|категори\p{L}*|тип\p{L}*)\s*[:=]?\s*$/u],
  [
    "user_id",
    /(?:user(?:[\s_]?id)?|customer|client|пользовател\p{L}*|клиент\p{L}*|юзер\p{L}*)\s*[:=]?\s*$/u,
  ],
  [
    "assigned_to",
    /(?:assigned\s+to|assignee|назначен\p{L}*(?:\s+на)?|исполнител\p{L}*)\s*[:=]?\s*$/u,
  ],
];

const RULES_BY_FIELD = { status: STATUS_RULES, priority: PRIORITY_RULES, category: CATEGORY_RULES };

export interface QuotedResult {
  keywordParts: string[];
  ticketIds: string[];
  fields: Partial<Record<Field, string>>;
}

/** Finds and consumes quoted parts. */
export function extractQuoted(work: Work): QuotedResult {
  const out: QuotedResult = { keywordParts: [], ticketIds: [], fields: {} };
  for (const m of work.original.matchAll(QUOTED)) {
    const inner =
      m
        .slice(1)
        .find((g) => g !== undefined)
        ?.trim() ?? "";
    const start = m.index;
    const end = start + m[0].length;
    if (inner === "" || work.text.slice(start, end).includes(MARK)) continue;
    const id = /^tkt[-_ ]?#?(\d+)$/i.exec(inner);
    if (id) {
      out.ticketIds.push(normaliseTicketId(inner, id[1]!));
      work.consume(start, end);
      continue;
    }
    const before = work.before(start);
    const field = FIELD_BEFORE.find(([, re]) => re.test(before))?.[0];
    const value = field ? fieldValue(field, inner) : undefined;
    if (field && value) out.fields[field] = value;
    else out.keywordParts.push(/\s/.test(inner) ? `"${inner.replace(/"/g, "")}"` : inner);
    work.consume(start, end);
  }
  return out;
}

function fieldValue(field: Field, inner: string): string | undefined {
  const lower = inner.toLowerCase().replace(/ё/g, "е");
  if (field === "user_id" || field === "assigned_to")
    return /^\S+$/.test(inner) ? lower : undefined;
  return RULES_BY_FIELD[field].find((r) => !r.negated && whole(r.source).test(lower))?.value;
}

const STOP = whole(KEYWORD_STOP);
const GENERIC = whole(TICKET_NOUN);
const SKIP = whole(ARTICLE);
const ID_LIKE =
  /^(?:user[_-]?\d+|tkt-?\d+|\d{4}-\d{2}-\d{2}.*|\d+[./]\d+[./]\d+|[a-z]+_[a-z0-9_]+)$/iu;
const PRONOUN = whole(
  "it|this|these|those|them|me|my|our|your|all|том|чем|ком|нем|них|нас|мне|себе|всех|всем|этом|этих",
);
const FILTER_RULES = [...STATUS_RULES, ...PRIORITY_RULES, ...CATEGORY_RULES];
const FILTER_WORD = FILTER_RULES.map((r) => ({
  re: whole(r.source),
  concrete: r.concrete === true,
}));
const PRIORITY_TOKEN = whole(PRIORITY_WORD);
/** "what about last month", "а за прошлую неделю": a date follows, not a topic. */
const DATE_START = whole(
  `last|past|previous|this|yesterday|today|(?:19|20)\\d{2}|прошл\\p{L}*|позапрошл\\p{L}*|последн\\p{L}*|вчера|сегодня|позавчера|${MONTHS.join("|")}`,
);
const CATEGORY_WORD = CATEGORY_RULES.map((r) => whole(r.source));

/** Does this single token name a filter value? (`concrete` terms count only if asked.) */
export function isFilterToken(token: string, countConcrete: boolean): boolean {
  if (PRIORITY_TOKEN.test(token)) return true;
  return FILTER_WORD.some((f) => (countConcrete || !f.concrete) && f.re.test(token));
}

const TOKEN = /\s*([\p{L}\p{N}][\p{L}\p{N}_.+#'-]*|¶|[^\s\p{L}\p{N}])/uy;

interface Tok {
  text: string;
  start: number;
  end: number;
}

function tokensAfter(work: Work, index: number, max: number): Tok[] {
  const out: Tok[] = [];
  TOKEN.lastIndex = index;
  while (out.length < max) {
    const m = TOKEN.exec(work.text);
    if (!m) break;
    const text = m[1]!.replace(/[.'-]+$/u, "");
    const end = TOKEN.lastIndex;
    out.push({ text, start: end - m[1]!.length, end: end - (m[1]!.length - text.length) });
  }
  return out;
}

/**
 * An unquoted keyword word as the server should search it: Russian support terms in
 * English, English plurals singular (the server matches substrings, so "invoice" finds
 * "invoices" but not the other way round).
 */
function searchForm(token: string, original: string): string {
  if (/\p{Script=Cyrillic}/u.test(token)) {
    return RU_KEYWORDS.find(([src]) => whole(src).test(token))?.[1] ?? original;
  }
  if (!/^[a-z]{4,}$/i.test(original)) return original;
  if (/(?:sh|ch|x|ss)es$/i.test(original)) return original.slice(0, -2);
  if (/[^aeiou]ies$/i.test(original)) return `${original.slice(0, -3)}y`;
  if (/[^sui]s$/i.test(original)) return original.slice(0, -1);
  return original;
}

const AND = whole("and|и");

function plainWord(t: Tok | undefined): boolean {
  if (t === undefined || !/^[\p{L}\p{N}]/u.test(t.text)) return false;
  return !STOP.test(t.text) && !ID_LIKE.test(t.text) && !isFilterToken(t.text, false);
}

/** Finds keywords after cues; returns the parts, consumes what it used. */
export function extractCuedKeywords(work: Work): string[] {
  const parts: string[] = [];
  for (const f of work.findAll(words(POSTFIX_KEYWORD))) {
    const inner = f.groups[0]!;
    const at = f.start + f.text.indexOf(inner, f.text.search(/\s/));
    const used = inner.split(/\s+/).filter((w) => !GENERIC.test(w) && !SKIP.test(w));
    if (used.length === 0) continue;
    parts.push(searchForm(inner, work.originalSlice(at, at + inner.length)));
    work.consume(f.start, f.end);
  }
  const cues = [
    ...work.findAll(words(EXPLICIT_KEYWORD_CUE)).map((f) => ({ ...f, explicit: true })),
    ...work.findAll(words(SOFT_KEYWORD_CUE)).map((f) => ({ ...f, explicit: false })),
  ].sort((a, b) => a.start - b.start);
  let consumedTo = -1;
  for (const cue of cues) {
    if (cue.start < consumedTo) continue;
    let toks = tokensAfter(work, cue.end, 8);
    while (toks.length > 0 && (SKIP.test(toks[0]!.text) || /^[:=]$/.test(toks[0]!.text))) {
      toks = toks.slice(1);
    }
    const taken: Tok[] = [];
    for (let i = 0; i < toks.length; i += 1) {
      const t = toks[i]!;
      const isWord = /^[\p{L}\p{N}]/u.test(t.text);
      if (!isWord || t.text === MARK) break;
      const first = taken.length === 0;
      // "containing export and timeout": the server ANDs the words anyway.
      if (cue.explicit && !first && AND.test(t.text) && plainWord(toks[i + 1])) continue;
      const category = CATEGORY_WORD.some((re) => re.test(t.text));
      const filter = isFilterToken(t.text, false) && !(cue.explicit && category);
      if (!first && (STOP.test(t.text) || ID_LIKE.test(t.text) || filter)) break;
      if (first && (STOP.test(t.text) || PRONOUN.test(t.text))) break;
      if (!cue.explicit && first && (ID_LIKE.test(t.text) || DATE_START.test(t.text))) break;
      taken.push(t);
      if (taken.length === 3) break;
    }
    if (taken.length === 0) continue;
    const meaningful = taken.filter((t) => !GENERIC.test(t.text) && !SKIP.test(t.text));
    if (!cue.explicit) {
      const onlyFilters = meaningful.every((t) => isFilterToken(t.text, false));
      if (onlyFilters) continue;
    }
    if (meaningful.length === 0) continue;
    const keyword = meaningful
      .map((t) => searchForm(t.text, work.originalSlice(t.start, t.end)))
      .join(" ");
    parts.push(keyword);
    const last = taken[taken.length - 1]!;
    work.consume(cue.start, last.end);
    consumedTo = last.end;
  }
  return parts;
}

/** Finds and consumes ticket ids: "TKT-0007", "tkt7", "ticket #7", "тикет № 7". */
export function extractTicketIds(work: Work): string[] {
  const ids: string[] = [];
  for (const f of work.findAll(TICKET_ID)) {
    ids.push(normaliseTicketId(work.originalSlice(f.start, f.end), f.groups[0]!));
    work.consume(f.start, f.end);
  }
  const numbered = words(
    "(?:ticket|тикет(?:а|е|у|ом)?|заявк[аиуе]|обращени[еяю])\\s*(?:#|№|no\\.?|number|номер)\\s*(\\d+)|(?:ticket|тикет(?:а|е|у|ом)?)\\s+(\\d+)(?![-./:]\\d)",
  );
  for (const f of work.findAll(numbered)) {
    const digits = f.groups[0] ?? f.groups[1]!;
    ids.push(`TKT-${digits.padStart(4, "0")}`);
    work.consume(f.start, f.end);
  }
  for (const f of work.findAll(/(?<![\p{L}\p{N}_&])#(\d+)(?![\p{L}\p{N}_])/gu)) {
    ids.push(`TKT-${f.groups[0]!.padStart(4, "0")}`);
    work.consume(f.start, f.end);
  }
  return ids;
}
