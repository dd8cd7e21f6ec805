/**
 * Dates in questions: ISO dates, 01.03.2025, "March 1, 2025", "1 марта 2025",
 * "March 2025", "в 2025 году", and relative windows ("last 7 days", "за последнюю
 * неделю", "today", "в прошлом месяце"), each with the cue before it deciding the filter:
 * after/since/после/с → *_after, before/до → *_before, between/с…по → both, and a bare
 * day or month → that whole period. "updated"/"обновлённые" nearby picks updated_*.
 */
import { MONTHS, NUMBER, numberValue, words } from "./lexicon.js";
import type { TicketFilters } from "./types.js";
import type { Work } from "./text.js";

type DateFilters = Pick<
  TicketFilters,
  "created_after" | "created_before" | "updated_after" | "updated_before"
>;

/** A period: `start` inclusive, `end` exclusive (ISO dates), `exact` for date-times. */
interface Period {
  start: string;
  end: string;
  exact?: boolean;
}

const DAY_MS = 86_400_000;
const MONTH = MONTHS.map((m) => `(?:${m})`).join("|");
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const utc = (y: number, m: number, d: number) => Date.UTC(y, m, d);

function monthIndex(word: string): number {
  return MONTHS.findIndex((m) => new RegExp(`^(?:${m})$`, "iu").test(word));
}

function day(y: number, m: number, d: number): Period | undefined {
  const ms = utc(y, m, d);
  const date = new Date(ms);
  if (date.getUTCMonth() !== m || date.getUTCDate() !== d) return undefined;
  return { start: iso(ms), end: iso(ms + DAY_MS) };
}

const month = (y: number, m: number): Period => ({
  start: iso(utc(y, m, 1)),
  end: iso(utc(y, m + 1, 1)),
});
const year = (y: number): Period => ({ start: `${y}-01-01`, end: `${y + 1}-01-01` });

const UNIT_DAYS: [RegExp, number][] = [
  [/^(?:days?|дн\p{L}*|день|суток|сутки)$/u, 1],
  [/^(?:weeks?|недел\p{L}*)$/u, 7],
  [/^(?:months?|месяц\p{L}*)$/u, 30],
  [/^(?:years?|год\p{L}*|лет)$/u, 365],
];

function unitDays(unit: string): number {
  return UNIT_DAYS.find(([re]) => re.test(unit))?.[1] ?? 1;
}

const UNIT =
  "days?|weeks?|months?|years?|дн\\p{L}*|день|суток|сутки|недел\\p{L}*|месяц\\p{L}*|год\\p{L}*|лет";

/** Date token recognisers, tried in order; each turns a match into a period. */
type PeriodOf = (g: string[], now: Date, monthFirst: boolean) => Period | undefined;

