/**
 * Conversations: a follow-up ("which of them are closed?", "only the security ones",
 * "а закрытые?", "а теперь только с высоким приоритетом") refines the previous ticket
 * question; a full new question starts afresh.
 *
 * A follow-up keeps the previous filters and adds its own, or replaces the one of the
 * same kind (a status replaces the status; created_after/created_before go together).
 * Its own kind wins ("how many of them?" counts the previous search), and so do its sort
 * and limit when it names them. The earlier questions are resolved in order, so a
 * follow-up of a follow-up refines the refined question. A follow-up needs no cue word
 * when it names no ticket noun, user or assignee of its own and still sets a filter,
 * sort, limit or count ("closed ones?", "покажи только открытые", "sort them by
 * priority", "show 50", "show more"). Pure: the conversation is the user's questions, or the effective question it
 * had reached (`state`) plus the questions after it.
 */
import { TICKET_NOUN, words } from "./lexicon.js";
import { defaultGroupBy, isDefaultGroupBy, parseTicketQuestion } from "./parser.js";
import { MAX_LIMIT } from "../../../server/src/tickets/query.js";
import type { ParseOptions, ParsedQuestion, TicketFilters, TicketIntent } from "./types.js";

/** Words that point back at the previous answer, or open a refinement. */
const FOLLOW_UP_START =
  /^\s*(?:and|but|only|just|now|also|what\s+about|how\s+about|same\s+for|а|и|но|только|лишь|теперь|ещё|еще|а\s+теперь|а\s+если|а\s+что\s+насчет|из\s+них|среди\s+них)(?![\p{L}\p{N}_])/iu;
const FOLLOW_UP_ANYWHERE = words(
  "(?:of|among|from)\\s+(?:them|those|these)|the\\s+ones|which\\s+ones|them|those|only|только|лишь" +
    "|(?:из|среди)\\s+(?:них|этих|тех)|их|таких|из\\s+этого\\s+списка",
  "iu",
);

/** Is this question a refinement of the previous one, by its wording alone? */
export function isFollowUp(question: string): boolean {
  const text = question.replace(/ё/g, "е");
  return FOLLOW_UP_START.test(text) || FOLLOW_UP_ANYWHERE.test(text.toLowerCase());
}

/** A ticket noun other than "ones": a question that names it is a question of its own. */
const OWN_NOUN = words(TICKET_NOUN.replace("|ones", ""), "iu");

/** "show more", "ещё", "the rest": the previous search with a higher limit. */
const MORE = words(
  "more|the\\s+rest|next(?:\\s+page)?|ещ[её]|больше|остальн\\p{L}*|дальше|следующ\\p{L}*",
  "iu",
);

/**
 * A question with no ticket noun of its own that still asks for a filter, a sort, a
 * limit or a count ("closed ones?", "покажи закрытые", "sort by priority", "show 50"):
 * after a ticket question it can only be about those tickets.
 */
function refinesBareQuestion(text: string, options: ParseOptions): boolean {
  if (OWN_NOUN.test(text)) return false;
  if (MORE.test(text)) return true;
  const { intent } = parseTicketQuestion(text, { ...options, followUp: true });
  // Naming whose tickets ("What does support_agent2 have in progress?") makes it a
  // question of its own unless a cue word says otherwise ("what about user112?").
  const own = intent.kind === "search" || intent.kind === "stats" ? intent.filters : {};
  if (own.user_id !== undefined || own.assigned_to !== undefined) return false;
  if (intent.kind === "stats") return true;
  if (intent.kind !== "search") return false;
  return (
    Object.keys(intent.filters).length > 0 ||
    intent.sort !== undefined ||
    intent.limit !== undefined
  );
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

/** The default page size of a search, and the limit "show more" asks for after it. */
const DEFAULT_LIMIT = 10;
const moreThan = (limit: number | undefined) =>
  Math.min(MAX_LIMIT, Math.max(50, 2 * (limit ?? DEFAULT_LIMIT)));

/** The follow-up's intent, with the previous question's filters under its own. */
function refine(previous: TicketIntent, next: TicketIntent, more: boolean): TicketIntent {
  const before = filtersOf(previous);
  const own = filtersOf(next);
  if (!before || !own) return next;
  const filters = refineFilters(before, own);
  const ownEither = next.kind === "search" || next.kind === "stats" ? next.either : undefined;
  const either = ownEither?.map((side) => refineFilters(before, side)) as
    [TicketFilters, TicketFilters] | undefined;
  if (next.kind === "stats") {
    // "how many of them?": a group-by that was only the default follows the new filters.
    const defaulted = isDefaultGroupBy(next);
    return {
      ...next,
      filters,
      group_by: defaulted ? defaultGroupBy(filters) : next.group_by,
      ...(either ? { either } : {}),
    };
  }
  const search = next.kind === "search" ? next : undefined;
  const last = previous.kind === "search" ? previous : undefined;
  const sort = search?.sort ?? last?.sort;
  const ownLimit = search?.limit;
  const limit =
    ownLimit ?? (more && Object.keys(own).length === 0 ? moreThan(last?.limit) : last?.limit);
  return {
    kind: "search",
    filters,
    ...(either ? { either } : {}),
    ...(sort !== undefined ? { sort } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
}

/** A question read in its conversation, and what the next question refines. */
export interface ConversationReading {
  parsed: ParsedQuestion;
  /**
   * The conversation's effective question after this one: its own intent, or, when it
   * was no ticket question ("hello"), the one before. The offline model keeps it with
   * its answer, so a chain of follow-ups never loses its first question, however long.
   */
  state: TicketIntent | undefined;
}

/**
 * Reads the latest question in the light of the earlier ones: `state` is the effective
 * question the conversation had reached (kept with the last answer); the `earlier`
 * questions, oldest first, are those asked after it (all of them when there is no
 * state). A follow-up of a ticket question is refined by it, anything else is parsed
 * on its own.
 */
export function readInConversation(
  earlier: readonly string[],
  question: string,
  options: ParseOptions = {},
  state?: TicketIntent,
): ConversationReading {
  let previous: TicketIntent | undefined = state;
  let parsed: ParsedQuestion | undefined;
  for (const text of [...earlier, question]) {
    const followUp =
      previous !== undefined &&
      filtersOf(previous) !== undefined &&
      (isFollowUp(text) || refinesBareQuestion(text, options));
    parsed = parseTicketQuestion(text, { ...options, followUp });
    if (followUp) {
      const intent = refine(previous!, parsed.intent, MORE.test(text));
      parsed = { ...parsed, intent };
    }
    if (parsed.intent.kind !== "unknown") previous = parsed.intent;
  }
  return { parsed: parsed!, state: previous };
}

/** `readInConversation` without the state: the question as read. */
export function parseInConversation(
  earlier: readonly string[],
  question: string,
  options: ParseOptions = {},
  state?: TicketIntent,
): ParsedQuestion {
  return readInConversation(earlier, question, options, state).parsed;
}
