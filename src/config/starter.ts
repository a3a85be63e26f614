/**
 * The configuration file the App proposes in its onboarding pull request: the example
 * (examples/orkestra.yml, kept equal to `EXAMPLE_CONFIG` by a test) with every setting commented
 * out, so merging it turns Orkestra on with its defaults and shows what can be changed.
 */

/** examples/orkestra.yml, word for word. */
export const EXAMPLE_CONFIG = `# yaml-language-server: $schema=https://raw.githubusercontent.com/orkestra/orkestra/v1/schema/orkestra.schema.json
# .github/orkestra.yml — every key is optional; these are examples, not the defaults.

tasks:
  # all | label | form: which new issues become tasks
  from: all
  types: [technical, code-review, content, research, design]
  defaultType: technical
  defaultPriority: medium
  maxDependencies: 20

labels:
  task: { name: "orkestra:task", color: "5319e7" }
  prefixes: { status: "status:", priority: "priority:", type: "type:", agent: "agent:" }
  status:
    blocked: { color: "b60205", description: "Waiting for dependencies" }
  priority:
    critical: { name: "priority:P0" }
  type:
    design: { color: "f9d0c4", description: "Design work" }

commands:
  disabled: []
  permissions:
    priority: write

# full | supervised | manual: how far agents go on their own (docs/autonomy.md); \`/autonomy\` sets it per task
autonomy: supervised

# \`/plan\` on an epic (docs/planning.md)
planning:
  planners: [claude, gemini, chatgpt]
  maxRounds: 3
  # unanimous | supermajority | majority: what a plan keeps when the planners still differ after the last round
  method: majority
  maxItems: 12
  maxCostUsd: 1

maintainers: ["@octocat", "@octo-org/maintainers"]
`;

const HEADER = [
  "# Orkestra's configuration. With this file on the default branch, Orkestra is on in this repository;",
  "# deleting it turns Orkestra off again. Every key is optional: as proposed (all commented out),",
  "# Orkestra runs with its defaults. Uncomment and edit what you want to change; the keys and their",
  "# defaults are in Orkestra's docs (docs/tasks.md, docs/agents.md, docs/review.md, …).",
];

/** The commented starter `.github/orkestra.yml`; it parses to the defaults. */
export function starterConfig(): string {
  const [schemaLine, ...rest] = EXAMPLE_CONFIG.replace(/\n$/, "").split("\n");
  // The example's own title line gives way to the header; top-level comments and blank lines stay, every other line becomes a comment.
  const body = rest.filter((line) => !line.startsWith("# .github/orkestra.yml")).map((line) => (line === "" || line.startsWith("#") ? line : `# ${line}`));
  return [schemaLine, ...HEADER, ...body, ""].join("\n");
}
