/**
 * Place names in a question, for the weather and time skills: "в Москве", "in New York
 * and London", "погода москва", "Moscow weather". The words are returned as the user
 * wrote them ("Москве"); the weather server itself knows Russian case forms, and the
 * time skill looks names up in its own table.
 *
 * Rules, not a gazetteer: a place is the first content word after a preposition (or
 * right after the cue), extended by capitalised words ("New York") or after a known
 * first word ("new york", "saint petersburg"); "and London", ", и Берлине" add more.
 */
import type { Work } from "./text.js";

export interface PlaceMention {
  /** The words as written, e.g. "New York", "Москве". */
  text: string;
  start: number;
  end: number;
}

const PREPOSITION = /^(?:in|at|for|of|в|во|для|по)$/u;
const JOINER = /^(?:and|&|и|а\s+также)$/u;
/** Words that are never (part of) a place name. */
const STOP = new Set(
  (
    "a an the is are was be will it its there here what what's whats how which when like now today tonight " +
    "tomorrow weekend week days day next this that these me my show tell give get find please also too plus then " +
    "and or but to on with by from about current local time weather forecast temperature open closed tickets ticket " +
    "и или а но на с со к по про о об от до за для из у же ли бы там тут здесь какая какой какое каков " +
    "как сейчас сегодня завтра послезавтра выходные неделю неделе дня дней день сутки пожалуйста также тоже " +
    "потом покажи скажи расскажи дай узнай мне будет была погода погоду погоды прогноз время часов час тикеты тикетов"
  ).split(/\s+/),
);
/** First words of multi-word names that may be typed in lower case. */
const MULTI_WORD_START = new Set(
  "new saint st san santa los las rio hong buenos abu kuala sao tel нью санкт сан лос рио гон буэнос абу тель".split(
    " ",
  ),
);

interface Token {
  word: string;
  /** Lower-cased, ё → е. */
  lower: string;
  start: number;
  end: number;
}

const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}'’.-]*|[,;:?!¶]/gu;

function tokens(work: Work, from: number, to: number): Token[] {
  const out: Token[] = [];
  const slice = work.text.slice(from, to);
  for (const m of slice.matchAll(TOKEN)) {
    const start = from + m.index;
    const word = work.originalSlice(start, start + m[0].length).replace(/[.’']+$/u, "");
    out.push({ word, lower: m[0].replace(/[.’']+$/u, ""), start, end: start + word.length });
  }
  return out;
}

const isWord = (t: Token | undefined) => t !== undefined && /^\p{L}/u.test(t.lower);
const capitalised = (t: Token) => /^\p{Lu}/u.test(t.word);
const candidate = (t: Token | undefined): t is Token =>
  isWord(t) && !STOP.has(t!.lower) && !PREPOSITION.test(t!.lower) && !/\d/.test(t!.lower);

/** One place starting at tokens[i]: the token, plus name-like words after it (≤ 3). */
function placeAt(list: Token[], i: number): { place: PlaceMention; next: number } | undefined {
  const first = list[i];
  if (!candidate(first)) return undefined;
  let j = i + 1;
  while (j < list.length && j - i < 3) {
    const t = list[j]!;
    if (!candidate(t)) break;
    if (!capitalised(t) && !MULTI_WORD_START.has(list[j - 1]!.lower)) break;
    j++;
  }
  const last = list[j - 1]!;
  return {
    place: {
      text: list
        .slice(i, j)
        .map((t) => t.word)
        .join(" "),
      start: first.start,
      end: last.end,
    },
    next: j,
  };
}

/**
 * The places named after position `from`: the first within `gap` words (skipping
 * fillers like "like", "на 3 дня"), then more joined by "and"/"и"/",".
 */
export function placesAfter(work: Work, from: number, gap = 6): PlaceMention[] {
  const list = tokens(work, from, work.text.length);
  const found: PlaceMention[] = [];
  const i = list.findIndex((t, n) => {
    const afterPreposition = n > 0 && PREPOSITION.test(list[n - 1]!.lower);
    return (afterPreposition || (n === 0 && capitalised(t))) && candidate(t);
  });
  // Only within `gap` words, and not past the end of the clause.
  const stop = list.findIndex((t) => /^[,;:?!¶]$/u.test(t.lower) || JOINER.test(t.lower));
  if (i < 0 || i > gap || (stop >= 0 && stop < i)) return found;
  let at = placeAt(list, i);
  while (at) {
    found.push(at.place);
    // "… and London", "…, и в Берлине": another place when it looks like a name.
    let k = at.next;
    if (list[k]?.lower === "," || JOINER.test(list[k]?.lower ?? "")) k++;
    if (JOINER.test(list[k]?.lower ?? "")) k++;
    const preposition = PREPOSITION.test(list[k]?.lower ?? "");
    if (preposition) k++;
    if (k === at.next || !candidate(list[k])) break;
    if (!preposition && !capitalised(list[k]!)) break;
    at = placeAt(list, k);
  }
  return found;
}

/** Capitalised words right before position `at` ("Moscow weather", "London's forecast"). */
export function placeBefore(work: Work, at: number): PlaceMention | undefined {
  const list = tokens(work, 0, at);
  let i = list.length;
  while (i > 0 && i > list.length - 3) {
    const t = list[i - 1]!;
    const bare = t.word.replace(/['’]s$/u, "");
    if (!candidate({ ...t, lower: t.lower.replace(/['’]s$/u, "") }) || !/^\p{Lu}/u.test(bare))
      break;
    i--;
  }
  if (i === list.length) return undefined;
  const words = list.slice(i);
  const text = words
    .map((t) => t.word)
    .join(" ")
    .replace(/['’]s$/u, "");
  return { text, start: words[0]!.start, end: words[words.length - 1]!.end };
}
