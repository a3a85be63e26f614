/**
 * `orkestra doctor`: is this repository ready for Orkestra? Each check is one line, ✓ or ✗ with
 * the fix. Write permissions are probed without writing: each probe is a request GitHub checks
 * for permission before it looks at the body, with a body it must refuse — so a permitted token
 * gets 422 (invalid) and one without the permission 403, and nothing is ever created.
 */
import type { Command } from "commander";
import { resolveAgentSpecs } from "../../agents/index.js";
import { parseConfig } from "../../config/load.js";
import { CONFIG_PATH, defaultConfig, type Config } from "../../config/schema.js";
import { LabelScheme } from "../../domain/task/labels.js";
import { neededPermission } from "../../github/needed-permission.js";
import { asGitHubError, ConnectError, repoFacts, statusOf, type Connection, type RepoFacts } from "../connect.js";
import type { DoctorCheck } from "../json.js";
import type { Output } from "../output.js";
import { EXIT, withRepoOptions, type CommandDeps, type CommonFlags } from "../program.js";

/** A sha no object has: a probe that reaches the body is refused for it. */
const NO_SHA = "0000000000000000000000000000000000000000";
/** A name git forbids (`..`), so no branch or ref of this name can exist or be made. */
const NO_REF = "orkestra-doctor..probe";

interface Probe {
  /** The permission, as GitHub names it. */
  scope: "issues" | "pull_requests" | "contents" | "checks" | "actions";
  /** What Orkestra needs it for. */
  why: string;
  method: "POST";
  path: string;
  body: Record<string, unknown>;
}

function probes(connection: Connection, workflow: string | null): Probe[] {
  const base = `/repos/${connection.repo.owner}/${connection.repo.repo}`;
  const list: Probe[] = [
    // A label needs a name: 422 when permitted.
    { scope: "issues", why: "labels, task cards, replies, votes", method: "POST", path: `${base}/labels`, body: { name: "" } },
    // A pull request needs a title and real branches.
    { scope: "pull_requests", why: "agents' pull requests and reviews", method: "POST", path: `${base}/pulls`, body: { title: "", head: NO_REF, base: NO_REF } },
    // A ref needs a valid name and an existing object.
    { scope: "contents", why: "lock, usage and ledger refs, agents' branches", method: "POST", path: `${base}/git/refs`, body: { ref: `refs/orkestra/${NO_REF}`, sha: NO_SHA } },
    // A check run needs a commit that exists.
    { scope: "checks", why: "the orkestra/review check run", method: "POST", path: `${base}/check-runs`, body: { name: "orkestra/doctor", head_sha: NO_SHA } },
  ];
  // A dispatch needs a ref that exists (this name cannot).
  if (workflow) {
    list.push({
      scope: "actions",
      why: "dispatching the worker workflow for CLI agents",
      method: "POST",
      path: `${base}/actions/workflows/${encodeURIComponent(workflow)}/dispatches`,
      body: { ref: NO_REF },
    });
  }
  return list;
}

export function registerDoctor(program: Command, deps: CommandDeps): void {
  withRepoOptions(
    program.command("doctor").description("check the token, its permissions, the configuration, labels, workflows, keys and rate limit"),
  ).action(async (flags: CommonFlags) => {
    const out = deps.output(flags);
    const connection = await deps.connect(flags);
    const checks: DoctorCheck[] = [];
    const login = await checkToken(connection, checks);
    const facts = await checkRepository(connection, checks);
    if (facts) {
      const config = await checkConfig(connection, checks);
      const workflow = await checkWorkflows(connection, checks);
      await checkPermissions(connection, workflow, checks);
      await checkLabels(connection, config ?? defaultConfig(), checks);
      checkKeys(config ?? defaultConfig(), deps.io.env, checks);
    }
    await checkRateLimit(connection, checks);
    const ok = checks.every((check) => check.status !== "fail");
    const { owner, repo } = connection.repo;
    out.document({ repo: `${owner}/${repo}`, login, ok, checks });
    printChecks(out, `${owner}/${repo}`, checks);
    if (!ok) deps.exit(EXIT.failed);
  });
}

