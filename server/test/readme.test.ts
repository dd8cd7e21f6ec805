/** The README is the user's door: it must describe what the code does. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { withTable } from "../../scripts/toolsTable.js";

const readme = readFileSync("README.md", "utf8");

test("the README's tool table is the one generated from the code", () => {
  assert.equal(readme, withTable(readme), "run npm run docs:tools and commit README.md");
});

test("every npm script is documented in the README", () => {
  const { scripts } = JSON.parse(readFileSync("package.json", "utf8")) as {
    scripts: Record<string, string>;
  };
  const documented = (name: string) =>
    readme.includes(name === "start" || name === "test" ? `npm ${name}` : `npm run ${name}`);
  const missing = Object.keys(scripts).filter((name) => !documented(name));
  assert.deepEqual(missing, []);
});

test("every variable in .env.example is in the README's configuration table", () => {
  const env = readFileSync(".env.example", "utf8");
  const names = [...env.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]!);
  assert.ok(names.length >= 10);
  for (const name of names)
    assert.ok(readme.includes(`\`${name}\``), `${name} missing from README`);
});
