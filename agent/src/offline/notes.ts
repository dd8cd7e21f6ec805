/**
 * What the offline model says about how it read a question, before or after the
 * results: typos it read as filter words, words it could not map (and searched
 * without), and which dates the data covers when the asked period finds nothing.
 */
import type { Correction, Dropped, Language, Unrecognised } from "./types.js";

const FIELD: Record<Language, Record<NonNullable<Unrecognised["field"]> | "any", string>> = {
  en: {
    status: "a status",
    priority: "a priority",
    category: "a category",
    any: "a status, priority or category",
  },
  ru: {
    status: "статус",
    priority: "приоритет",
    category: "категорию",
    any: "статус, приоритет или категорию",
  },
};

/** "(Read 'crtical' as 'critical'.)" and "I didn't recognise 'foo' as …". */
export function renderNotes(
  language: Language,
  corrections: Correction[],
  unrecognised: Unrecognised[],
  dropped: Dropped[] = [],
): string {
  const ru = language === "ru";
  const lines: string[] = [];
  if (corrections.length > 0) {
    const list = corrections.map((c) =>
      ru ? `«${c.from}» → «${c.to}»` : `'${c.from}' as '${c.to}'`,
    );
    lines.push(ru ? `(Исправил опечатки: ${list.join(", ")}.)` : `(Read ${list.join(", ")}.)`);
  }
  for (const u of unrecognised) {
    const what = FIELD[language][u.field ?? "any"];
    const guess = u.suggestion
      ? ru
        ? ` (может быть, «${u.suggestion}»? короткие слова не исправляю)`
        : ` (did you mean '${u.suggestion}'? short words are not corrected)`
      : "";
    lines.push(
      ru
        ? `Не распознал «${u.word}» как ${what}${guess}; искал без этого условия.`
        : `I didn't recognise '${u.word}' as ${what}${guess}; searched without it.`,
    );
  }
  for (const d of dropped) lines.push(DROPPED[language][d.kind](d.text));
  return lines.join("\n");
}

const DROPPED: Record<Language, Record<Dropped["kind"], (text: string) => string>> = {
  en: {
    "not-assignee": (t) =>
      `The search cannot exclude an assignee ('${t}'); searched without that condition.`,
    "not-user": (t) =>
      `The search cannot exclude a user ('${t}'); searched without that condition.`,
    either: (t) =>
      `One search cannot ask for '${t}' (an "or" across two fields), so here are two searches, one for each; a ticket may appear in both.`,
    date: (t) => `I couldn't read the date in '${t}'; searched without it.`,
    "extra-assignee": (t) =>
      `The search takes one assignee; searched for the first one named, without '${t}'.`,
    "extra-user": (t) =>
      `The search takes one user; searched for the first one named, without '${t}'.`,
  },
  ru: {
    "not-assignee": (t) =>
      `Поиск не умеет исключать исполнителя («${t}»); искал без этого условия.`,
    "not-user": (t) => `Поиск не умеет исключать пользователя («${t}»); искал без этого условия.`,
    either: (t) =>
      `Одним поиском нельзя найти «${t}» («или» между разными полями), поэтому ниже два поиска, по одному на каждое условие; тикет может попасть в оба.`,
    date: (t) => `Не понял дату в «${t}»; искал без неё.`,
    "extra-assignee": (t) =>
      `Поиск принимает одного исполнителя; искал по первому названному, без «${t}».`,
    "extra-user": (t) =>
      `Поиск принимает одного пользователя; искал по первому названному, без «${t}».`,
  },
};

/** The data's dates, when the asked period lies outside them. */
export function renderDateRange(language: Language, first: string, last: string): string {
  return language === "ru"
    ? `В данных тикеты созданы с ${first} по ${last}: за указанный период их нет. Уточните даты.`
    : `The tickets in the data were created from ${first} to ${last}, outside the period asked about. Try dates in that range.`;
}
