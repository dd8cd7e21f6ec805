/**
 * Bearer authentication for /mcp, and the OAuth Protected Resource Metadata (RFC 9728)
 * that tells clients where to get a token. Without authenticators every caller is the
 * anonymous agent. Failures answer 401 (missing or bad token) or 403 (insufficient
 * scope) with a WWW-Authenticate header pointing at the metadata, and a JSON-RPC body.
 */
import type { Request, RequestHandler, Response } from "express";
import { authConfigured, publicUrl, type Config } from "../config.js";
import { OAuthAuthenticator } from "../auth/oauth.js";
import {
  ANONYMOUS,
  AuthError,
  VerifierUnavailableError,
  type Authenticator,
  type Principal,
} from "../auth/principal.js";
import { StaticTokenAuthenticator } from "../auth/staticTokens.js";
import type { Logger } from "../logger.js";
import { jsonRpcError, tooManyRequests } from "./errors.js";

export type AuthConfig = Pick<
  Config,
  | "AUTH_TOKENS_FILE"
  | "OAUTH_ISSUER"
  | "OAUTH_JWKS_URL"
  | "OAUTH_AUDIENCE"
  | "OAUTH_SCOPE"
  | "OAUTH_USER_CLAIM"
  | "OAUTH_AGENT_SCOPE"
  | "PUBLIC_URL"
  | "HOST"
  | "PORT"
>;

export const METADATA_PATH = "/.well-known/oauth-protected-resource";

/**
 * Throttles failed authentication per client address: `check` is asked only after a
 * token failed (so a valid token is never refused by it, whatever its neighbours on the
 * same address send) and answers the seconds to wait, or 0 after charging the failure.
 */
export interface FailureThrottle {
  check(req: Request): number;
}

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

/**
 * `throttle`, when given, answers failed tokens (the 401s) from one address past its
 * limit with 429; it is never consulted for a request whose token is good.
 */
export function createAuth(config: AuthConfig, throttle?: FailureThrottle, logger?: Logger): Auth {
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
        agentScope: config.OAUTH_AGENT_SCOPE,
      }),
    );
    metadata = {
      resource,
      authorization_servers: [config.OAUTH_ISSUER],
      scopes_supported: [config.OAUTH_SCOPE, config.OAUTH_AGENT_SCOPE],
      bearer_methods_supported: ["header"],
      resource_name: "Support ticket search (MCP)",
    };
  }
  const enabled = authConfigured(config);
  // Said once when token checks start failing for want of keys, once when they work again.
  let verifierDown = false;
  const verifierOutage = {
    failed(err: Error) {
      if (verifierDown) return;
      verifierDown = true;
      logger?.warn(
        { reason: err.message },
        "cannot verify OAuth tokens: answering 503 until the identity provider's keys are back",
      );
    },
    succeeded() {
      if (!verifierDown) return;
      verifierDown = false;
      logger?.info("OAuth token verification works again");
    },
  };
  const challenge = (extra: string) => {
    const parts = ['Bearer realm="mcp-tickets"'];
    if (metadata) parts.push(`resource_metadata="${base}${METADATA_PATH}/mcp"`);
    return [...parts, ...(extra ? [extra] : [])].join(", ");
  };
  const refuse = (res: Response, status: 401 | 403, message: string, error?: AuthError) => {
    const extra = error
      ? [
          `error="${error.code}"`,
          ...(error.scope ? [`scope="${error.scope}"`] : []),
          `error_description="${message.replace(/["\\]/g, "'")}"`,
        ].join(", ")
      : "";
    res.setHeader("WWW-Authenticate", challenge(extra));
    res.status(status).json(jsonRpcError(-32001, message));
  };
  /** A missing or bad token: 401, or 429 once this address has failed too often. */
  const unauthenticated = (req: Request, res: Response, message: string, error?: AuthError) => {
    const wait = throttle?.check(req) ?? 0;
    if (wait > 0)
      return tooManyRequests(res, wait, "Too many requests with a missing or invalid token");
    refuse(res, 401, message, error);
  };

  const middleware: RequestHandler = async (req: Request, res: Response, next) => {
    if (!enabled) {
      res.locals.principal = ANONYMOUS;
      return next();
    }
    const header = req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      if (!header) {
        return unauthenticated(
          req,
          res,
          "Authentication required: send 'Authorization: Bearer <token>'.",
        );
      }
      const message = "Authorization must be 'Bearer <token>'.";
      return unauthenticated(req, res, message, new AuthError(401, "invalid_request", message));
    }
    try {
      for (const authenticator of authenticators) {
        const principal = await authenticator.authenticate(match[1]!);
        if (principal) {
          verifierOutage.succeeded();
          res.locals.principal = principal;
          return next();
        }
      }
      const message = "Invalid access token.";
      unauthenticated(req, res, message, new AuthError(401, "invalid_token", message));
    } catch (err) {
      if (err instanceof VerifierUnavailableError) {
        verifierOutage.failed(err);
        res.setHeader("Retry-After", "10");
        res
          .status(503)
          .json(jsonRpcError(-32001, "Cannot verify access tokens right now; retry shortly."));
        return;
      }
      if (!(err instanceof AuthError)) return next(err);
      if (err.status === 401) return unauthenticated(req, res, err.message, err);
      refuse(res, err.status, err.message, err);
    }
  };
  return { enabled, middleware, ...(metadata ? { metadata } : {}) };
}