const TOKENS: { re: RegExp; period: PeriodOf }[] = [
  {
    re: words(
      "(\\d{4})-(\\d{2})-(\\d{2})(?:[t ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:z|[+-]\\d{2}:?\\d{2})?)?",
    ),
    period: (g) => day(Number(g[1]), Number(g[2]) - 1, Number(g[3])),
  },
  {
    // 01.03.2025 is day first; 03/01/2025 is month first in English questions
    // (unless the first number cannot be a month).
    re: words("(\\d{1,2})([./])(\\d{1,2})[./](\\d{4})"),
    period: (g, now, monthFirst) => {
      const [a, b] = [Number(g[1]), Number(g[3])];
      const md = g[2] === "/" && monthFirst && a <= 12;
      return day(Number(g[4]), (md ? a : b) - 1, md ? b : a);
    },
  },
  {
    re: words(
      `(\\d{1,2})(?:-?(?:го|st|nd|rd|th))?\\s+(${MONTH})(?:,?\\s+(\\d{4}))?(?:\\s+(?:года|г\\.?))?`,
    ),
    period: (g, now) =>
      day(g[3] ? Number(g[3]) : now.getUTCFullYear(), monthIndex(g[2]!), Number(g[1])),
  },
  {
    re: words(`(${MONTH})\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?`),
    period: (g, now) =>
      day(g[3] ? Number(g[3]) : now.getUTCFullYear(), monthIndex(g[1]!), Number(g[2])),
  },
  {
    re: words(`(${MONTH})\\s+(\\d{4})(?:\\s+(?:года|г\\.?))?`),
    period: (g) => month(Number(g[2]), monthIndex(g[1]!)),
  },
  {
    re: words("today|сегодня|сегодняшн\\p{L}*"),
    period: (_g, now) => day(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()),
  },
  {
    re: words("(?:the\\s+)?day\\s+before\\s+yesterday|позавчера|позавчерашн\\p{L}*"),
    period: (_g, now) => day(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 2),
  },
  {
    re: words("yesterday|вчера|вчерашн\\p{L}*"),
    period: (_g, now) => day(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1),
  },
  {
    re: words(
      `(?:(?:in|over|during|for|within)\\s+)?(?:the\\s+)?(?:last|past|previous)\\s+(${NUMBER})\\s+(${UNIT})` +
        `|(?:за\\s+)?(?:последн\\p{L}*|прошедш\\p{L}*)\\s+(${NUMBER})\\s+(${UNIT})|за\\s+(${NUMBER})\\s+(${UNIT})` +
        // "the last/past week" is a rolling window; bare "last week" is the calendar one
        `|(?:(?:in|over|during|for|within)\\s+)?(?:the\\s+(?:last|past)|past)\\s+(week|month|year)|за\\s+(?:последн\\p{L}*\\s+)?(неделю|месяц|год)`,
    ),
    period: (g, now) => {
      const n = numberValue(g[1] || g[3] || g[5] || "1") ?? 1;
      const unit = g[2] || g[4] || g[6] || g[7] || g[8] || "day";
      const start = now.getTime() - n * unitDays(unit) * DAY_MS;
      return { start: iso(start), end: iso(now.getTime() + DAY_MS) };
    },
  },
  {
    re: words(`(${NUMBER})\\s+(${UNIT})\\s+(?:ago|назад)`),
    period: (g, now) => {
      const ms = now.getTime() - (numberValue(g[1]!) ?? 1) * unitDays(g[2]!) * DAY_MS;
      return { start: iso(ms), end: iso(ms + DAY_MS) };
    },
  },
  {
    re: words(
      "(?:this|current)\\s+(week|month|year)|(?:на|в|за)\\s+(?:эт\\p{L}*|текущ\\p{L}*)\\s+(недел\\p{L}*|месяц\\p{L}*|год\\p{L}*)",
    ),
    period: (g, now) => {
      const unit = g[1] || g[2] || "";
      const [y, m, d] = [now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()];
      if (/^(?:year|год)/u.test(unit)) return year(y);
      if (/^(?:month|месяц)/u.test(unit)) return month(y, m);
      const weekday = (now.getUTCDay() + 6) % 7;
      return { start: iso(utc(y, m, d - weekday)), end: iso(utc(y, m, d + 1)) };
    },
  },
  {
    // The calendar week (Monday to Sunday), month or year before this one, or the one
    // before that: "last week", "previous month", "на прошлой неделе", "за прошлый год",
    // "в позапрошлом месяце". (Rolling windows: "the past week", "за последнюю неделю".)
    re: words(
      "(?:last|previous)\\s+(week|month|year)|(?:the\\s+)?(week|month|year)\\s+before\\s+last" +
        "|(?:(?:на|в|во|за)\\s+)?(прошл|позапрошл)\\p{L}*\\s+(недел\\p{L}*|месяц\\p{L}*|год\\p{L}*)",
    ),
    period: (g, now) => {
      const back = g[2] || g[3] === "позапрошл" ? 2 : 1;
      const unit = g[1] || g[2] || g[4] || "";
      const [y, m, d] = [now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()];
      if (/^(?:year|год)/u.test(unit)) return year(y - back);
      if (/^(?:month|месяц)/u.test(unit)) return month(y, m - back);
      const monday = d - ((now.getUTCDay() + 6) % 7);
      return {
        start: iso(utc(y, m, monday - 7 * back)),
        end: iso(utc(y, m, monday - 7 * (back - 1))),
      };
    },
  },
  {
    // A bare month or year only counts after a cue ("since March", "в 2024 году").
    // The second month of a range may be May ("between March and May").
    re: words(
      `(?<=(?:${MONTH})(?:\\s+\\d{4})?\\s+(?:and|to|till|until|through|и|по|до|-|–|—)\\s+)(${MONTH})(?:\\s+(\\d{4}))?`,
    ),
    period: (g, now) => {
      const m = monthIndex(g[1]!);
      const y = g[2] ? Number(g[2]) : now.getUTCFullYear();
      return month(!g[2] && m > now.getUTCMonth() ? y - 1 : y, m);
    },
  },
  {
    re: words(
      `(?<=(?:after|since|before|until|from|between|in|during|после|с|со|до|в|во|за|между|начиная\\s+с)\\s+)(?:(${MONTH.replace("|(?:may|ма[йяе])", "")})|((?:19|20)\\d{2})(?:\\s+(?:year|году|года|год|г\\.?))?)`,
    ),
    period: (g, now) => {
      if (g[2]) return year(Number(g[2]));
      const m = monthIndex(g[1]!);
      const y = now.getUTCFullYear();
      return month(m > now.getUTCMonth() ? y - 1 : y, m);
    },
  },
];

const B = "(?<![\\p{L}\\p{N}_])";
const cue = (source: string) => new RegExp(`${B}(?:${source})\\s+$`, "u");
const RANGE_START = cue("between|from|с|со|от|между");
const RANGE_JOIN = /^\s*(?:and|to|till|until|through|и|по|до|-|–|—)\s*(?:the\s+)?$/u;
const AFTER_CUE = cue(
  "after|since|from|starting(?:\\s+(?:from|on))?|later\\s+than|newer\\s+than|no\\s+earlier\\s+than|после|с|со|начиная\\s+с|позже|позднее|не\\s+раньше",
);
const FROM_ONLY = cue("from");
const START_INCLUSIVE = cue(
  "since|from|starting(?:\\s+(?:from|on))?|с|со|начиная\\s+с|не\\s+раньше",
);
const UNTIL_CUE = cue("until|till|up\\s+to|through|по|не\\s+позже|не\\s+позднее");
const BEFORE_CUE = cue("before|prior\\s+to|earlier\\s+than|older\\s+than|до|раньше|ранее");
/** "last updated before …": the field words go with the date, not to sorting. */
const FIELD_WORD =
  /(?<![\p{L}\p{N}_])(?:(?:last|recently)\s+)?(?:updated|modified|changed|created|opened|submitted|filed|созданн?\p{L}*|обновл\p{L}*|изменен\p{L}*)\s+$/u;
