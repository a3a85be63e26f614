/**
 * `npm run demo`: a local GitHub (the sandbox), the real Probot app behind its HTTP server
 * receiving signed webhooks, and AI agents — offline scripted ones when no API key is set —
 * playing a short story that shows what Orkestra does and why. Nothing leaves this machine
 * unless real provider keys are in the environment.
 */
import { generateKeyPairSync } from "node:crypto";
import { KEY_ENV } from "../../src/agents/index.js";
import { fixedClock } from "../fixed-clock.js";
import { parseCard } from "../../src/domain/task/card.js";
import { DASHBOARD_TITLE } from "../../src/domain/dashboard/render.js";
import { runCli } from "../../src/cli/program.js";
import { startSandbox, type Sandbox } from "../sandbox/index.js";
import { startProbotServer } from "./probot-server.js";
import { Transcript } from "./transcript.js";
import { scriptedProvider } from "../scripted/index.js";
import { scriptedToolsProvider } from "../scripted/tools.js";

const MINUTE = 60_000;

const CLIENT_TS = `export interface Client {
  get(path: string): Promise<unknown>;
}

export function createClient(baseUrl: string, token: string): Client {
  return {
    async get(path) {
      const response = await fetch(new URL(path, baseUrl), { headers: { authorization: \`Bearer \${token}\` } });
      if (!response.ok) throw new Error(\`GET \${path}: \${response.status}\`);
      return response.json();
    },
  };
}
`;
const SECRET = "orkestra-demo";

const CONFIG = `
maintainers: ["@mona"]
agents:
  claude: { specialties: [research, code-review] }
  chatgpt: { specialties: [technical] }
  gemini: { specialties: [content] }
  grok: { specialties: [technical] }
  copilot: { specialties: [code-review] }
assignment:
  leaseMinutes: 120
  backoffMinutes: 30
execution:
  enabled: true
`;

export interface DemoResult {
  lines: string[];
  sandbox: Sandbox;
}

export async function runDemo(options: { env?: NodeJS.ProcessEnv; write?: (line: string) => void } = {}): Promise<DemoResult> {
  const env = options.env ?? process.env;
  const realKeys = Object.values(KEY_ENV).flat().filter((name) => env[name]);
  const clock = fixedClock("2026-11-21T09:00:00Z");
  const sandbox = await startSandbox({
    clock,
    collaborators: { alice: "write", mona: "maintain" },
    files: { ".github/orkestra.yml": CONFIG, "README.md": "# Acme\n\nThe Acme service.\n", "src/client.ts": CLIENT_TS },
  });
  const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const server = await startProbotServer({
    baseUrl: `${sandbox.url}/api/v3`,
    appId: sandbox.app.id,
    privateKey,
    webhookSecret: SECRET,
    clock,
    env,
    agentOptions: realKeys.length > 0 ? {} : { offline: true, scripted: scriptedProvider(), scriptedTools: scriptedToolsProvider() },
  });
  const stopDeliveries = sandbox.deliverWebhooks({ url: server.webhookUrl, secret: SECRET });
  const t = new Transcript(sandbox, options.write);
  try {
    t.say("🎼 Orkestra — offline demo");
    t.say(`   local GitHub: ${sandbox.url} (repository ${sandbox.owner}/${sandbox.repo})`);
    t.say(`   Probot app:   ${server.webhookUrl} (signed webhooks)`);
    t.say(
      realKeys.length > 0
        ? `   agents:       real, for the keys found in the environment (${realKeys.join(", ")})`
        : "   agents:       claude, chatgpt, gemini, grok, copilot — scripted offline (no API keys set); what they write says [scripted]",
    );
    await play(sandbox, t, clock, () => server.app.sweepAll());
    printBoard(sandbox, t);
    return { lines: t.lines, sandbox };
  } finally {
    stopDeliveries();
    await server.stop();
    await sandbox.close();
  }
}

