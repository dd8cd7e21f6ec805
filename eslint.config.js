// Lint rules: the recommended TypeScript set, type-aware where it catches real bugs
// (floating promises lose errors; misused promises hide them in callbacks).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "coverage/", "bench/results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's test()/describe() return promises the runner awaits itself.
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          allowForKnownSafeCalls: [
            { from: "package", name: ["test", "describe", "it", "suite"], package: "node:test" },
          ],
        },
      ],
      "@typescript-eslint/no-misused-promises": [
        "error",
        { checksVoidReturn: { arguments: false } },
      ],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
    },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
  {
    // Server code logs through pino; console output would corrupt stdio transport.
    files: ["server/src/**/*.ts"],
    ignores: ["server/src/cli/**"],
    rules: { "no-console": "error" },
  },
  {
    // Every server in the repo is on MCP SDK v2 (both protocol eras from one factory);
    // v1 (@modelcontextprotocol/sdk) stays for clients: LangChain's adapters use it.
    files: [
      "server/src/**/*.ts",
      "examples/weather-server/**/*.ts",
      "examples/local-tools/**/*.ts",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@modelcontextprotocol/sdk", "@modelcontextprotocol/sdk/*"],
              message:
                "Servers use the v2 packages (@modelcontextprotocol/server, core, node, express).",
            },
          ],
        },
      ],
    },
  },
);