function printChecks(out: Output, repo: string, checks: DoctorCheck[]): void {
  const { color } = out;
  const marks = { ok: color.green("✓"), fail: color.red("✗"), warn: color.yellow("!"), skip: color.dim("-") };
  out.heading(`Orkestra doctor: ${repo}`);
  for (const check of checks) {
    out.line(`${marks[check.status]} ${check.summary}`);
    if (check.fix && check.status !== "ok") out.line(color.dim(`    → ${check.fix}`));
  }
  const failed = checks.filter((check) => check.status === "fail").length;
  out.line();
  out.line(failed === 0 ? color.green("All checks passed.") : color.red(`${failed} check${failed === 1 ? "" : "s"} failed.`));
}

/** The token and who it writes as (GraphQL `viewer`, which answers installation tokens too). */
async function checkToken(connection: Connection, checks: DoctorCheck[]): Promise<string | null> {
  try {
    const answer = await connection.octokit.graphql<{ viewer: { login: string } }>("query { viewer { login } }");
    checks.push({ id: "token", status: "ok", summary: `token from ${connection.tokenSource}: writes as @${answer.viewer.login}` });
    return answer.viewer.login;
  } catch (error) {
    if (statusOf(error) === 401) {
      throw new ConnectError(`GitHub refused the token from ${connection.tokenSource} (401 Bad credentials): set GITHUB_TOKEN or GH_TOKEN to a valid token, or run \`gh auth login\``);
    }
    checks.push({
      id: "token",
      status: "warn",
      summary: `token from ${connection.tokenSource}: could not learn who it writes as (${asGitHubError(error, "POST /graphql").message})`,
      fix: "Orkestra then takes any bot's marker comment for its own; pass the bot's login as --bot to read strictly",
    });
    return null;
  }
}

async function checkRepository(connection: Connection, checks: DoctorCheck[]): Promise<RepoFacts | null> {
  const { owner, repo } = connection.repo;
  try {
    const facts = await repoFacts(connection);
    checks.push({ id: "repository", status: "ok", summary: `repository ${facts.fullName} is readable (${facts.private ? "private" : "public"}, default branch ${facts.defaultBranch})` });
    return facts;
  } catch (error) {
    if (statusOf(error) === 401) throw error;
    const status = statusOf(error);
    checks.push({
      id: "repository",
      status: "fail",
      summary: `repository ${owner}/${repo} is not readable${status ? ` (${status})` : ""}`,
      fix: status === 404 ? `check --repo (found from ${connection.repoSource}) and that the token may read it (metadata: read, contents: read)` : asGitHubError(error, `GET /repos/${owner}/${repo}`).message,
    });
    return null;
  }
}

async function checkPermissions(connection: Connection, workflow: string | null, checks: DoctorCheck[]): Promise<void> {
  for (const probe of probes(connection, workflow)) {
    const check = await runProbe(connection, probe);
    checks.push(check);
    // The refs Orkestra keeps its locks, usage and ledger in need the same permission as the probe.
    if (probe.scope === "contents") {
      checks.push(
        check.status === "ok"
          ? { id: "refs", status: "ok", summary: "refs under refs/orkestra/ are writable (locks, usage record, ledger)" }
          : { id: "refs", status: check.status, summary: "refs under refs/orkestra/ may not be writable (locks, usage record, ledger)", ...(check.fix ? { fix: check.fix } : {}) },
      );
    }
  }
  if (!workflow) {
    checks.push({
      id: "permission:actions",
      status: "skip",
      summary: "actions: write not checked (no Orkestra workflow to probe a dispatch on)",
      fix: "needed only for CLI agents: grant `actions: write` with the worker workflow",
    });
  }
}

async function runProbe(connection: Connection, probe: Probe): Promise<DoctorCheck> {
  const id = `permission:${probe.scope}`;
  const need = `${probe.scope}: write`;
  try {
    await connection.octokit.request(`${probe.method} ${probe.path}`, probe.body);
    // Should never happen: every probe's body is one GitHub must refuse.
    return { id, status: "warn", summary: `${need}: GitHub accepted the probe of ${probe.method} ${probe.path}`, fix: "please report this: the probe should have been refused" };
  } catch (error) {
    const status = statusOf(error);
    if (status === 401) throw error;
    if (status === 422 || status === 400 || status === 409) return { id, status: "ok", summary: `${need} (${probe.why})` };
    if (status === 403) {
      const response = (error as { response?: { headers?: Record<string, string | undefined>; data?: { message?: unknown } } }).response;
      const named = neededPermission(probe.method, probe.path, response?.headers?.["x-accepted-github-permissions"]) ?? need;
      const message = typeof response?.data?.message === "string" ? response.data.message : "";
      const person = /push access|admin rights/i.test(message);
      return {
        id,
        status: "fail",
        summary: `needs \`${named}\` (${probe.why}): GitHub answered 403${message ? ` "${message}"` : ""}`,
        fix: person
          ? "the token's user needs write access to the repository (or use the Action's token or the App's)"
          : `add \`${workflowKey(named)}\` to the workflow's \`permissions:\` or grant \`${named}\` in the App's settings`,
      };
    }
    return { id, status: "warn", summary: `${need}: could not tell (${asGitHubError(error, `${probe.method} ${probe.path}`).message})` };
  }
}

