/**
 * `parseTicketQuestion`: a Russian or English question about support tickets → the
 * tool call it needs (search, get, stats) with exactly the filters the question asks for.
 *
 * Pure and deterministic (pass `now` for relative dates). The question is read in
 * passes over a `Work` text; each pass consumes what it recognised, in this order:
 * quoted parts → ticket ids → keyword cues → dates → user ids → assignees →
 * status/priority/category → group-by (counting questions) → limit → sort.
 * Words that name nothing ("problems", "тикеты", "please") never become filters.
 */
import { extractDates } from "./dates.js";
import { extractCuedKeywords, extractQuoted, extractTicketIds, isFilterToken } from "./keyword.js";
import {
  ASSIGNEE_CUE,
  ASSIGNEE_RULES,
  CATEGORY_RULES,
  DIMENSIONS,
  GROUP_CUE,
  NEGATION_CUE,
  NUMBER,
  PRIORITY_FIRST,
  PRIORITY_RULES,
  PRIORITY_WORD,
  SORT_RULES,
  STATS_CUE,
  STATUS_RULES,
  STRONG_STATS_CUE,
  TICKET_NOUN,
  numberValue,
  whole,
  words,
  type ValueRule,
} from "./lexicon.js";
import { MARK, Work } from "./text.js";
import { correctTypos } from "./typos.js";
import { unrecognisedWords } from "./unrecognised.js";
import {
  CATEGORIES,
  PRIORITIES,
  STATUSES,
  type GroupBy,
  type Language,
  type Dropped,
  type ParseOptions,
  type ParsedQuestion,
  type SortOrder,
  type StatsIntent,
  type TicketFilters,
  type TicketIntent,
} from "./types.js";

const ENGLISH_TERMS =
  /(?<![\p{L}\p{N}_])(?:open|closed|pending|in_progress|rejected|critical|high|medium|low|authentication|billing|feature|technical|security|status|priority|category|keyword|user|tickets?)(?![\p{L}\p{N}_])/giu;

/** "ru" when the question is mostly Cyrillic, ignoring quotes, ids and enum values. */
export function detectLanguage(text: string): Language {
  const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;
  const stripped = text
    .replace(/“[^”]*”|«[^»]*»|"[^"]*"|'[^']*'/gu, " ")
    .replace(/[\p{L}\p{N}_-]*[\d_][\p{L}\p{N}_-]*/gu, " ")
    .replace(ENGLISH_TERMS, " ");
  let cyr = count(stripped, /\p{Script=Cyrillic}/gu);
  let lat = count(stripped, /\p{Script=Latin}/gu);
  if (cyr === 0 && lat === 0) {
    cyr = count(text, /\p{Script=Cyrillic}/gu);
    lat = count(text, /\p{Script=Latin}/gu);
  }
  return cyr > lat ? "ru" : "en";
}

