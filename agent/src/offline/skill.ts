/**
 * A skill is one family of questions the offline model understands, as a module: it
 * turns a question into tool calls and the tools' results into the answer. The ticket
 * skill is the first; weather or local-tool skills are added by writing another and
 * passing it to `OfflineChatModel` (the first skill whose `plan` accepts a question wins).
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

export type Plan = { kind: "calls"; calls: PlannedCall[] } | { kind: "reply"; text: string };

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
  plan(question: string, language: Language, available: ReadonlySet<string>): Plan | undefined;
  /** Writes the final answer from the tool outcomes of its calls. */
  answer(question: string, language: Language, outcomes: ToolOutcome[]): string;
}
