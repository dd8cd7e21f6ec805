/**
 * `OfflineChatModel`: a deterministic, rule-based LangChain chat model that plays the
 * agent's part with no network and no API key.
 *
 * One turn of a ReAct loop, decided from the messages alone (no hidden state):
 * - the latest human message has no tool results after it → every skill plans its part
 *   of it, and the model answers with all their `tool_calls` in one message (parallel
 *   calls; only tools bound with `bindTools`), or with text when no skill understands it
 *   or the tool it needs is missing;
 * - tool results follow it → the skills' follow-up calls, if any (an export needs the
 *   search's result first), else the final answer from the results, each skill writing
 *   its part, in the question's language.
 * The user's earlier questions in the conversation are handed to the skills too, so a
 * follow-up ("а закрытые?") can refine the question before it.
 * Follow-ups never repeat a call made for this question, and a question gets at most
 * MAX_TOOL_ROUNDS rounds of calls, so the agent loop always ends.
 */
import { randomUUID } from "node:crypto";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import {
  BaseChatModel,
  type BaseChatModelParams,
  type BindToolsInput,
} from "@langchain/core/language_models/chat_models";
import { AIMessage, type BaseMessage, type ToolMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { renderError, renderToolText, renderUnknown } from "./answer.js";
import { detectLanguage } from "./parser.js";
import { createLocalToolsSkill } from "./localToolsSkill.js";
import type { Conversation, OfflineSkill, Plan, PlannedCall, ToolOutcome } from "./skill.js";
import { createTicketSkill } from "./ticketSkill.js";
import { createWeatherSkill } from "./weatherSkill.js";
import type { Language } from "./types.js";

export interface OfflineChatModelFields extends BaseChatModelParams {
  /** Question families, in answer order; defaults to `defaultSkills(toolNames)`. */
  skills?: OfflineSkill[];
  /** Names of the tools it may call (set by `bindTools`). */
  toolNames?: string[];
}

/** The name of a tool in any form `bindTools` accepts (LangChain tool, OpenAI tool…). */
export function toolNameOf(tool: BindToolsInput): string | undefined {
  const t = tool as { name?: unknown; function?: { name?: unknown } };
  if (typeof t.name === "string") return t.name;
  if (typeof t.function?.name === "string") return t.function.name;
  return undefined;
}

/** Plain text of a message's content (string, or the text parts of a block list). */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((block: unknown) => {
      if (typeof block === "string") return block;
      const b = block as { type?: unknown; text?: unknown };
      return b.type === "text" && typeof b.text === "string" ? b.text : "";
    })
    .filter((s) => s !== "")
    .join("\n");
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The structured result of a tool message: the MCP adapters put it in the artifact as
 * `{ type: "mcp_structured_content", data }` (and sometimes beside the text block); a
 * plain JSON text is accepted too.
 */
export function structuredOf(
  message: ToolMessage,
  text: string,
): Record<string, unknown> | undefined {
  const artifact: unknown = message.artifact;
  if (Array.isArray(artifact)) {
    for (const item of artifact) {
      if (isRecord(item) && item.type === "mcp_structured_content" && isRecord(item.data))
        return item.data;
    }
  }
  const blocks: unknown[] = Array.isArray(message.content) ? message.content : [message.content];
  for (const block of blocks) {
    if (isRecord(block) && isRecord(block.structuredContent)) return block.structuredContent;
  }
  if (/^\s*\{/.test(text)) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (isRecord(parsed)) return parsed;
    } catch {
      // not JSON: the text is all there is
    }
  }
  return undefined;
}

/** "tickets-http__search_tickets" (adapter prefix) → "search_tickets". */
export function canonicalToolName(name: string): string {
  return name.replace(/^.*__/, "");
}

function callId(): string {
  return `call_offline_${randomUUID().replace(/-/g, "")}`;
}

const callKey = (c: PlannedCall) => `${c.name}\u0000${JSON.stringify(c.args)}`;

/** The key of an answer's `response_metadata` under which skills keep their state. */
export const CARRIED = "offline_conversation";

/** The skills' state an earlier answer carried, by skill name. */
function carriedOf(message: BaseMessage): Record<string, unknown> | undefined {
  if (message.getType() !== "ai") return undefined;
  const meta = (message as AIMessage).response_metadata as Record<string, unknown> | undefined;
  const carried = meta?.[CARRIED];
  return isRecord(carried) ? carried : undefined;
}