const UPDATED = /(?:updat|modif|chang|обновл|изменен|изменял)\p{L}*/gu;
const CREATED = /(?:creat|open|submitt|filed|созда|открыт|заведен|поступ)\p{L}*/gu;

interface Token extends Period {
  start_at: number;
  end_at: number;
}

function findTokens(work: Work, now: Date, monthFirst: boolean): Token[] {
  const tokens: Token[] = [];
  for (const { re, period } of TOKENS) {
    for (const f of work.findAll(re)) {
      if (tokens.some((t) => f.start < t.end_at && t.start_at < f.end)) continue;
      const p = period([f.text, ...f.groups.map((g) => g ?? "")], now, monthFirst);
      if (!p) continue;
      const exact = /\d{2}:\d{2}/.test(f.text);
      const value = exact ? work.originalSlice(f.start, f.end).toUpperCase().replace(" ", "T") : "";
      tokens.push({
        ...(exact ? { start: value, end: value, exact } : p),
        start_at: f.start,
        end_at: f.end,
      });
    }
  }
  return tokens.sort((a, b) => a.start_at - b.start_at);
}

/** Which field a date near `index` is about: the last created/updated word before it. */
function fieldBefore(text: string): "created" | "updated" {
  const clause = text.slice(Math.max(0, text.lastIndexOf(",") + 1));
  const last = (re: RegExp) => Math.max(-1, ...[...clause.matchAll(re)].map((m) => m.index));
  return last(UPDATED) > last(CREATED) ? "updated" : "created";
}

function tailMatch(re: RegExp, text: string): RegExpExecArray | null {
  return re.exec(text);
}

/** Finds the dates in the question, consumes them with their cues, returns the filters. */
export function extractDates(work: Work, now: Date, monthFirst = false): DateFilters {
  const out: DateFilters = {};
  const tokens = findTokens(work, now, monthFirst);
  const set = (field: "created" | "updated", side: "after" | "before", value: string) => {
    out[`${field}_${side}`] = value;
  };
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i]!;
    const before = work.before(t.start_at);
    const field = fieldBefore(before);
    let cueStart = t.start_at;
    const next = tokens[i + 1];
    const rangeStart = tailMatch(RANGE_START, before);
    const join = next ? RANGE_JOIN.exec(work.text.slice(t.end_at, next.start_at)) : null;
    if (
      next &&
      join &&
      (rangeStart || /(?:to|till|until|through|по|до|-|–|—)\s*$/u.test(join[0]))
    ) {
      set(field, "after", t.start);
      const inclusive = !/до\s*$/u.test(join[0]);
      set(field, "before", inclusive && !next.exact ? next.end : next.start);
      cueStart = rangeStart ? rangeStart.index : t.start_at;
      const fieldWord = FIELD_WORD.exec(work.before(cueStart));
      work.consume(fieldWord ? fieldWord.index : cueStart, next.end_at);
      i += 1;
      continue;
    }
    // "tickets from 2024", "from March", "from last week": in that period, not since it
    // ("since 2024", "с 2024 года", "after March" stay open-ended).
    const from = t.exact ? null : FROM_ONLY.exec(before);
    const after = from ? null : tailMatch(AFTER_CUE, before);
    const until = tailMatch(UNTIL_CUE, before);
    const beforeCue = tailMatch(BEFORE_CUE, before);
    const isDay = t.exact || Date.parse(t.end) - Date.parse(t.start) === DAY_MS;
    if (after) {
      const fromStart = START_INCLUSIVE.test(after[0]) || isDay;
      set(field, "after", fromStart ? t.start : t.end);
      cueStart = after.index;
    } else if (until) {
      set(field, "before", t.end);
      cueStart = until.index;
    } else if (beforeCue) {
      set(field, "before", t.start);
      cueStart = beforeCue.index;
    } else {
      set(field, "after", t.start);
      if (!t.exact && !isOpenEnded(t, now)) set(field, "before", t.end);
      if (from) cueStart = from.index;
    }
    const fieldWord = FIELD_WORD.exec(work.before(cueStart));
    work.consume(fieldWord ? fieldWord.index : cueStart, t.end_at);
  }
  return out;
}

/** A relative window ending tomorrow needs no upper bound ("last 7 days"). */
function isOpenEnded(t: Period, now: Date): boolean {
  return t.end === iso(now.getTime() + DAY_MS) && t.start !== iso(now.getTime());
}