/** The workflow's `permissions:` spelling: `pull-requests: write`. */
function workflowKey(permission: string): string {
  return permission.replace(/^pull_requests:/, "pull-requests:");
}

async function checkConfig(connection: Connection, checks: DoctorCheck[]): Promise<Config | null> {
  let text: string | null;
  try {
    text = await connection.github.getFile(CONFIG_PATH);
  } catch (error) {
    if (statusOf(error) === 401) throw error;
    checks.push({ id: "config", status: "fail", summary: `${CONFIG_PATH} could not be read: ${error instanceof Error ? error.message : String(error)}`, fix: "grant `contents: read`" });
    return null;
  }
  const result = parseConfig(text);
  if (result.ok) {
    checks.push({ id: "config", status: "ok", summary: result.source === "defaults" ? `no ${CONFIG_PATH}: the defaults apply` : `${CONFIG_PATH} is valid` });
    return result.config;
  }
  const lines = result.errors.map((error) => `${error.line ? `line ${error.line}: ` : ""}${error.path ? `${error.path}: ` : ""}${error.message}`);
  checks.push({
    id: "config",
    status: "fail",
    summary: `${CONFIG_PATH} is invalid: ${lines.join("; ")}`,
    fix: `fix the file (check a local copy with \`orkestra validate ${CONFIG_PATH}\`); Orkestra does nothing until it is valid`,
  });
  return null;
}

/** Labels Orkestra uses; missing ones are created on first use, so this is only a note. */
async function checkLabels(connection: Connection, config: Config, checks: DoctorCheck[]): Promise<void> {
  const scheme = new LabelScheme(config.labels, config.tasks.types);
  const wanted = [
    scheme.task.name,
    ...(["pending", "assigned", "in-progress", "review", "blocked", "done", "failed", "cancelled"] as const).map((status) => scheme.status(status).name),
    ...(["low", "medium", "high", "critical"] as const).map((priority) => scheme.priority(priority).name),
    ...config.tasks.types.flatMap((type) => scheme.type(type)?.name ?? []),
    scheme.escalated.name,
    config.voting.openLabel,
    config.planning.label,
  ];
  try {
    const { owner, repo } = connection.repo;
    const labels = await connection.octokit.paginate(connection.octokit.rest.issues.listLabelsForRepo, { owner, repo, per_page: 100 });
    const have = new Set(labels.map((label) => label.name.toLowerCase()));
    const missing = wanted.filter((name) => !have.has(name.toLowerCase()));
    checks.push(
      missing.length === 0
        ? { id: "labels", status: "ok", summary: `all ${wanted.length} of Orkestra's labels exist` }
        : {
            id: "labels",
            status: "warn",
            summary: `${missing.length} of Orkestra's ${wanted.length} labels do not exist yet: ${missing.join(", ")}`,
            fix: "nothing to do: Orkestra creates each label, with its colour, the first time it uses it",
          },
    );
  } catch (error) {
    if (statusOf(error) === 401) throw error;
    checks.push({ id: "labels", status: "warn", summary: `labels could not be listed: ${asGitHubError(error, "GET labels").message}` });
  }
}