/** Rounds of tool calls one question may take: the plan, then follow-ups. */
export const MAX_TOOL_ROUNDS = 3;

/**
 * The built-in skills for these bound tools: tickets always (it says so when its tools
 * are missing); weather and local tools only when one of their tools is bound.
 */
export function defaultSkills(toolNames: readonly string[]): OfflineSkill[] {
  const bound = new Set(toolNames.map(canonicalToolName));
  const optional = [createWeatherSkill(), createLocalToolsSkill()].filter((skill) =>
    skill.tools.some((t) => bound.has(t)),
  );
  return [createTicketSkill(), ...optional];
}

export class OfflineChatModel extends BaseChatModel {
  static override lc_name(): string {
    return "OfflineChatModel";
  }

  readonly skills: OfflineSkill[];
  readonly toolNames: string[];
  private readonly fields: OfflineChatModelFields;

  constructor(fields: OfflineChatModelFields = {}) {
    super(fields);
    this.fields = fields;
    this.toolNames = [...(fields.toolNames ?? [])];
    this.skills = fields.skills ?? defaultSkills(this.toolNames);
  }

  _llmType(): string {
    return "offline-rule-based";
  }

  /** A copy of this model that may call exactly these tools. */
  override bindTools(tools: BindToolsInput[]): OfflineChatModel {
    const names = tools.map(toolNameOf).filter((n): n is string => n !== undefined);
    return new OfflineChatModel({ ...this.fields, toolNames: names });
  }

  async _generate(
    messages: BaseMessage[],
    _options: this["ParsedCallOptions"],
    _runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const message = this.respond(messages);
    return { generations: [{ text: textOf(message.content), message }] };
  }

  /** The next AI message for this conversation (exposed for tests and the CLI). */
  respond(messages: BaseMessage[]): AIMessage {
    let humanAt = -1;
    for (let i = messages.length - 1; i >= 0; i -= 1) {
      if (messages[i]!.getType() === "human") {
        humanAt = i;
        break;
      }
    }
    const question = humanAt >= 0 ? textOf(messages[humanAt]!.content).trim() : "";
    const language = detectLanguage(question);
    const after = messages.slice(humanAt + 1);
    const outcomes = this.outcomesOf(after);
    // Skills speak of tools by their own names; bound names may carry a server prefix.
    const bound = new Map(this.toolNames.map((n) => [canonicalToolName(n), n]));
    const available = new Set(bound.keys());
    const views = this.views(question);
    // What the skills carried with the last answer, and the questions asked after it.
    const before = messages.slice(0, Math.max(0, humanAt));
    const stateAt = before.findLastIndex((m) => carriedOf(m) !== undefined);
    const carried = stateAt >= 0 ? carriedOf(before[stateAt]!)! : {};
    const earlier = before
      .slice(stateAt + 1)
      .filter((m) => m.getType() === "human")
      .map((m) => this.views(textOf(m.content).trim()));
    const conversations: Conversation[] = this.skills.map((skill, i) => ({
      earlier: earlier.map((v) => v[i]!),
      ...(carried[skill.name] !== undefined ? { state: carried[skill.name] } : {}),
    }));
    // A final answer carries what each skill remembers of the conversation.
    const final = (text: string) =>
      new AIMessage({
        content: text,
        response_metadata: {
          [CARRIED]: Object.fromEntries(
            this.skills.map((skill, i) => [skill.name, skill.carry?.(views[i]!, conversations[i])]),
          ),
        },
      });

    if (outcomes.length > 0) {
      const made = new Set(outcomes.map((o) => callKey(o.call)));
      const rounds = after.filter((m) => (m as AIMessage).tool_calls?.length).length;
      const next =
        rounds >= MAX_TOOL_ROUNDS
          ? []
          : this.skills
              .flatMap(
                (skill, i) =>
                  skill.followUp?.(views[i]!, language, outcomes, available, conversations[i]) ??
                  [],
              )
              .filter((c) => bound.has(c.name) && !made.has(callKey(c)));
      if (next.length > 0) return this.callTools(next, bound);
      return final(this.answer(views, language, outcomes, available, conversations));
    }

    const plans = this.plans(views, language, available, conversations);
    const seen = new Set<string>();
    const calls = plans
      .flatMap((plan) => (plan?.kind === "calls" ? plan.calls : []))
      .filter((c) => bound.has(c.name) && !seen.has(callKey(c)) && seen.add(callKey(c)));
    if (calls.length > 0) return this.callTools(calls, bound);
    for (const plan of plans) if (plan && plan.kind !== "calls") return final(plan.text);
    const per = this.skills.length === 1 ? 4 : 2;
    const examples = this.skills.flatMap((s) => s.examples[language].slice(0, per));
    return final(renderUnknown(language, examples));
  }

