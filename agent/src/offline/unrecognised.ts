/**
 * Words that stand where a filter value would and that no rule understood: after a
 * field's name ("status foo", "с приоритетом фуу") or before it ("in the foo category"),
 * just before the ticket noun ("blorp tickets", "фиолетовые тикеты"), after "по"
 * following it ("тикеты по фуфле"), or after "tickets that are" ("tickets that are
 * purple"). A short near miss of a filter word is suggested, not corrected ("opne"). The
 * answer names them ("searched without it") instead of widening the search silently.
 *
 * Read after every other pass, so only words nothing consumed are left; ordinary words
 * that often stand there ("show", "all", "my", "support", "эти") are not filters.
 */
import { KEYWORD_STOP, TICKET_NOUN, whole, words } from "./lexicon.js";
import type { Work } from "./text.js";
import { editDistance } from "./typos.js";
import type { Unrecognised } from "./types.js";

const ORDINARY = whole(
  "still|currently|now|already|being|yet|really|neither|nor|per|group|grouped|sort|sorted|order|ordered|rank|ranked|by|what|which|same|different|any|every|each|their|всего|больше|меньше|show|list|find|get|give|display|fetch|see|search|view|print|return|all|any|some|my|our|your|their|his|her|its|the|these|those|this|that|other|more|many|much|few|several|similar|same|related|current|existing|every|each|recent|new|old|support|customer|customers|user|users|client|which|what|how|who|me|us|them|only|just|also|please|there|here|no|not|yes|total|number|count|both|either|many|latest|newest|oldest|most|least|none|such" +
    "|покажи|покажите|найди|найдите|выведи|выведите|дай|дайте|все|всех|всё|мои|моих|наши|наших|эти|этих|те|тех|другие|других|какие|каких|сколько|много|нужны|нужно|есть|ли|только|еще|также|пожалуйста|них|ими|таких|такие|похожие|текущие|имеющиеся|существующие|любые|некоторые|оба|свои|своих|его|ее|их|мне|нам|ваши",
);
const STOP = whole(KEYWORD_STOP);

const FIELDS: [NonNullable<Unrecognised["field"]>, string][] = [
  ["status", "status|state|статус\\p{L}*|состояни\\p{L}*"],
  ["priority", "priority|приоритет\\p{L}*"],
  ["category", "category|type|категори\\p{L}*|тип\\p{L}*"],
];

const VALUE = "([\\p{L}][\\p{L}\\p{N}_-]{1,})";
const AFTER_FIELD = FIELDS.map(
  ([field, source]) =>
    [field, words(`(?:${source})\\s*(?:[:=]|is|of|равн\\p{L}*)?\\s*${VALUE}`)] as const,
);
const BEFORE_NOUN = words(`${VALUE}\\s+(?:${TICKET_NOUN})`);
const AFTER_PO = words(`(?:${TICKET_NOUN})\\s+по\\s+${VALUE}`);
/** "tickets that are purple", "issues which are opne" */
const THAT_ARE = words(
  `(?:${TICKET_NOUN})\\s+(?:that|which)\\s+(?:are|is|were|was)\\s+(?:(?:still|currently|now|all|also)\\s+)?${VALUE}`,
);
/** "in the foo category", "hgih priority tickets" (English: the value comes first) */
const BEFORE_FIELD = (
  [
    ["status", "status"],
    ["priority", "priority"],
    ["category", "category"],
  ] as const
).map(([field, source]) => [field, words(`${VALUE}\\s+(?:${source})(?!\\s*[:=])`)] as const);

/** Filter words too short for the typo corrector; a near miss is only suggested. */
const SHORT_WORDS = ["open", "done", "high", "low", "auth", "bug", "bugs", "tech", "mid"];

function suggestionFor(word: string): string | undefined {
  const w = word.toLowerCase();
  if (w.length >= 5) return undefined;
  return SHORT_WORDS.find((s) => s[0] === w[0] && s !== w && editDistance(w, s) === 1);
}

function usable(word: string): boolean {
  return word.length >= 3 && !ORDINARY.test(word) && !STOP.test(word) && !/\d/.test(word);
}

/** The unconsumed words in a filter's place, as the user wrote them. */
export function unrecognisedWords(work: Work): Unrecognised[] {
  const out: Unrecognised[] = [];
  const seen = new Set<string>();
  const add = (
    f: { start: number; text: string; groups: (string | undefined)[] },
    field?: Unrecognised["field"],
  ) => {
    const value = f.groups[0]!;
    if (!usable(value) || whole(TICKET_NOUN).test(value)) return;
    const at = f.start + f.text.lastIndexOf(value);
    const word = work.originalSlice(at, at + value.length);
    if (seen.has(word.toLowerCase())) return;
    seen.add(word.toLowerCase());
    const suggestion = suggestionFor(word);
    out.push({
      word,
      ...(field ? { field } : {}),
      ...(suggestion !== undefined ? { suggestion } : {}),
    });
  };
  for (const [field, re] of [...AFTER_FIELD, ...BEFORE_FIELD]) {
    for (const f of work.findAll(re)) add(f, field);
  }
  for (const re of [BEFORE_NOUN, AFTER_PO, THAT_ARE]) for (const f of work.findAll(re)) add(f);
  return out;
}
