/**
 * Malformed request parameters answered as the JSON-RPC spec asks: -32602 (invalid
 * params) with one sentence naming the parameter, what it must be and what came.
 *
 * The SDK (v1 and v2 alike) parses each request with its own zod schema inside its
 * handler wrapper, so a `tools/call` without a `name` or a bad `logging/setLevel` level
 * becomes -32603 "Internal error" or a -32602 with a dumped zod issue list. This check
 * runs the same request schemas first, for every method the server handles; the HTTP
 * layer and the stdio transport answer with its error and pass well-formed requests on
 * untouched. The request shapes are the same in every protocol era (2026-07-28 adds
 * `_meta` keys, which these schemas let through), so the published wire schemas serve.
 */
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
} from "@modelcontextprotocol/core";
import { ProtocolErrorCode } from "@modelcontextprotocol/server";
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

export interface InvalidParamsResponse {
  jsonrpc: "2.0";
  id: string | number;
  error: { code: number; message: string };
}

/** Methods 2026-07-28 removed: the SDK answers them 404 / -32601 in that era. */
const REMOVED_IN_2026 = new Set(["logging/setLevel"]);

/**
 * The -32602 answer for a request whose params are malformed; undefined when fine (or
 * not ours to judge: a method the request's era does not have).
 */
export function invalidParams(
  message: unknown,
  { modern = false }: { modern?: boolean } = {},
): InvalidParamsResponse | undefined {
  if (message === null || typeof message !== "object" || !("method" in message)) return;
  if (!("id" in message)) return;
  const { method, id } = message as { method: unknown; id: string | number };
  if (modern && typeof method === "string" && REMOVED_IN_2026.has(method)) return undefined;
  const schema = typeof method === "string" ? SCHEMAS[method] : undefined;
  const parsed = schema?.safeParse(message);
  if (!parsed) return undefined;
  const problem = parsed.success
    ? tooLong(message, method as string)
    : describeInvalidParams(message, parsed.error.issues);
  if (problem === undefined) return undefined;
  return { jsonrpc: "2.0", id, error: { code: ProtocolErrorCode.InvalidParams, message: problem } };
}

/**
 * Names and URIs the SDK would echo whole in its "not found" answers: no tool or prompt
 * name is longer than 128 characters (the specification's limit for tool names), no
 * resource URI we serve longer than 2,048.
 */
const MAX_LENGTHS: Record<string, [path: string, max: number]> = {
  "tools/call": ["name", 128],
  "prompts/get": ["name", 128],
  "resources/read": ["uri", 2048],
};

function tooLong(message: object, method: string): string | undefined {
  const limit = MAX_LENGTHS[method];
  if (!limit) return undefined;
  const [key, max] = limit;
  const value = (message as { params?: Record<string, unknown> }).params?.[key];
  if (typeof value !== "string" || value.length <= max) return undefined;
  return `Invalid params: params.${key} must be at most ${max.toLocaleString("en-US")} characters (got ${quoteValue(value)}).`;
}
