/**
 * The agent: createReactAgent (@langchain/langgraph, the seed's create_react_agent) with
 * the MCP tools and a short system prompt. `ask` runs one question and reports progress.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, type BaseMessage, HumanMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { createReactAgent } from "@langchain/langgraph/prebuilt";

export const SYSTEM_PROMPT = `You answer questions about customer support tickets using the tools.
- search_tickets finds tickets; ticket_stats counts them; get_ticket shows one ticket in full.
- Use the exact enum values: status open, in_progress, pending, closed, rejected; priority critical, high, medium, low; category authentication, billing, feature, technical, security. Translate the user's words to them (e.g. "payment" -> billing, "login" -> authentication).
- Only set the filters the question asks for. Put free-text topics in keyword.
- Answer in the user's language. List tickets compactly, one line each: id, title, status, priority, user. Give the total, and say when there are more pages.
- Never invent tickets or fields: report only what the tools returned.`;

/** Added when tools from other servers (weather, local tools…) are loaded too. */
export const MULTI_SERVER_PROMPT = `Other tools come from other servers (e.g. weather, local files, time).
- When a question asks for several things, call every tool it needs, in one step when they do not depend on each other, and answer every part.
- Weather data from a demo server is not real: say so.
- To export tickets to a file, search first, then pass the tickets you found, as objects with their fields, to the export tool.
- For the time in a city, pass its IANA time zone (Tokyo: Asia/Tokyo).`;

const TICKET_TOOL_NAMES = new Set(["search_tickets", "get_ticket", "ticket_stats"]);

/** The system prompt for these tools: the ticket prompt, plus the multi-server note. */
export function systemPromptFor(tools: StructuredToolInterface[]): string {
  const others = tools.some((t) => !TICKET_TOOL_NAMES.has(t.name.replace(/^.*__/, "")));
  return others ? `${SYSTEM_PROMPT}\n${MULTI_SERVER_PROMPT}` : SYSTEM_PROMPT;
}

export type Agent = ReturnType<typeof createReactAgent>;

export function buildAgent(model: BaseChatModel, tools: StructuredToolInterface[]): Agent {
  return createReactAgent({ llm: model, tools, prompt: systemPromptFor(tools) });
}

export interface AskResult {
  answer: string;
  messages: BaseMessage[];
}

/** Text of a message's content, whatever its shape (string or content blocks). */
export function messageText(message: BaseMessage): string {
  const { content } = message;
  if (typeof content === "string") return content;
  return content
    .map((block) =>
      typeof block === "string" ? block : block.type === "text" ? String(block.text) : "",
    )
    .join("");
}

/**
 * Runs one question (with earlier turns, for the interactive mode). `onStep` gets the
 * conversation after each graph step, so callers can report failed tool calls.
 */
export async function ask(
  agent: Agent,
  question: string,
  history: BaseMessage[] = [],
  options: {
    onStep?: (messages: BaseMessage[]) => void;
    signal?: AbortSignal;
    recursionLimit?: number;
  } = {},
): Promise<AskResult> {
  const input = { messages: [...history, new HumanMessage(question)] };
  let messages: BaseMessage[] = input.messages;
  const stream = await agent.stream(input, {
    streamMode: "values",
    recursionLimit: options.recursionLimit ?? 12,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  for await (const state of stream) {
    messages = (state as { messages: BaseMessage[] }).messages;
    options.onStep?.(messages);
  }
  const last = [...messages].reverse().find((m) => AIMessage.isInstance(m));
  return { answer: last ? messageText(last).trim() : "", messages };
}

/** How many earlier turns (a question and its final answer) a question is asked with. */
export const HISTORY_TURNS = 10;

/**
 * The conversation to carry to the next question: the questions and final answers, not
 * the tool traffic, of the last `maxTurns` turns (at most `maxTurns` questions and their
 * answers). A real model reads them all. The offline model reads the state its last
 * answer carries (the question a follow-up refines) and the questions after it, so a
 * long chain of follow-ups keeps its first question though the window moves on.
 */
export function conversationOf(messages: BaseMessage[], maxTurns = HISTORY_TURNS): BaseMessage[] {
  const toolCalls = (m: BaseMessage) => ((m as { tool_calls?: unknown[] }).tool_calls ?? []).length;
  const kept = messages.filter(
    (m) => m.getType() === "human" || (m.getType() === "ai" && toolCalls(m) === 0),
  );
  const questions = kept.flatMap((m, i) => (m.getType() === "human" ? [i] : []));
  if (questions.length <= maxTurns) return kept;
  return kept.slice(questions[questions.length - maxTurns]);
}
