/**
 * Conversations: a follow-up ("which of them are closed?", "only the security ones",
 * "а закрытые?", "а теперь только с высоким приоритетом") refines the previous ticket
 * question; a full new question starts afresh.
 *
 * A follow-up keeps the previous filters and adds its own, or replaces the one of the
 * same kind (a status replaces the status; created_after/created_before go together).
 * Its own kind wins ("how many of them?" counts the previous search), and so do its sort
 * and limit when it names them. The earlier questions are resolved in order, so a
 * follow-up of a follow-up refines the refined question. Pure: the conversation is the
 * list of the user's questions, nothing else is remembered.
 */
import { words } from "./lexicon.js";
import { defaultGroupBy, parseTicketQuestion } from "./parser.js";
import type { ParseOptions, ParsedQuestion, TicketFilters, TicketIntent } from "./types.js";

/** Words that point back at the previous answer, or open a refinement. */
const FOLLOW_UP_START =
  /^\s*(?:and|but|only|just|now|also|what\s+about|how\s+about|same\s+for|а|и|но|только|лишь|теперь|ещё|еще|а\s+теперь|а\s+если|а\s+что\s+насчет|из\s+них|среди\s+них)(?![\p{L}\p{N}_])/iu;
const FOLLOW_UP_ANYWHERE = words(
  "(?:of|among|from)\\s+(?:them|those|these)|the\\s+ones" +
    "|(?:из|среди)\\s+(?:них|этих|тех)|их|таких|из\\s+этого\\s+списка",
);

/** Is this question a refinement of the previous one? */
export function isFollowUp(question: string): boolean {
  const text = question.replace(/ё/g, "е");
  return FOLLOW_UP_START.test(text) || FOLLOW_UP_ANYWHERE.test(text.toLowerCase());
}

/** Filter keys that are one kind: setting one of them replaces them all. */
const KINDS: (keyof TicketFilters)[][] = [
  ["user_id"],
  ["status"],
  ["priority"],
  ["category"],
  ["keyword"],
  ["assigned_to"],
  ["created_after", "created_before"],
  ["updated_after", "updated_before"],
];

/** The previous filters refined by the follow-up's: added, or replaced kind by kind. */
export function refineFilters(previous: TicketFilters, next: TicketFilters): TicketFilters {
  const out: TicketFilters = {};
  for (const kind of KINDS) {
    const source = kind.some((k) => next[k] !== undefined) ? next : previous;
    for (const key of kind) {
      if (source[key] !== undefined) Object.assign(out, { [key]: source[key] });
    }
  }
  return out;
}

function filtersOf(intent: TicketIntent): TicketFilters | undefined {
  return intent.kind === "search" || intent.kind === "stats" ? intent.filters : undefined;
}

/** The follow-up's intent, with the previous question's filters under its own. */
function refine(previous: TicketIntent, next: TicketIntent): TicketIntent {
  const before = filtersOf(previous);
  const own = filtersOf(next);
  if (!before || !own) return next;
  const filters = refineFilters(before, own);
  if (next.kind === "stats") {
    // "how many of them?": a group-by that was only the default follows the new filters.
    const defaulted = next.group_by === defaultGroupBy(own);
    return { ...next, filters, group_by: defaulted ? defaultGroupBy(filters) : next.group_by };
  }
  const search = next.kind === "search" ? next : undefined;
  const last = previous.kind === "search" ? previous : undefined;
  const sort = search?.sort ?? last?.sort;
  const limit = search?.limit ?? last?.limit;
  return {
    kind: "search",
    filters,
    ...(sort !== undefined ? { sort } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
}

/**
 * Parses the latest question in the light of the earlier ones (oldest first): a
 * follow-up of a ticket question is refined by it, anything else is parsed on its own.
 */
export function parseInConversation(
  earlier: readonly string[],
  question: string,
  options: ParseOptions = {},
): ParsedQuestion {
  let previous: TicketIntent | undefined;
  let parsed: ParsedQuestion | undefined;
  for (const text of [...earlier, question]) {
    const followUp = previous !== undefined && filtersOf(previous) && isFollowUp(text);
    parsed = parseTicketQuestion(text, { ...options, followUp: followUp === true });
    if (followUp) parsed = { ...parsed, intent: refine(previous!, parsed.intent) };
    if (parsed.intent.kind !== "unknown") previous = parsed.intent;
  }
  return parsed!;
}
