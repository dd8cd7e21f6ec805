/**
 * Which chat model answers: OpenAI (or any OpenAI-compatible server) when a key is set,
 * else the built-in offline model, so `npm run agent` works out of the box with no key
 * and no network.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { OfflineChatModel } from "./offline/index.js";

export const DEFAULT_OPENAI_MODEL = "gpt-4o-mini";

export interface ModelChoice {
  model: BaseChatModel;
  /** e.g. "gpt-4o-mini" or "offline (rule-based)". */
  name: string;
  offline: boolean;
}

export interface ModelEnv {
  OPENAI_API_KEY?: string | undefined;
  OPENAI_MODEL?: string | undefined;
  OPENAI_BASE_URL?: string | undefined;
}

export async function selectModel(
  env: ModelEnv = process.env,
  options: { offline?: boolean } = {},
): Promise<ModelChoice> {
  const key = env.OPENAI_API_KEY?.trim();
  if (options.offline || !key) {
    return { model: new OfflineChatModel(), name: "offline (rule-based)", offline: true };
  }
  const name = env.OPENAI_MODEL?.trim() || DEFAULT_OPENAI_MODEL;
  const baseURL = env.OPENAI_BASE_URL?.trim();
  // Loaded only when it is used: @langchain/openai costs a run without a key ~0.3 s.
  const { ChatOpenAI } = await import("@langchain/openai");
  const model = new ChatOpenAI({
    model: name,
    apiKey: key,
    temperature: 0,
    timeout: 60_000,
    maxRetries: 2,
    ...(baseURL ? { configuration: { baseURL } } : {}),
  });
  return { model, name: baseURL ? `${name} @ ${baseURL}` : name, offline: false };
}
