/**
 * Typos in filter words: "crtical", "securty", "biling", "pendng", "критичиские",
 * "безопастности" are read as the filter words they miss, before the rules run.
 *
 * Only the filter vocabulary below is ever a correction (never ordinary words), and only
 * for words long enough to be safe: the optimal-string-alignment (Damerau-Levenshtein)
 * distance may be 1 for 5-7 letters and 2 for 8 or more (the shorter of the two words
 * counts), the first letter must match, and a word that already means something to the
 * parser, or is a known near miss ("closes", "sending"), is left alone. Russian entries
 * are stems: the word's ending is kept ("безопаст|ности" -> "безопасн|ости").
 */
import {
  DIMENSIONS,
  GROUP_CUE,
  KEYWORD_STOP,
  SORT_RULES,
  STATS_CUE,
  TICKET_NOUN,
  whole,
} from "./lexicon.js";
import { isFilterToken } from "./keyword.js";
import type { Correction } from "./types.js";

/** English words (whole) and Russian stems (`~` at the end) that name filters. */
const VOCABULARY = [
  // statuses
  "closed",
  "resolved",
  "unresolved",
  "rejected",
  "declined",
  "pending",
  "waiting",
  "progress",
  "открыт~",
  "закрыт~",
  "решенн~",
  "нерешенн~",
  "незакрыт~",
  "отклонен~",
  "ожидани~",
  // priorities
  "critical",
  "urgent",
  "medium",
  "priority",
  "критическ~",
  "критичн~",
  "некритичн~",
  "высок~",
  "средн~",
  "срочн~",
  "приоритет~",
  // categories
  "security",
  "billing",
  "payment",
  "payments",
  "invoice",
  "refund",
  "feature",
  "features",
  "technical",
  "authentication",
  "password",
  "безопасност~",
  "оплат~",
  "платеж~",
  "биллинг~",
  "аутентификац~",
  "авторизац~",
  "техническ~",
  "функци~",
  // the thing asked about
  "tickets",
  "ticket",
  "тикет~",
  "status",
  "статус~",
  "category",
  "категори~",
];

/** Ordinary words one edit away from a filter word: never corrected. */
const NEAR_MISSES = new Set([
  "closes",
  "closer",
  "closet",
  "sending",
  "spending",
  "lending",
  "bending",
  "tending",
  "filling",
  "killing",
  "willing",
  "billion",
  "secured",
  "technician",
  "technicians",
  "featured",
  "feathers",
  "statue",
  "statues",
  "mediums",
  "вопрос",
  "открыв",
  "закрыв",
]);

/** Optimal string alignment distance (Damerau-Levenshtein without repeated edits). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The edits allowed between words of these lengths (0: too short to correct). */
export function allowedEdits(length: number): number {
  if (length >= 8) return 2;
  return length >= 5 ? 1 : 0;
}

/** Words the parser reads as something else ("статистика", "sorted", "tickets"). */
const KNOWN = [
  TICKET_NOUN,
  STATS_CUE,
  GROUP_CUE,
  KEYWORD_STOP,
  ...DIMENSIONS.map((d) => d.source),
  ...SORT_RULES.map((r) => r.source),
].map((source) => whole(source));

/** The filter word `token` misses, or undefined (also when two are equally near). */
export function correctWord(token: string): string | undefined {
  const word = token.toLowerCase().replace(/ё/g, "е");
  if (word.length < 5 || NEAR_MISSES.has(word)) return undefined;
  if (isFilterToken(word, true) || KNOWN.some((re) => re.test(word))) return undefined;
  // The nearest entry wins; at equal distance the longer one (more letters agree).
  let best: { to: string; distance: number; length: number } | undefined;
  let tie = false;
  for (const entry of VOCABULARY) {
    const stem = entry.endsWith("~");
    const form = stem ? entry.slice(0, -1) : entry;
    if (form[0] !== word[0]) continue;
    const candidates = stem
      ? // the stem against each prefix of about its length; the rest is the ending
        [-2, -1, 0, 1, 2]
          .map((delta) => form.length + delta)
          .filter((n) => n >= 4 && n <= word.length && word.length - n <= 5)
          .map((n) => ({ part: word.slice(0, n), to: form + word.slice(n) }))
      : [{ part: word, to: form }];
    for (const { part, to } of candidates) {
      const limit = allowedEdits(Math.min(part.length, form.length));
      const distance = editDistance(part, form);
      if (limit === 0 || distance === 0 || distance > limit) continue;
      const better =
        !best ||
        distance < best.distance ||
        (distance === best.distance && form.length > best.length);
      if (better) {
        best = { to, distance, length: form.length };
        tie = false;
      } else if (distance === best!.distance && form.length === best!.length && to !== best!.to) {
        tie = true;
      }
    }
  }
  return best && !tie ? best.to : undefined;
}

const WORD = /(?<![\p{L}\p{N}_])\p{L}{5,}(?![\p{L}\p{N}_])/gu;
const QUOTED = /“[^”]*”|„[^“”]*[“”]|«[^»]*»|"[^"]*"|`[^`]*`/gu;

/** The question with typos in filter words corrected (quoted parts stay as written). */
export function correctTypos(text: string): { text: string; corrections: Correction[] } {
  const quoted = [...text.matchAll(QUOTED)].map((m) => [m.index, m.index + m[0].length]);
  const corrections: Correction[] = [];
  const fixed = text.replace(WORD, (token, offset: number) => {
    if (quoted.some(([start, end]) => offset >= start! && offset < end!)) return token;
    const to = correctWord(token);
    if (to === undefined) return token;
    corrections.push({ from: token, to });
    return to;
  });
  return { text: fixed, corrections };
}
