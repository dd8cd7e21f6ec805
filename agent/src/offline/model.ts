/**
 * `OfflineChatModel`: a deterministic, rule-based LangChain chat model that plays the
 * agent's part with no network and no API key.
 *
 * One turn of a ReAct loop, decided from the messages alone (no hidden state):
 * - the latest human message has no tool results after it → ask a skill to plan it and
 *   answer with `tool_calls` (only tools bound with `bindTools`), or with text when no
 *   skill understands it or the tool it needs is missing;
 * - tool results follow it → the final answer from them, in the question's language.
 * It never calls a tool twice for one question, so the agent loop always ends.
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
import type { OfflineSkill, PlannedCall, ToolOutcome } from "./skill.js";
import { createTicketSkill } from "./ticketSkill.js";
import type { Language } from "./types.js";

export interface OfflineChatModelFields extends BaseChatModelParams {
  /** Question families, tried in order; defaults to the ticket skill. */
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
    this.skills = fields.skills ?? [createTicketSkill()];
    this.toolNames = [...(fields.toolNames ?? [])];
  }

  _llmType(): string {
    return "offline-rule-based";
  }

  /** A copy of this model that may call exactly these tools. */
  override bindTools(tools: BindToolsInput[]): OfflineChatModel {
    const names = tools.map(toolNameOf).filter((n): n is string => n !== undefined);
    return new OfflineChatModel({ ...this.fields, skills: this.skills, toolNames: names });
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
    if (outcomes.length > 0) return new AIMessage(this.answer(question, language, outcomes));

    // Skills speak of tools by their own names; bound names may carry a server prefix.
    const bound = new Map(this.toolNames.map((n) => [canonicalToolName(n), n]));
    const available = new Set(bound.keys());
    for (const skill of this.skills) {
      const plan = skill.plan(question, language, available);
      if (plan === undefined) continue;
      if (plan.kind === "reply") return new AIMessage(plan.text);
      const calls = plan.calls.filter((c) => bound.has(c.name));
      if (calls.length === 0) continue;
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
    const examples = this.skills.flatMap((s) => s.examples[language]).slice(0, 4);
    return new AIMessage(renderUnknown(language, examples));
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

  private answer(question: string, language: Language, outcomes: ToolOutcome[]): string {
    const parts: string[] = [];
    for (const skill of this.skills) {
      const mine = outcomes.filter((o) => skill.tools.includes(o.call.name));
      if (mine.length > 0) parts.push(skill.answer(question, language, mine));
    }
    const known = new Set(this.skills.flatMap((s) => s.tools));
    for (const o of outcomes.filter((x) => !known.has(x.call.name))) {
      parts.push(
        o.ok
          ? renderToolText(language, o.call.name, o.text)
          : renderError(language, o.call.name, o.text),
      );
    }
    return parts.join("\n\n");
  }
}