/** Workflows that use the Orkestra action, and whether one runs on a schedule; the one to probe a dispatch on. */
async function checkWorkflows(connection: Connection, checks: DoctorCheck[]): Promise<string | null> {
  const { owner, repo } = connection.repo;
  const example = "copy examples/workflows/orkestra.yml from Orkestra into .github/workflows/ (not needed when the Orkestra app is installed)";
  let files: string[];
  try {
    const { data } = await connection.octokit.rest.repos.getContent({ owner, repo, path: ".github/workflows" });
    files = (Array.isArray(data) ? data : []).filter((entry) => entry.type === "file" && /\.ya?ml$/i.test(entry.name)).map((entry) => entry.path);
  } catch (error) {
    const status = statusOf(error);
    if (status === 401) throw error;
    if (status !== 404) {
      checks.push({ id: "workflows", status: "warn", summary: `workflows could not be listed: ${asGitHubError(error, "GET .github/workflows").message}` });
      return null;
    }
    files = [];
  }
  const using: { path: string; text: string }[] = [];
  for (const path of files) {
    const text = await connection.github.getFile(path);
    if (text !== null && /^\s*-?\s*uses:\s*["']?[^\s"'#]*orkestra[^\s"'#]*@/im.test(text)) using.push({ path, text });
  }
  if (using.length === 0) {
    checks.push({ id: "workflows", status: "fail", summary: "no workflow in .github/workflows uses the Orkestra action", fix: example });
    checks.push({ id: "schedule", status: "skip", summary: "no scheduled sweep (no Orkestra workflow)" });
    return null;
  }
  checks.push({ id: "workflows", status: "ok", summary: `workflows using Orkestra: ${using.map((file) => file.path).join(", ")}` });
  const scheduled = using.find((file) => /^\s*schedule\s*:/m.test(file.text));
  checks.push(
    scheduled
      ? { id: "schedule", status: "ok", summary: `${scheduled.path} runs the sweep on a schedule` }
      : {
          id: "schedule",
          status: "fail",
          summary: "no Orkestra workflow has a `schedule:` trigger: nothing sweeps (assigns ready tasks, closes due votes, heals)",
          fix: 'add `schedule:\\n    - cron: "23,53 * * * *"` under `on:` (every 30 minutes, off the hour; see docs/workflows.md)',
        },
  );
  // The worker workflow is the one Orkestra dispatches; any Orkestra workflow shows the permission.
  const worker = using.find((file) => /worker/i.test(file.path) && /workflow_dispatch/.test(file.text)) ?? using.find((file) => /workflow_dispatch/.test(file.text));
  return (worker ?? using[0])!.path.split("/").pop()!;
}

function checkKeys(config: Config, env: Record<string, string | undefined>, checks: DoctorCheck[]): void {
  const enabled = resolveAgentSpecs(config.agents).filter((spec) => spec.enabled && spec.keyEnv.length > 0);
  const missing = enabled.filter((spec) => !spec.keyEnv.some((name) => env[name]));
  if (enabled.length === 0) {
    checks.push({ id: "keys", status: "ok", summary: "no enabled agent needs a key" });
  } else if (missing.length === 0) {
    checks.push({ id: "keys", status: "ok", summary: `keys for every enabled agent are in this environment (${enabled.map((spec) => spec.name).join(", ")})` });
  } else {
    checks.push({
      id: "keys",
      status: "warn",
      summary: `no key in this environment for ${missing.map((spec) => `${spec.name} (${spec.keyEnv.join(" or ")})`).join(", ")}`,
      fix: "the Action reads keys from the repository's secrets (its `*-api-key` inputs), not from here: check they are set there",
    });
  }
}

async function checkRateLimit(connection: Connection, checks: DoctorCheck[]): Promise<void> {
  let limit: { remaining: number; limit: number; reset: string } | null = null;
  try {
    const { data } = await connection.octokit.rest.rateLimit.get();
    limit = { remaining: data.resources.core.remaining, limit: data.resources.core.limit, reset: new Date(data.resources.core.reset * 1000).toISOString() };
  } catch (error) {
    if (statusOf(error) === 401) throw error;
    const seen = connection.github.rateLimit();
    if (seen) limit = { remaining: seen.remaining, limit: seen.limit, reset: seen.resetAt };
  }
  if (!limit) {
    checks.push({ id: "rate-limit", status: "skip", summary: "rate limit: GitHub did not say" });
    return;
  }
  const summary = `rate limit: ${limit.remaining} of ${limit.limit} requests left this hour (resets ${limit.reset})`;
  if (limit.remaining === 0) checks.push({ id: "rate-limit", status: "fail", summary, fix: `wait until ${limit.reset}` });
  else if (limit.remaining < Math.min(100, limit.limit / 10)) checks.push({ id: "rate-limit", status: "warn", summary, fix: "sweeps will read fewer pages until it resets" });
  else checks.push({ id: "rate-limit", status: "ok", summary });
}