const NEGATION = new RegExp(NEGATION_CUE, "u");
const NEGATED_WORDING = /^(?:not|never|\p{L}*n't|не)\s/u;
const TICKET_NOUN_TOKEN = whole(TICKET_NOUN);
const PRIORITY_CONTEXT = words(PRIORITY_WORD);
const NEXT_WORDS = /[\p{L}\p{N}_¶]+/gu;

const JOINER = whole("and|or|nor|и|или|а|ни|also|too|not|не");

/** The nearest word on one side, skipping "and"/"or" and punctuation. */
function neighbour(words: string[]): string | undefined {
  return words.find((w) => !JOINER.test(w));
}

/**
 * high/medium/low are priorities only in context: "priority" is said, a ticket noun
 * follows ("high tickets"), or another filter value stands next to it ("open, high,
 * billing", "critical and high"). "tickets with high CPU load" has none of these.
 */
function levelAccepted(work: Work, start: number, end: number): boolean {
  if (work.has(PRIORITY_CONTEXT)) return true;
  const after = work.after(end).match(NEXT_WORDS) ?? [];
  if (
    after
      .filter((w) => w !== MARK)
      .slice(0, 4)
      .some((w) => TICKET_NOUN_TOKEN.test(w))
  )
    return true;
  const before = (work.before(start).match(NEXT_WORDS) ?? []).reverse();
  return [neighbour(after), neighbour(before)].some(
    (w) => w !== undefined && (w === MARK || isFilterToken(w, false)),
  );
}

/**
 * What joins two values of one field in a list: "and", "or", "nor", "и", "или", "ни",
 * commas, and a repeated "not"/"не"/"ни" ("not critical and not high").
 */
const LIST_JOIN = new RegExp(
  `^[\\s,${MARK}]*(?:(?:and|or|nor|&|/|и|или|ни|а\\s+также)(?![\\p{L}\\p{N}_])[\\s,]*)?` +
    "(?:(?:also\\s+|и\\s+)?(?:not|не|ни)\\s+)?(?:(?:the|any|по|из)\\s+)?$",
  "u",
);

const EITHER_WORD = new RegExp(`^[\\s,${MARK}]*(?:or|или|либо)\\s+$`, "u");

/** One value found in the question, with where it stood and whether it was excluded. */
export interface ValueMatch<V extends string> {
  value: V;
  start: number;
  end: number;
  /** Excluded by a cue before it ("not", "кроме"), or by its wording ("unresolved"). */
  negated: boolean;
  /** Excluded by a cue (not by its own wording): a list after it is excluded too. */
  cued: boolean;
  /** The cue was an exclusion word ("except", "кроме"): it carries across fields too. */
  strong: boolean;
  also: V[];
}

/** Cues that exclude everything listed after them, whatever the field ("кроме закрытых и критических"). */
const STRONG_CUE =
  /^(?:except|excluding|exclude|without|other|anything|everything|all|any|neither|без|кроме|исключая|за|ни)(?![\p{L}\p{N}_])/u;

/** Finds one field's values; each match knows whether it was excluded. */
function findValues<V extends string>(work: Work, rules: ValueRule<V>[]): ValueMatch<V>[] {
  const matches: ValueMatch<V>[] = [];
  for (const rule of rules) {
    for (const f of work.findAll(words(rule.source))) {
      if (rule.level && !levelAccepted(work, f.start, f.end)) continue;
      // "not closed", "не закрыты": the wording starts with the negation, so it carries
      // across a list like a cue does ("not closed or rejected")
      const cue = NEGATION.exec(work.before(f.start));
      const cued = cue !== null || NEGATED_WORDING.test(f.text);
      matches.push({
        value: rule.value,
        start: f.start,
        end: f.end,
        negated: rule.negated === true || cued,
        cued,
        strong: cue !== null && STRONG_CUE.test(cue[0]),
        also: rule.alsoExcludes ?? [],
      });
      work.consume(f.start, f.end);
    }
  }
  return matches.sort((a, b) => a.start - b.start);
}

/**
 * A cue's exclusion carries across a list: to the next values of the same field after
 * any cue ("not critical and high", "neither closed nor rejected"), and to the next
 * values of any field after an exclusion word ("кроме закрытых и критических", "except
 * closed and critical ones").
 */
function carryNegation(work: Work, fields: ValueMatch<string>[][]): void {
  const all = fields.flat().sort((a, b) => a.start - b.start);
  const fieldOf = new Map(fields.flatMap((ms, k) => ms.map((m) => [m, k] as const)));
  for (let i = 1; i < all.length; i += 1) {
    const [prev, m] = [all[i - 1]!, all[i]!];
    if (!prev.cued || m.negated || !LIST_JOIN.test(work.text.slice(prev.end, m.start))) continue;
    if (fieldOf.get(prev) !== fieldOf.get(m) && !prev.strong) continue;
    m.negated = true;
    m.cued = true;
    m.strong = prev.strong;
  }
}

/** The asked-for set of one field's values: negations subtract. */
function valuesOf<V extends string>(
  work: Work,
  matches: ValueMatch<V>[],
  all: readonly V[],
  extra?: string,
): V | V[] | undefined {
  const pos = new Set<V>();
  const neg = new Set<V>();
  if (extra !== undefined && (all as readonly string[]).includes(extra)) pos.add(extra as V);
  for (const m of matches) {
    if (m.negated) for (const v of [m.value, ...m.also]) neg.add(v);
    else pos.add(m.value);
  }
  // "unresolved or rejected": a negative word or a value is the union of both sets
  const union = matches.some((m, i) => {
    const next = matches[i + 1];
    return (
      next !== undefined &&
      m.negated !== next.negated &&
      !m.cued &&
      !next.cued &&
      EITHER_WORD.test(work.text.slice(m.end, next.start))
    );
  });
  const chosen = pos.size > 0 ? all.filter((v) => pos.has(v) && !neg.has(v)) : [];
  const result =
    union || (pos.size === 0 && neg.size > 0)
      ? all.filter((v) => !neg.has(v) || pos.has(v))
      : chosen;
  return result.length === 0 ? undefined : result.length === 1 ? result[0] : result;
}

const USER_PATTERNS: RegExp[] = [
  words(
    "(?:(?:users?|customers?|clients?|пользовател\\p{L}*|клиент\\p{L}*|юзер\\p{L}*)\\s*(?:_?id)?\\s*[:=#№]?\\s*)?(user[_-]?\\d+)",
  ),
  words(
    "(?:users?|customers?|clients?|пользовател\\p{L}*|клиент\\p{L}*|юзер\\p{L}*)\\s*(?:_?id)?\\s*(?:[:=#№]|number|номер)?\\s*(\\d+)(?![-./:]\\d)",
  ),
  words("(?:user[\\s_]?id|пользовател\\p{L}*)\\s*[:=]\\s*([\\p{L}\\p{N}_.-]+)"),
];

/** "not from user123", "кроме пользователя user5": a user the tools cannot exclude. */
const NOT_USER =
  /(?<![\p{L}\p{N}_])(?:not|except(?:\s+for)?|excluding|other\s+than|without|не|кроме|без|исключая)\s+(?:(?:from|of|by|for|от|у|из|для)\s+)?$/u;

function extractUser(work: Work, dropped: Dropped[]): string | undefined {
  let user: string | undefined;
  for (const re of USER_PATTERNS) {
    for (const f of work.findAll(re)) {
      const raw = f.groups[0]!.toLowerCase();
      const not = NOT_USER.exec(work.before(f.start));
      if (not) dropped.push({ kind: "not-user", text: work.originalSlice(not.index, f.end) });
      else {
        const value = /^\d+$/.test(raw) ? `user${raw}` : raw;
        if (user !== undefined && value !== user) dropped.push({ kind: "extra-user", text: value });
        user ??= value;
      }
      work.consume(not ? not.index : f.start, f.end);
    }
  }
  return user;
}

const ASSIGNEE_CUE_RE = new RegExp(`(?<![\\p{L}\\p{N}_])${ASSIGNEE_CUE}`, "u");

const NOT_BEFORE =
  /(?<![\p{L}\p{N}_])(?:not|\p{L}*n't|не|кроме|except(?:\s+for)?|excluding|other\s+than|без|исключая)\s+(?:(?:the|those|тех|ones)\s+)?$/u;

function extractAssignee(work: Work, dropped: Dropped[]): string | undefined {
  let assignee: string | undefined;
  for (const rule of ASSIGNEE_RULES) {
    for (const f of work.findAll(words(rule.source))) {
      const digit = f.groups.find((g) => g !== undefined) ?? "";
      const cue = ASSIGNEE_CUE_RE.exec(work.before(f.start));
      const from = cue ? cue.index : f.start;
      // "not assigned to X" cannot be asked of the server: better no filter than X's,
      // and the answer says so.
      const not = NOT_BEFORE.exec(work.before(from));
      if (not) {
        dropped.push({ kind: "not-assignee", text: work.originalSlice(not.index, f.end) });
      } else {
        const value = rule.value.replace("$1", digit).replace("$0", f.text);
        if (assignee !== undefined && value !== assignee) {
          dropped.push({ kind: "extra-assignee", text: value });
        }
        assignee ??= value;
      }
      work.consume(not ? not.index : from, f.end);
    }
  }
  return assignee;
}

const DIM_SOURCE = DIMENSIONS.map((d) => `(${d.source})`).join("|");
const GROUP_RE = words(`(?:${GROUP_CUE})\\s+(?:(?:the|all|их|эт\\p{L}*)\\s+)?(?:${DIM_SOURCE})`);
const DIM_RE = words(DIM_SOURCE);

function dimensionOf(groups: (string | undefined)[]): GroupBy | undefined {
  const i = groups.findIndex((g) => g !== undefined);
  return i >= 0 ? DIMENSIONS[i]?.value : undefined;
}

/** The group-by of a counting question: "by status", "по приоритетам", "each user". */
function extractGroupBy(work: Work): GroupBy | undefined {
  for (const f of work.findAll(GROUP_RE)) {
    const next = work.after(f.end).trimStart();
    if (next.startsWith(MARK) || /^[:=]/.test(next)) continue;
    work.consume(f.start, f.end);
    return dimensionOf(f.groups);
  }
  for (const f of work.findAll(DIM_RE)) {
    const next = work.after(f.end).trimStart();
    const prev = work.before(f.start).trimEnd();
    if (next.startsWith(MARK) || /^[:=]/.test(next) || prev.endsWith(MARK)) continue;
    if (/(?:with|со|с|of|у|for|для)$/u.test(prev)) continue;
    work.consume(f.start, f.end);
    return dimensionOf(f.groups);
  }
  // "who has the most open tickets?", "у кого больше всего": people, i.e. assignees
  const who = work.findAll(WHO)[0];
  if (who) {
    work.consume(who.start, who.end);
    return "assigned_to";
  }
  return undefined;
}

const WHO = words("who|у\\s+кого|кто");

const DEFAULTED = new WeakSet<StatsIntent>();

/** Did the question name no group-by ("how many of them?"), so it is only the default? */
export function isDefaultGroupBy(intent: StatsIntent): boolean {
  return DEFAULTED.has(intent);
}

/** The group-by of a count that names none: the first field the filters leave open. */
export function defaultGroupBy(filters: TicketFilters): GroupBy {
  const fixed = (v: unknown) => typeof v === "string";
  if (!fixed(filters.status)) return "status";
  if (!fixed(filters.priority)) return "priority";
  if (!fixed(filters.category)) return "category";
  return "assigned_to";
}

const LIMIT_AFTER_CUE = words(
  `(?:top|first|last|latest|newest|oldest|recent|limit(?:ed)?(?:\\s+to)?|show(?:\\s+me)?|list|give\\s+me|get|display|at\\s+most|up\\s+to|max(?:imum)?|первы\\p{L}*|последни\\p{L}*|топ|лимит|покажи|выведи|дай|не\\s+более|максимум|до)(?:\\s+the)?[\\s-]*(${NUMBER})`,
);
const LIMIT_BEFORE_NOUN = words(
  `(${NUMBER})\\s+(?:(?:[\\p{L}_]+|¶)\\s+){0,3}?(?:${TICKET_NOUN}|results?|результат\\p{L}*|штук\\p{L}*)`,
);
const SINGULAR_LATEST = words(
  "(?:the\\s+)?(?:latest|newest|most\\s+recent|last|oldest|earliest|recent)\\s+(?:\\S+\\s+){0,2}?(?:ticket|issue|request|case)" +
    "|(?:сам\\p{L}*\\s+)?(?:последн(?:ий|юю|ее|яя)|нов(?:ый|ую|ое)|стар(?:ый|ую|ое)|свеж(?:ий|ую)|новейш(?:ий|ую)|ранн(?:ий|юю))\\s+(?:\\S+\\s+){0,2}?(?:тикет|заявк[ау]|обращение|запрос)",
);
const ALL = words("all|every|все(?!\\s+(?:еще|равно))|всех|всё(?!\\s+еще)");

function extractLimit(work: Work): number | undefined {
  for (const re of [LIMIT_AFTER_CUE, LIMIT_BEFORE_NOUN]) {
    const f = work.findAll(re)[0];
    const n = f ? numberValue(f.groups[0]!) : undefined;
    if (f && n !== undefined && n > 0) {
      const at = f.start + f.text.indexOf(f.groups[0]!);
      work.consume(at, at + f.groups[0]!.length);
      return Math.min(n, 100);
    }
  }
  if (work.has(SINGULAR_LATEST)) return 1;
  return work.has(ALL) ? 100 : undefined;
}

const BY_PRIORITY = words("(?:by|по)\\s+(?:priority|urgency|приоритет\\p{L}*|срочност\\p{L}*)");

function extractSort(work: Work): SortOrder | undefined {
  for (const rule of SORT_RULES) {
    const f = work.findAll(words(rule.source))[0];
    if (f) {
      work.consume(f.start, f.end);
      return rule.value;
    }
  }
  const f = work.findAll(BY_PRIORITY)[0];
  if (f) work.consume(f.start, f.end);
  return f ? "priority" : undefined;
}

const FIELD_NAME = "priority|status|category|приоритет\\p{L}*|статус\\p{L}*|категори\\p{L}*";

/** What may stand between the two sides of "critical or pending (tickets)". */
const EITHER_JOIN = new RegExp(
  `^[\\s,${MARK}]*(?:(?:${TICKET_NOUN}|${FIELD_NAME})\\s+){0,2}(?:or|или|либо)\\s+(?:(?:the|any|все|with|со?)\\s+)?$`,
  "iu",
);

type FieldMatches = [keyof TicketFilters, ValueMatch<string>[]][];

/**
 * "critical or pending": values of two fields joined by "or". One search cannot ask
 * it, so it becomes two (each side with the question's other filters).
 */
function eitherOf(
  work: Work,
  fields: FieldMatches,
  filters: TicketFilters,
  dropped: Dropped[],
): [TicketFilters, TicketFilters] | undefined {
  const all = fields
    .flatMap(([field, ms]) => ms.map((m) => ({ field, m })))
    .sort((a, b) => a.m.start - b.m.start);
  for (let i = 1; i < all.length; i += 1) {
    const [a, b] = [all[i - 1]!, all[i]!];
    if (a.field === b.field || (a.m.cued && b.m.cued)) continue;
    if (!EITHER_JOIN.test(work.text.slice(a.m.end, b.m.start))) continue;
    if (filters[a.field] === undefined || filters[b.field] === undefined) continue;
    dropped.push({ kind: "either", text: work.originalSlice(a.m.start, b.m.end) });
    const without = (field: keyof TicketFilters): TicketFilters => {
      const { [field]: _omit, ...rest } = filters;
      return rest;
    };
    return [without(b.field), without(a.field)];
  }
  return undefined;
}

/** Date words left after the date pass: a period it could not read ("позапрошлый квартал"). */
const DATE_LEFT = words(
  "(?:[\\p{L}\\p{N}]+\\s+)?(?:weeks?|months?|years?|quarters?|fortnights?|недел[июеяь]\\p{L}*|месяц\\p{L}*|году|года|квартал\\p{L}*)(?:\\s+(?:ago|назад))?",
);

function unreadDates(work: Work, dropped: Dropped[]): void {
  for (const f of work.findAll(DATE_LEFT)) {
    dropped.push({ kind: "date", text: work.originalSlice(f.start, f.end).trim() });
    work.consume(f.start, f.end);
  }
}

const MAX_LENGTH = 2000;

/** Parses a ticket question. See the file comment for the order of passes. */
export function parseTicketQuestion(text: string, options: ParseOptions = {}): ParsedQuestion {
  const language = detectLanguage(text);
  // A question, not a document: the rules read at most the first MAX_LENGTH characters.
  const { text: corrected, corrections } = correctTypos(text.slice(0, MAX_LENGTH));
  const work = new Work(corrected);
  const found: Dropped[] = [];
  const intent = readIntent(work, language, options, found);
  const known = intent.kind !== "unknown" && intent.kind !== "get";
  const unrecognised = known ? unrecognisedWords(work) : [];
  const dropped = known ? found : [];
  return { language, intent, corrections, unrecognised, dropped };
}

function readIntent(
  work: Work,
  language: Language,
  options: ParseOptions,
  dropped: Dropped[],
): TicketIntent {
  const asked = work.text;
  const quoted = extractQuoted(work);
  const ids = [...quoted.ticketIds, ...extractTicketIds(work)];
  if (ids.length > 0) {
    const unique = [...new Set(ids)];
    return { kind: "get", ticket_id: unique[0]!, ticket_ids: unique };
  }
  const keywordParts = [...quoted.keywordParts, ...extractCuedKeywords(work)];
  const filters: TicketFilters = {
    ...extractDates(work, options.now ?? new Date(), language === "en"),
  };
  // Always run both passes so their words are consumed; a quoted value wins.
  const [bareUser, bareAssignee] = [extractUser(work, dropped), extractAssignee(work, dropped)];
  const user = quoted.fields.user_id ?? bareUser;
  const assignee = quoted.fields.assigned_to ?? bareAssignee;
  const priorityFirst = work.findAll(words(PRIORITY_FIRST))[0];
  if (priorityFirst) work.consume(priorityFirst.start, priorityFirst.end);
  const statusMatches = findValues(work, STATUS_RULES);
  const priorityMatches = findValues(work, PRIORITY_RULES);
  const categoryMatches = findValues(work, CATEGORY_RULES);
  carryNegation(work, [statusMatches, priorityMatches, categoryMatches]);
  const status = valuesOf(work, statusMatches, STATUSES, quoted.fields.status);
  const priority = valuesOf(work, priorityMatches, PRIORITIES, quoted.fields.priority);
  const category = valuesOf(work, categoryMatches, CATEGORIES, quoted.fields.category);
  if (user !== undefined) filters.user_id = user;
  if (status !== undefined) filters.status = status;
  if (priority !== undefined) filters.priority = priority;
  if (category !== undefined) filters.category = category;
  if (keywordParts.length > 0) filters.keyword = [...new Set(keywordParts)].join(" ");
  if (assignee !== undefined) filters.assigned_to = assignee;
  const either = eitherOf(
    work,
    [
      ["status", statusMatches],
      ["priority", priorityMatches],
      ["category", categoryMatches],
    ],
    filters,
    dropped,
  );
  unreadDates(work, dropped);

  const ticketSpecific =
    options.followUp === true ||
    words(TICKET_NOUN).test(asked) ||
    [user, assignee, status, priority, category, filters.keyword].some((v) => v !== undefined);
  if (work.has(words(STATS_CUE))) {
    const groupBy = extractGroupBy(work);
    if (ticketSpecific || groupBy !== undefined || words(STRONG_STATS_CUE).test(asked)) {
      const stats: StatsIntent = {
        kind: "stats",
        group_by: groupBy ?? defaultGroupBy(filters),
        filters,
        ...(either !== undefined ? { either } : {}),
      };
      if (groupBy === undefined) DEFAULTED.add(stats);
      return stats;
    }
  }
  if (!ticketSpecific) return { kind: "unknown" };
  const limit = extractLimit(work);
  const sort = priorityFirst ? "priority" : extractSort(work);
  return {
    kind: "search",
    filters,
    ...(either !== undefined ? { either } : {}),
    ...(sort !== undefined ? { sort } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
}
