/**
 * What the offline model says about how it read a question, before or after the
 * results: typos it read as filter words, words it could not map (and searched
 * without), and which dates the data covers when the asked period finds nothing.
 */
import type { Correction, Language, Unrecognised } from "./types.js";

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
    lines.push(
      ru
        ? `Не распознал «${u.word}» как ${what}; искал без этого условия.`
        : `I didn't recognise '${u.word}' as ${what}; searched without it.`,
    );
  }
  return lines.join("\n");
}

/** The data's dates, when the asked period lies outside them. */
export function renderDateRange(language: Language, first: string, last: string): string {
  return language === "ru"
    ? `В данных тикеты созданы с ${first} по ${last}: за указанный период их нет. Уточните даты.`
    : `The tickets in the data were created from ${first} to ${last}, outside the period asked about. Try dates in that range.`;
}
