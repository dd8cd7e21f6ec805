/**
 * Bearer authentication for /mcp, and the OAuth Protected Resource Metadata (RFC 9728)
 * that tells clients where to get a token. Without authenticators every caller is the
 * anonymous agent. Failures answer 401 (missing or bad token) or 403 (insufficient
 * scope) with a WWW-Authenticate header pointing at the metadata, and a JSON-RPC body.
 */
import type { Request, RequestHandler, Response } from "express";
import { authConfigured, publicUrl, type Config } from "../config.js";
import { OAuthAuthenticator } from "../auth/oauth.js";
import { ANONYMOUS, AuthError, type Authenticator, type Principal } from "../auth/principal.js";
import { StaticTokenAuthenticator } from "../auth/staticTokens.js";
import { jsonRpcError } from "./errors.js";

export type AuthConfig = Pick<
  Config,
  | "AUTH_TOKENS_FILE"
  | "OAUTH_ISSUER"
  | "OAUTH_JWKS_URL"
  | "OAUTH_AUDIENCE"
  | "OAUTH_SCOPE"
  | "OAUTH_USER_CLAIM"
  | "PUBLIC_URL"
  | "HOST"
  | "PORT"
>;

export const METADATA_PATH = "/.well-known/oauth-protected-resource";

export interface Auth {
  enabled: boolean;
  /** Sets res.locals.principal, or answers 401/403. */
  middleware: RequestHandler;
  /** RFC 9728 metadata, when OAuth is configured. */
  metadata?: Record<string, unknown>;
}

export function principalOf(res: Response): Principal {
  return (res.locals.principal as Principal | undefined) ?? ANONYMOUS;
}

export function createAuth(config: AuthConfig): Auth {
  const authenticators: Authenticator[] = [];
  if (config.AUTH_TOKENS_FILE)
    authenticators.push(StaticTokenAuthenticator.fromFile(config.AUTH_TOKENS_FILE));
  const base = publicUrl(config);
  const resource = `${base}/mcp`;
  let metadata: Record<string, unknown> | undefined;
  if (config.OAUTH_ISSUER && config.OAUTH_JWKS_URL) {
    authenticators.push(
      new OAuthAuthenticator({
        issuer: config.OAUTH_ISSUER,
        jwksUrl: config.OAUTH_JWKS_URL,
        audience: config.OAUTH_AUDIENCE ?? resource,
        scope: config.OAUTH_SCOPE,
        userClaim: config.OAUTH_USER_CLAIM,
      }),
    );
    metadata = {
      resource,
      authorization_servers: [config.OAUTH_ISSUER],
      scopes_supported: [config.OAUTH_SCOPE],
      bearer_methods_supported: ["header"],
      resource_name: "Support ticket search (MCP)",
    };
  }
  const enabled = authConfigured(config);
  const challenge = (extra: string) => {
    const parts = ['Bearer realm="mcp-tickets"'];
    if (metadata) parts.push(`resource_metadata="${base}${METADATA_PATH}/mcp"`);
    return [...parts, ...(extra ? [extra] : [])].join(", ");
  };
  const refuse = (res: Response, status: 401 | 403, code: string, message: string) => {
    const extra =
      code === "insufficient_scope"
        ? `error="insufficient_scope", scope="${config.OAUTH_SCOPE}"`
        : code
          ? `error="${code}"`
          : "";
    res.setHeader("WWW-Authenticate", challenge(extra));
    res.status(status).json(jsonRpcError(-32001, message));
  };

  const middleware: RequestHandler = async (req: Request, res: Response, next) => {
    if (!enabled) {
      res.locals.principal = ANONYMOUS;
      return next();
    }
    const header = req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      const message = header
        ? "Authorization must be 'Bearer <token>'."
        : "Authentication required: send 'Authorization: Bearer <token>'.";
      return refuse(res, 401, header ? "invalid_request" : "", message);
    }
    try {
      for (const authenticator of authenticators) {
        const principal = await authenticator.authenticate(match[1]!);
        if (principal) {
          res.locals.principal = principal;
          return next();
        }
      }
      refuse(res, 401, "invalid_token", "Invalid access token.");
    } catch (err) {
      if (err instanceof AuthError) return refuse(res, err.status, err.code, err.message);
      next(err);
    }
  };
  return { enabled, middleware, ...(metadata ? { metadata } : {}) };
}