async function play(sandbox: Sandbox, t: Transcript, clock: ReturnType<typeof fixedClock>, sweep: () => Promise<unknown>): Promise<void> {
  const settle = async () => {
    await sandbox.settled();
    t.orkestra();
    clock.advance(5 * MINUTE);
  };
  const alice = sandbox.as("alice");

  t.step("1. alice opens four issues; they become tasks");
  const api = alice.openIssue({ title: "Design the public API", body: "### Description\n\nREST or GraphQL?\n\n### Type\n\nresearch\n\n### Priority\n\nhigh" });
  t.person("alice", `opened #${api.number} “${api.title}” from the task form (research, high)`);
  const client = alice.openIssue({
    title: "Add retries to the client",
    body: `The client should retry failed GETs.\n\n## Acceptance criteria\n\n- [ ] retries a failed GET\n\nDepends on #${api.number}.`,
  });
  t.person("alice", `opened #${client.number} “${client.title}” — “Depends on #${api.number}.”`);
  const release = alice.openIssue({ title: "Document the client in the README", body: `Depends on #${client.number}.` });
  t.person("alice", `opened #${release.number} “${release.title}” — “Depends on #${client.number}.”`);
  const guide = alice.openIssue({ title: "Write the user guide", body: "### Type\n\ncontent\n\n### Priority\n\nmedium" });
  t.person("alice", `opened #${guide.number} “${guide.title}” (content)`);
  await settle();

  t.step("2. bob, who has no write access, tries to close a task");
  sandbox.as("bob").comment(api.number, "/status done");
  t.person("bob", `commented “/status done” on #${api.number}`);
  await settle();

  t.step("3. a decision goes to a vote of three agents (ranked choice)");
  alice.comment(
    api.number,
    "/propose Which style should the public API use? method=ranked voters=claude,chatgpt,gemini deadline=24h\n- REST\n- GraphQL\n- gRPC",
  );
  t.person("alice", `proposed a ranked vote on #${api.number}: REST, GraphQL or gRPC — voters claude, chatgpt, gemini`);
  await settle();
  sandbox.as("mona").comment(api.number, "/close-vote");
  t.person("mona", `closed the vote on #${api.number}`);
  await settle();

  t.step("4. alice asks for the best agent: it researches and posts its result");
  alice.comment(api.number, "/assign");
  t.person("alice", `commented “/assign” on #${api.number}`);
  await settle();

  t.step("5. the scheduled sweep assigns the ready tasks, and the agents go to work");
  t.person("(timer)", "the app's sweep runs");
  await sweep();
  await settle();

  const agentPull = sandbox.state.pulls().find((pull) => pull.body?.includes(`Closes #${client.number}`));
  if (agentPull) {
    t.step("6. mona reads the agents' review and merges the pull request: the task is done, and the task waiting on it starts");
    sandbox.as("mona").closePullRequest(agentPull.number, { merge: true });
    t.person("mona", `merged #${agentPull.number} “${agentPull.title}”`);
    await settle();
    clock.advance(15 * MINUTE);
    t.person("(timer)", "the sweep runs again");
    await sweep();
    await settle();
  }

  t.step("7. bob opens a pull request from a fork; a maintainer asks the agents for a review");
  const pr = sandbox.as("bob").openPullRequest({
    title: "Add a User-Agent header",
    body: "A small fix.",
    head: "bob/user-agent",
    fromFork: true,
    files: [
      { path: "src/client.ts", after: CLIENT_TS.replace("authorization:", `"user-agent": "acme", authorization:`) },
      { path: "package-lock.json", after: '{ "lockfileVersion": 3 }\n' },
    ],
  });
  t.person("bob", `opened pull request #${pr.number} “${pr.title}” from a fork`);
  await settle();
  sandbox.as("mona").comment(pr.number, "/review");
  t.person("mona", `commented “/review” on #${pr.number}`);
  await settle();

  t.step("8. alice opens an epic; three agents plan it, she approves, and its first sub-task starts");
  const epic = alice.openIssue({
    title: "Epic: paging in the client",
    body: "The client should page through long lists.\n\n- Design the paging API\n- Implement paging in the client\n- Document paging in the README",
  });
  t.person("alice", `opened #${epic.number} “${epic.title}” listing three parts`);
  await settle();
  alice.comment(epic.number, "/plan claude chatgpt gemini");
  t.person("alice", `commented “/plan claude chatgpt gemini” on #${epic.number}`);
  await settle();
  alice.comment(epic.number, "/plan approve");
  t.person("alice", `commented “/plan approve” on #${epic.number}`);
  await settle();

  t.step("9. the board at a glance, and why things happened: the dashboard, the ledger, the command line");
  clock.advance(15 * MINUTE);
  t.person("(timer)", "the sweep runs again");
  await sweep();
  await settle();
  const dashboard = sandbox.state.issues().find((issue) => issue.title === DASHBOARD_TITLE);
  if (dashboard) {
    const counts = (dashboard.body ?? "").split("\n").find((line) => line.includes("open tasks:")) ?? "";
    t.say(`🤖 #${dashboard.number} “${dashboard.title}”, opened by the first sweep and edited when the board changes: ${counts.replace(/\*\*/g, "")}`);
  }
  const repo = `${sandbox.owner}/${sandbox.repo}`;
  for (const argv of [["status"], ["audit", "--issue", String(epic.number), "--limit", "4"]]) {
    t.person("mona", `runs \`orkestra ${argv.join(" ")}\``);
    const out: string[] = [];
    await runCli([...argv, "--repo", repo, "--api-url", sandbox.url], { stdout: (text) => out.push(text), stderr: () => {}, env: { GITHUB_TOKEN: sandbox.tokenFor("mona"), ORKESTRA_BOT_LOGIN: `${sandbox.app.slug}[bot]` }, isTTY: false }, { throttle: false, clock });
    for (const line of out.join("").trimEnd().split("\n").slice(0, 14)) t.say(`   ${line}`);
  }
}

function printBoard(sandbox: Sandbox, t: Transcript): void {
  t.step("Final board");
  t.say("| # | Task | Status | Priority | Agent |");
  t.say("|---|---|---|---|---|");
  for (const issue of sandbox.state.issues()) {
    const card = sandbox.state
      .comments(issue.number)
      .map((comment) => parseCard(comment.body))
      .find((meta) => meta !== null);
    if (!card) continue;
    t.say(`| #${issue.number} | ${issue.title} | ${card.status} | ${card.priority} | ${card.agent?.name ?? "—"} |`);
  }
  const requests = sandbox.requests.length;
  t.say("");
  t.say(`Orkestra made ${requests} GitHub requests; every one was checked against GitHub's OpenAPI description (${sandbox.violations.length} violations).`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  runDemo()
    .then(() => {
      console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
