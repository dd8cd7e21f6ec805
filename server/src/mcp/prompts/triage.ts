/**
 * `triage_tickets`: a ready-made request for clients that offer prompts (slash commands):
 * review the open urgent tickets of one category or user with the tools above. Its
 * argument is validated like the tools' (an unknown category names the allowed ones).
 */
import { ProtocolError, ProtocolErrorCode, type McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";
import { InvalidQueryError } from "../../tickets/errors.js";
import { parseFilters } from "../../tickets/query.js";
import { CATEGORIES } from "../../tickets/ticket.js";
import { toolInput } from "../schemas.js";

export const name = "triage_tickets";

export const ARGUMENTS = {
  category: z
    .string()
    .optional()
    .describe(`One of ${CATEGORIES.join(", ")}; empty for all.`),
};

/** Strict, like the tools: a misspelt argument is named, not silently ignored. */
const argsSchema = toolInput(name, ARGUMENTS);

export function register(server: McpServer): void {
  server.registerPrompt(
    name,
    {
      title: "Triage urgent tickets",
      description: "Review open critical and high-priority tickets, optionally for one category.",
      argsSchema,
    },
    ({ category }) => {
      let chosen: string | undefined;
      try {
        chosen = parseFilters({ category }).categories?.[0];
      } catch (error) {
        if (error instanceof InvalidQueryError) {
          throw new ProtocolError(ProtocolErrorCode.InvalidParams, error.message);
        }
        throw error;
      }
      const scope = chosen ? ` in the ${chosen} category` : "";
      return {
        messages: [
          {
            role: "user",
            content: {
              type: "text",
              text:
                `Use search_tickets to find open and in_progress tickets with priority critical or high${scope}. ` +
                "List them most urgent first (id, title, user, assignee, age), point out any that look " +
                "stalled (not updated for a week or more) and suggest who should act next.",
            },
          },
        ],
      };
    },
  );
}