  /** The question as each skill sees it: the parts other skills claimed blanked out. */
  private views(question: string): string[] {
    const claims = this.skills.map((skill) => skill.claim?.(question) ?? []);
    return this.skills.map((_, i) => {
      let text = question;
      claims.forEach((ranges, j) => {
        if (j === i) return;
        for (const [start, end] of ranges) {
          text = text.slice(0, start) + " ".repeat(Math.max(0, end - start)) + text.slice(end);
        }
      });
      return text;
    });
  }

  private plans(
    views: string[],
    language: Language,
    available: ReadonlySet<string>,
    conversations: Conversation[],
  ): (Plan | undefined)[] {
    return this.skills.map((skill, i) =>
      skill.plan(views[i]!, language, available, conversations[i]),
    );
  }

  private callTools(calls: PlannedCall[], bound: Map<string, string>): AIMessage {
    return new AIMessage({
      content: "",
      tool_calls: calls.map((c) => ({
        id: callId(),
        name: bound.get(c.name)!,
        args: c.args,
        type: "tool_call" as const,
      })),
    });
  }

  private outcomesOf(messages: BaseMessage[]): ToolOutcome[] {
    const calls = new Map<string, PlannedCall>();
    const outcomes: ToolOutcome[] = [];
    for (const m of messages) {
      if (m.getType() === "ai") {
        for (const c of (m as AIMessage).tool_calls ?? []) {
          if (c.id) calls.set(c.id, { name: canonicalToolName(c.name), args: c.args });
        }
      } else if (m.getType() === "tool") {
        const tm = m as ToolMessage;
        const text = textOf(tm.content);
        const data = structuredOf(tm, text);
        const call = calls.get(tm.tool_call_id) ?? {
          name: canonicalToolName(tm.name ?? "tool"),
          args: {},
        };
        const failed = tm.status === "error" || (data === undefined && /^\s*Error\b/.test(text));
        outcomes.push({ call, ok: !failed, text, ...(data !== undefined ? { data } : {}) });
      }
    }
    return outcomes;
  }

  /**
   * Each skill writes its part: from the outcomes of the calls it planned (the plans are
   * made again: they depend on the question alone), or of its tools; a skill that only
   * replied adds its reply ("the tool for this part is missing").
   */
  private answer(
    views: string[],
    language: Language,
    outcomes: ToolOutcome[],
    available: ReadonlySet<string>,
    conversations: Conversation[],
  ): string {
    const plans = this.plans(views, language, available, conversations);
    const ownerOf = (o: ToolOutcome) => {
      const key = callKey(o.call);
      const planned = plans.findIndex(
        (p) => p?.kind === "calls" && p.calls.some((c) => callKey(c) === key),
      );
      return planned >= 0 ? planned : this.skills.findIndex((s) => s.tools.includes(o.call.name));
    };
    const owners = outcomes.map(ownerOf);
    const parts: string[] = [];
    this.skills.forEach((skill, i) => {
      const mine = outcomes.filter((_, k) => owners[k] === i);
      const plan = plans[i];
      if (mine.length > 0 || plan?.kind === "wait") {
        parts.push(skill.answer(views[i]!, language, mine, outcomes, conversations[i]));
      } else if (plan?.kind === "reply") parts.push(plan.text);
    });
    outcomes.forEach((o, k) => {
      if (owners[k] !== -1) return;
      parts.push(
        o.ok
          ? renderToolText(language, o.call.name, o.text)
          : renderError(language, o.call.name, o.text),
      );
    });
    return parts.filter((p) => p.trim() !== "").join("\n\n");
  }
}
