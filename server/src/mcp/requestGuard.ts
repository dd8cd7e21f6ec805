/**
 * Malformed request parameters answered as the JSON-RPC spec asks: -32602 (invalid
 * params) with one sentence naming the parameter, what it must be and what came.
 *
 * The SDK parses each request with its own zod schema inside its handler wrapper, so a
 * `tools/call` without a `name` or a bad `logging/setLevel` level becomes -32603
 * "Internal error" with a dumped zod issue list. This guard checks the same schemas
 * first, on the transport, for every method the server handles, and answers the
 * request itself; well-formed requests pass through untouched. Installed after
 * `server.connect(transport)` and before `logRequests`, so the answers are logged.
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import { quoteValue } from "../tickets/errors.js";

const SCHEMAS: Record<string, z.ZodType> = {
  "tools/call": CallToolRequestSchema,
  "tools/list": ListToolsRequestSchema,
  "resources/list": ListResourcesRequestSchema,
  "resources/templates/list": ListResourceTemplatesRequestSchema,
  "resources/read": ReadResourceRequestSchema,
  "prompts/list": ListPromptsRequestSchema,
  "prompts/get": GetPromptRequestSchema,
  "completion/complete": CompleteRequestSchema,
  "logging/setLevel": SetLevelRequestSchema,
};

/** What a union member at these paths must look like, in words. */
const UNION_FORMS: Record<string, string> = {
  "params.ref": 'an object {"type": "ref/prompt", "name"} or {"type": "ref/resource", "uri"}',
};

const TYPE_WORDS: Record<string, string> = {
  record: "an object",
  object: "an object",
  array: "a list",
  string: "a string",
  number: "a number",
  boolean: "true or false",
};

function valueAt(message: unknown, path: readonly PropertyKey[]): unknown {
  let value = message;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** One sentence for the first problem zod found in a request. */
export function describeInvalidParams(
  message: unknown,
  issues: readonly z.core.$ZodIssue[],
): string {
  const issue = issues[0]!;
  const path = issue.path.map(String).join(".");
  const value = valueAt(message, issue.path);
  let must: string;
  switch (issue.code) {
    case "invalid_type":
      must =
        value === undefined
          ? "is required"
          : `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
      break;
    case "invalid_value":
      must = `must be one of ${issue.values.map(String).join(", ")}`;
      break;
    case "invalid_union":
      must = `must be ${UNION_FORMS[path] ?? "in one of the forms the specification allows"}`;
      break;
    default:
      must = issue.message.replace(/^Invalid input: /, "must be: ");
  }
  const got = value === undefined ? "" : ` (got ${quoteValue(value)})`;
  return `Invalid params: ${path || "params"} ${must}${got}.`;
}

export function guardRequests(transport: Transport): void {
  const receive = transport.onmessage;
  transport.onmessage = (message, extra) => {
    const schema = "method" in message && "id" in message ? SCHEMAS[message.method] : undefined;
    const parsed = schema?.safeParse(message);
    if (parsed && !parsed.success && "id" in message) {
      void transport
        .send(
          {
            jsonrpc: "2.0",
            id: message.id,
            error: {
              code: ErrorCode.InvalidParams,
              message: describeInvalidParams(message, parsed.error.issues),
            },
          },
          { relatedRequestId: message.id },
        )
        .catch(() => {});
      return;
    }
    receive?.(message, extra);
  };
}
