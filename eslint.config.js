import js from "@eslint/js";
import boundaries from "eslint-plugin-boundaries";
import tseslint from "typescript-eslint";

/**
 * The layers of src/, bottom first, and what each may import (besides itself). An import that
 * points up is a lint error; tools/ (sandbox, demo, scripted agents) may use the product, never
 * the other way round. See docs/architecture.md.
 */
const LAYERS = {
  domain: [],
  config: ["domain"],
  shared: ["domain"],
  github: ["domain", "config", "shared"],
  agents: ["domain", "config", "shared"],
  runtime: ["domain", "config", "shared", "github", "agents"],
  handlers: ["domain", "config", "shared", "github", "agents", "runtime"],
  doors: ["domain", "config", "shared", "github", "agents", "runtime", "handlers"],
  tools: ["domain", "config", "shared", "github", "agents", "runtime", "handlers", "doors"],
};

const ELEMENTS = [
  { type: "domain", pattern: "src/domain/**", partialMatch: false },
  { type: "config", pattern: "src/config/**", partialMatch: false },
  { type: "shared", pattern: "src/shared/**", partialMatch: false },
  { type: "github", pattern: "src/github/**", partialMatch: false },
  { type: "agents", pattern: "src/agents/**", partialMatch: false },
  { type: "runtime", pattern: "src/runtime/**", partialMatch: false },
  { type: "handlers", pattern: "src/handlers/**", partialMatch: false },
  { type: "doors", pattern: ["src/app/**", "src/action/**", "src/cli/**"], partialMatch: false },
  { type: "tools", pattern: "tools/**", partialMatch: false },
];

/** Layers point down; tools/ stays out of the product. */
const LAYERING = {
  files: ["src/**/*.ts", "tools/**/*.ts"],
  plugins: { boundaries },
  settings: {
    "import/resolver": { typescript: { project: "./tsconfig.json" } },
    "boundaries/elements": ELEMENTS,
  },
  rules: {
    "boundaries/dependencies": [
      "error",
      {
        default: "disallow",
        policies: [
          // Packages are not layers; the domain's purity rules below govern what it may use.
          { allow: { to: { module: { origin: "external" } } } },
          { allow: { to: { module: { origin: "core" } } } },
          ...Object.entries(LAYERS).map(([from, below]) => ({
            from: { element: { type: from } },
            allow: { to: { element: { types: { anyOf: [from, ...below] } } } },
          })),
        ],
      },
    ],
  },
};

/** The domain is pure: no I/O, no environment, no real clock (time comes in as a `Clock`). */
const PURE_DOMAIN = {
  files: ["src/domain/**"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          { regex: "^(node:)?(fs|fs/promises|child_process|net|http|https|os|path|process|worker_threads|dns|readline)$", message: "The domain does no I/O: read and write in handlers, through the ports." },
          { regex: "^@(octokit|actions|anthropic-ai|google)/|^(openai|probot)$", message: "The domain talks to no service: use a port from src/github or src/agents in a handler." },
        ],
      },
    ],
    "no-restricted-globals": [
      "error",
      { name: "process", message: "The domain reads no environment: take what it needs as an argument." },
      { name: "fetch", message: "The domain does no I/O." },
      { name: "setTimeout", message: "The domain does not wait: time comes in as a Clock." },
    ],
    "no-restricted-properties": ["error", { object: "Date", property: "now", message: "The domain reads time from an injected Clock." }],
    "no-restricted-syntax": [
      "error",
      { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "The domain reads time from an injected Clock." },
    ],
  },
};

/** The architecture's rules on their own, for tests that show them failing. */
export const architecture = [LAYERING, PURE_DOMAIN];

export default tseslint.config(
  { ignores: ["dist/**", "lib/**", "node_modules/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/require-await": "off",
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  LAYERING,
  PURE_DOMAIN,
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ["tests/**", "bench/**", "scripts/**", "tools/**"],
    rules: {
      "no-console": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
);
