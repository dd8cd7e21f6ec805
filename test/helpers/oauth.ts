/**
 * A stand-in OAuth authorization server for tests: a key pair made here, its JWKS served
 * on loopback, and a signer for access tokens with any claims. Real JWTs, real JWKS
 * fetching by the server under test; only the issuer is ours.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, exportJWK, generateKeyPair, type JWK } from "jose";

export interface TestIssuer {
  issuer: string;
  jwksUrl: string;
  /** A signed access token; `sub: null` leaves the subject out. */
  sign(
    claims: Record<string, unknown>,
    opts?: { aud?: string; exp?: string; iss?: string; sub?: string | null },
  ): Promise<string>;
  close(): void;
}

export async function startTestIssuer(audience: string): Promise<TestIssuer> {
  const pair = await generateKeyPair("RS256");
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const server = createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/jwks.json`,
    sign: (claims, opts = {}) => {
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setIssuer(opts.iss ?? issuer)
        .setAudience(opts.aud ?? audience)
        .setIssuedAt()
        .setExpirationTime(opts.exp ?? "5m");
      const sub = opts.sub === undefined ? "client-42" : opts.sub;
      if (sub !== null) jwt.setSubject(sub);
      return jwt.sign(pair.privateKey);
    },
    close: () => server.close(),
  };
}
