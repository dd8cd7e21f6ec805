/**
 * A skill is one family of questions the offline model understands, as a module: it
 * turns a question into tool calls and the tools' results into the answer. The ticket
 * skill is the first; the weather and local-tools skills join it when their tools are
 * bound, and more are added by writing another and passing it to `OfflineChatModel`.
 *
 * One question may need several skills ("open critical tickets and the weather in
 * Moscow"): every skill plans its part, all their calls go out in one AI message, and
 * the answer joins each skill's part. A skill `claim`s the words it reads, so the others
 * do not read them too (the ticket parser never sees "погоду в Москве").
 */
import type { Language } from "./types.js";

export interface PlannedCall {
  name: string;
  args: Record<string, unknown>;
}

/** What one tool call gave back, as the model sees it. */
export interface ToolOutcome {
  call: PlannedCall;
  ok: boolean;
  /** The tool's text (for an error: the error text). */
  text: string;
  /** The structured result, when the tool sent one. */
  data?: Record<string, unknown>;
}

/**
 * - `calls`: call these tools now.
 * - `reply`: answer with this text when no skill calls anything; otherwise it is added
 *   to the answer (e.g. "the tool for this part is missing").
 * - `wait`: this skill acts on other skills' results (in `followUp`), e.g. "export them";
 *   when nothing is called at all, `text` is the answer.
 */
export type Plan =
  | { kind: "calls"; calls: PlannedCall[] }
  | { kind: "reply"; text: string }
  | { kind: "wait"; text: string };

/** What a skill may read of the conversation besides the latest question. */
export interface Conversation {
  /**
   * The user's earlier questions, oldest first, as this skill sees them: those asked
   * after the answer that carried `state`, or all of them when none did.
   */
  earlier: string[];
  /** What this skill's `carry` returned with the last answer (see `carry`). */
  state?: unknown;
}

export interface OfflineSkill {
  readonly name: string;
  /** The tools this skill calls; results of these tools are answered by it. */
  readonly tools: readonly string[];
  /** Questions it answers, shown when no skill understood a question (3-4 per language). */
  readonly examples: Record<Language, string[]>;
  /**
   * Plans the answer to a question: tool calls (only tools in `available`), or a direct
   * reply (e.g. the tool is missing). `undefined` means "not a question for me".
   */
  plan(
    question: string,
    language: Language,
    available: ReadonlySet<string>,
    conversation?: Conversation,
  ): Plan | undefined;
  /**
   * Writes its part of the final answer from the outcomes of its own calls; `all` holds
   * every outcome of the turn (e.g. the search an export used).
   */
  answer(
    question: string,
    language: Language,
    outcomes: ToolOutcome[],
    all?: ToolOutcome[],
    conversation?: Conversation,
  ): string;
  /**
   * The ranges [start, end) of the question this skill reads; the other skills get the
   * question with them blanked out. Without it, a skill claims nothing.
   */
  claim?(question: string): [number, number][];
  /**
   * What to remember of the conversation after this question (the ticket skill: the
   * effective question a follow-up refines). It travels with the answer message, so it
   * outlives any bound on how many earlier messages are carried.
   */
  carry?(question: string, conversation?: Conversation): unknown;
  /**
   * Calls that need earlier results of this turn (export what a search found), given
   * every outcome so far. Tools already called this turn are not called again, so the
   * loop always ends.
   */
  followUp?(
    question: string,
    language: Language,
    outcomes: ToolOutcome[],
    available: ReadonlySet<string>,
    conversation?: Conversation,
  ): PlannedCall[];
}
