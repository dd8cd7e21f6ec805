/**
 * `npm run token:new -- --name NAME --role agent|customer [--user-id ID]`
 *
 * Prints a new random bearer token (give it to the client, once) and the tokens-file
 * entry holding only its SHA-256 hash (paste it into the AUTH_TOKENS_FILE file).
 */
import { newToken } from "../auth/staticTokens.js";

const USAGE = `Usage: npm run token:new -- --name NAME --role agent|customer [--user-id USER_ID]

  --name     a label for logs and revocation, e.g. support-bot or acme-portal
  --role     agent (sees every ticket) or customer (sees only --user-id's tickets)
  --user-id  required for customers, e.g. user123
`;

function main(argv: string[]): number {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === "--help" || flag === "-h") {
      process.stdout.write(USAGE);
      return 0;
    }
    if (!["--name", "--role", "--user-id"].includes(flag)) {
      process.stderr.write(`Unknown option ${flag}.\n${USAGE}`);
      return 2;
    }
    const value = argv[++i];
    if (value === undefined || value.startsWith("--")) {
      process.stderr.write(`${flag} needs a value.\n`);
      return 2;
    }
    args.set(flag, value);
  }
  const name = args.get("--name");
  const role = args.get("--role");
  const userId = args.get("--user-id");
  if (!name) {
    process.stderr.write(`--name is required.\n${USAGE}`);
    return 2;
  }
  if (!/^[\w.@-]{1,64}$/.test(name)) {
    process.stderr.write(
      `--name "${name ?? ""}" must be 1-64 letters, digits, '.', '@', '_' or '-'.\n`,
    );
    return 2;
  }
  if (role !== "agent" && role !== "customer") {
    process.stderr.write(`--role "${role ?? ""}" must be agent or customer.\n`);
    return 2;
  }
  if (role === "customer" && !userId) {
    process.stderr.write("--user-id is required for --role customer.\n");
    return 2;
  }
  const { token, sha256 } = newToken();
  const entry = { name, role, ...(role === "customer" ? { user_id: userId } : {}), sha256 };
  process.stdout.write(
    `Token (give it to the client; it is not stored anywhere):\n  ${token}\n\n` +
      `Entry for the AUTH_TOKENS_FILE file's "tokens" list:\n  ${JSON.stringify(entry)}\n`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
