/**
 * Connects to the configured MCP servers through MultiServerMCPClient and hands the
 * agent their tools, shaped for a model:
 *
 * - The adapters give the model an object holding the tool's text *and* its
 *   structuredContent, so a search result reaches the model twice. Here the model gets
 *   the compact text once; the structured copy stays on the ToolMessage as its artifact
 *   (`{ type: "mcp_structured_content", data }`) for programs and the offline model.
 * - The adapters simplify tool schemas for models and drop `anyOf` members that are
 *   not objects, so `status: "open" | ["open", "pending"]` reaches the model with no
 *   type at all. Such properties get their types back, without `enum`: LangChain
 *   validates arguments against this schema and answers a bad value only with "did not
 *   match expected schema", while the server names the field, the value and the allowed
 *   ones (which the property's description lists for the model anyway).
 * - Every call is reported (server, tool, arguments, result size, milliseconds) to the
 *   caller's listener, for progress display, --verbose and --json.
 * - `close()` ends each HTTP session with DELETE first: neither the adapters' `close()`
 *   nor the SDK client's sends it, so without `endSessions` every run would hold a
 *   session on the server until it expires (and enough runs fill MCP_MAX_SESSIONS).
 */
import { MultiServerMCPClient } from "@langchain/mcp-adapters";
import { AIMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { ServersConfig } from "./config.js";

export interface ToolCallRecord {
  server: string;
  tool: string;
  args: Record<string, unknown>;
  /** Characters of text the model received (0 for failures until known). */
  resultChars: number;
  ms: number;
  ok: boolean;
}

export interface ToolCallListener {
  onToolStart?(call: { server: string; tool: string; args: Record<string, unknown> }): void;
  onToolEnd?(record: ToolCallRecord): void;
}

export class ServerUnreachableError extends Error {
  override readonly name = "ServerUnreachableError";
}

export interface ConnectedServers {
  client: MultiServerMCPClient;
  tools: StructuredToolInterface[];
  /** Which server each tool came from. */
  toolServers: Map<string, string>;
  /**
   * Reports the calls that failed in `messages` (error ToolMessages) to the listener: a
   * tool that answers `isError` makes the adapters throw before the after-call hook
   * runs, so only the conversation tells. Safe to call repeatedly with a growing list.
   */
  settle(messages: BaseMessage[]): void;
  /** Ends every HTTP session (DELETE), then closes every connection. Safe to call twice. */
  close(): Promise<void>;
}

/** What `terminateSession` needs: the SDK's StreamableHTTPClientTransport has it. */
interface SessionTransport {
  sessionId?: string | undefined;
  terminateSession(): Promise<void>;
}

function hasSession(transport: unknown): transport is SessionTransport {
  return (
    typeof transport === "object" &&
    transport !== null &&
    typeof (transport as SessionTransport).terminateSession === "function"
  );
}

/** How long one DELETE may take before the agent exits anyway. */
const END_SESSION_TIMEOUT_MS = 3000;

/**
 * Sends DELETE for the session of every HTTP server in `names` that is connected (the
 * transport's `terminateSession`), so the server frees it now. A server that is gone or
 * slow is not waited for longer than END_SESSION_TIMEOUT_MS; stdio servers and
 * stateless HTTP servers have no session and are skipped.
 */
export async function endSessions(client: MultiServerMCPClient, names: string[]): Promise<void> {
  await Promise.all(
    names.map(async (name) => {
      const transport = (await client.getClient(name).catch(() => undefined))?.transport;
      if (!hasSession(transport) || transport.sessionId === undefined) return;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, END_SESSION_TIMEOUT_MS);
        timer.unref();
      });
      await Promise.race([transport.terminateSession().catch(() => undefined), timeout]);
      clearTimeout(timer);
    }),
  );
}

type ContentBlock = { type: string; text?: string; structuredContent?: unknown };

/** The text the model should read, and the structured copy to keep as the artifact. */
export function splitToolContent(content: unknown): { text: string; structured?: unknown } {
  if (typeof content === "string") return { text: content };
  const blocks = (Array.isArray(content) ? content : [content]) as ContentBlock[];
  const text = blocks
    .filter((b) => b && b.type === "text")
    .map((b) => b.text ?? "")
    .join("\n");
  const structured = blocks.find((b) => b && b.structuredContent !== undefined)?.structuredContent;
  return structured === undefined ? { text } : { text, structured };
}

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  anyOf?: unknown[];
  type?: unknown;
  enum?: unknown;
};

/** A schema without its `enum` constraints, at any depth. */
function withoutEnums(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutEnums);
  if (schema === null || typeof schema !== "object") return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([k]) => k !== "enum")
      .map(([k, v]) => [k, withoutEnums(v)]),
  );
}

/** Puts back the types of properties whose `anyOf` the adapters emptied (in place). */
export function restoreUnionProperties(simplified: JsonSchema, original: JsonSchema): void {
  for (const [key, prop] of Object.entries(simplified.properties ?? {})) {
    const source = original.properties?.[key];
    if (source?.anyOf && prop.type === undefined && prop.enum === undefined) {
      simplified.properties![key] = { ...prop, anyOf: withoutEnums(source.anyOf) as unknown[] };
    }
  }
}

function unreachable(
  servers: ServersConfig,
  name: string | undefined,
  detail: string,
): ServerUnreachableError {
  const conn = name ? servers[name] : undefined;
  if (conn && conn.transport !== "stdio") {
    if (/\b401\b|Unauthorized|Authentication required|invalid_token/i.test(detail)) {
      return new ServerUnreachableError(
        `MCP server "${name}" at ${conn.url} wants a valid bearer token (401). ` +
          `Add "headers": {"Authorization": "Bearer <token>"} to its entry in your servers config.`,
      );
    }
    if (/\b403\b|insufficient_scope/i.test(detail)) {
      return new ServerUnreachableError(
        `MCP server "${name}" at ${conn.url} refused the token (403): it lacks the scope or role needed.`,
      );
    }
    const port = new URL(conn.url).port;
    const start = port && port !== "8000" ? `PORT=${port} npm start` : "npm start";
    const hint =
      name === "tickets-http"
        ? `Start it with: ${start} (a server on another port: MCP_SERVER_URL=http://localhost:PORT/mcp npm run agent)`
        : "Is that server running?";
    return new ServerUnreachableError(`Cannot reach MCP server "${name}" at ${conn.url}. ${hint}`);
  }
  if (conn && conn.transport === "stdio") {
    return new ServerUnreachableError(
      `Cannot start MCP server "${name}" (${[conn.command, ...conn.args].join(" ")}): ${detail}`,
    );
  }
  return new ServerUnreachableError(`Cannot connect to the MCP servers: ${detail}`);
}

export async function connectServers(
  servers: ServersConfig,
  listener: ToolCallListener = {},
): Promise<ConnectedServers> {
  const started = new Map<string, number[]>();
  const keyOf = (server: string, tool: string, args: unknown) =>
    `${server}\u0000${tool}\u0000${JSON.stringify(args)}`;

  // Connection errors are collected rather than thrown, so the servers that did connect
  // are still known, and their sessions can be ended before the error is reported.
  const failures: { serverName: string; error?: unknown }[] = [];
  const client = new MultiServerMCPClient({
    mcpServers: servers,
    onConnectionError: (failure) => void failures.push(failure),
    throwOnLoadError: true,
    useStandardContentBlocks: false,
    beforeToolCall: ({ serverName, name, args }) => {
      const key = keyOf(serverName, name, args);
      started.set(key, [...(started.get(key) ?? []), performance.now()]);
      listener.onToolStart?.({
        server: serverName,
        tool: name,
        args: args as Record<string, unknown>,
      });
      return {};
    },
    afterToolCall: ({ serverName, name, args, result }) => {
      const key = keyOf(serverName, name, args);
      const starts = started.get(key) ?? [];
      const start = starts.shift() ?? performance.now();
      if (starts.length === 0) started.delete(key);
      const { text, structured } = splitToolContent(result[0]);
      listener.onToolEnd?.({
        server: serverName,
        tool: name,
        args: args as Record<string, unknown>,
        resultChars: text.length,
        ms: Math.round(performance.now() - start),
        ok: true,
      });
      const artifact =
        structured === undefined ? [] : [{ type: "mcp_structured_content", data: structured }];
      return { result: [text, artifact] as never };
    },
  });

  const httpNames = Object.keys(servers).filter((name) => servers[name]?.transport !== "stdio");
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= endSessions(client, httpNames).then(() => client.close()));

  let tools: StructuredToolInterface[] = [];
  let failure: { serverName?: string | undefined; message: string } | undefined;
  try {
    tools = await client.getTools();
  } catch (err) {
    failure = { serverName: (err as { serverName?: string }).serverName, message: errorText(err) };
  }
  const first = failures[0];
  if (first) failure = { serverName: first.serverName, message: errorText(first.error) };
  if (failure) {
    await close().catch(() => undefined);
    throw unreachable(servers, failure.serverName, failure.message);
  }
  const toolServers = new Map<string, string>();
  for (const name of Object.keys(servers)) {
    const originals = new Map<string, JsonSchema>();
    const mcp = await client.getClient(name);
    for (const def of (await mcp?.listTools())?.tools ?? []) {
      originals.set(def.name, def.inputSchema as JsonSchema);
    }
    for (const tool of await client.getTools(name)) {
      toolServers.set(tool.name, name);
      const original = originals.get(tool.name);
      if (original) restoreUnionProperties(tool.schema as JsonSchema, original);
    }
  }
  const settled = new Set<string>();
  const settle = (messages: BaseMessage[]) => {
    for (const message of messages) {
      if (!ToolMessage.isInstance(message) || message.status !== "error") continue;
      if (settled.has(message.tool_call_id)) continue;
      settled.add(message.tool_call_id);
      const call = messages
        .filter((m): m is AIMessage => AIMessage.isInstance(m))
        .flatMap((m) => m.tool_calls ?? [])
        .find((c) => c.id === message.tool_call_id);
      if (!call) continue;
      const server = toolServers.get(call.name) ?? "";
      const key = keyOf(server, call.name, call.args);
      const starts = started.get(key) ?? [];
      const start = starts.shift();
      if (starts.length === 0) started.delete(key);
      listener.onToolEnd?.({
        server,
        tool: call.name,
        args: call.args,
        resultChars: 0,
        ms: start === undefined ? 0 : Math.round(performance.now() - start),
        ok: false,
      });
    }
  };
  return { client, tools, toolServers, settle, close };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
