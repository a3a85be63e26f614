/**
 * The App's opt-in, as Renovate does it: a repository without a configuration file is not
 * onboarded. Orkestra changes nothing there except that it opens, once, a pull request adding a
 * commented starter file; merging it turns Orkestra on, closing it keeps Orkestra off. (The Action
 * needs no opt-in: adding its workflow is one, so a missing file there means the defaults.)
 *
 * Requests once the pull request exists: one listing by its branch (the configuration read that
 * found no file is the caller's). Opening it: two reads (the default branch's head and its commit)
 * and four writes (tree, commit, branch, pull request). Nothing goes to the decision ledger: a
 * repository that said no to Orkestra gets no ref of it.
 */
import { CONFIG_PATH } from "../config/schema.js";
import { configPathOf } from "./config.js";
import { starterConfig } from "../config/starter.js";
import { GitHubError } from "../github/port.js";
import { applyEffect, type ApplyOptions } from "../runtime/apply.js";
import { emptyReport, type RunReport, type Services } from "../runtime/context.js";
import type { Effect } from "../runtime/effects.js";

/** The onboarding pull request's head; not a task branch (`orkestra/<number>-…`), so no task claims it. */
export const ONBOARDING_BRANCH = "orkestra/configure";

/**
 * Whether the App leaves this repository alone: its configuration came out as the defaults (no
 * file) and there is none on the default branch either (read again only when the first read was of
 * another branch, a pull request's base).
 */
export async function awaitsOnboarding(services: Pick<Services, "onboarding" | "github" | "configPath">, source: "file" | "defaults", ref?: string): Promise<boolean> {
  if (services.onboarding !== true || source !== "defaults") return false;
  return ref === undefined || (await services.github.getFile(configPathOf(services))) === null;
}

/** What an event does in a repository that is not onboarded: nothing, said once in the report. */
export function notOnboardedNote(report: RunReport, event: string, configPath = CONFIG_PATH): void {
  report.notes.push(`not onboarded (no \`${configPath}\` on the default branch): \`${event}\` changed nothing`);
}

/** The App was installed on this repository: its onboarding pull request when it has no configuration file, nothing else. */
export async function onInstalled(services: Services): Promise<RunReport> {
  const report = emptyReport();
  const path = configPathOf(services);
  try {
    if ((await services.github.getFile(path)) === null) await ensureOnboardingPull(services, report);
    else report.notes.push(`installed on a repository with \`${path}\`: Orkestra is on; the next sweep catches up`);
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    // The door says it (the Action fails the step with it, the App logs it): once.
    report.errors.push(error.message);
  }
  return report;
}

/**
 * Opens the onboarding pull request unless one was ever opened (open, closed or merged: a
 * closed one is a "no" that stands). A branch left by an earlier attempt without its pull
 * request is reused as it is.
 */
export async function ensureOnboardingPull(services: Services, report: RunReport): Promise<void> {
  const { github } = services;
  const path = configPathOf(services);
  const [existing] = await github.pullsFromBranch(ONBOARDING_BRANCH);
  if (existing) {
    report.notes.push(onboardingState(existing, path));
    return;
  }
  const base = services.defaultBranch ?? "main";
  const why = "onboarding: the configuration file that turns Orkestra on";
  // No ledger: a repository that has not said yes gets no ref of Orkestra's.
  const options: ApplyOptions = { dryRun: services.dryRun, log: services.log, record: (line) => report.actions.push(line) };
  const write = <E extends Effect>(effect: E) => applyEffect(github, effect, options);
  const baseSha = await github.branchSha(base);
  const baseTree = (await github.commit(baseSha)).tree;
  const tree = await write({ kind: "create-tree", baseTree, changes: [{ path, content: starterConfig(), mode: "100644" }], why });
  const commit = tree === null ? null : await write({ kind: "create-commit", message: `Configure Orkestra\n\nAdds ${path}, which turns Orkestra on.`, tree, parents: [baseSha], why });
  // Already there (an earlier attempt, or another replica): that branch is the proposal.
  if (commit !== null) await write({ kind: "create-ref", ref: `heads/${ONBOARDING_BRANCH}`, sha: commit, why });
  try {
    await write({ kind: "create-pull", pull: { title: "Configure Orkestra", body: onboardingBody(path), head: ONBOARDING_BRANCH, base, draft: false }, why });
  } catch (error) {
    // Another replica opened it between the listing and here: GitHub refuses a second one.
    if (!(error instanceof GitHubError && error.status === 422 && /already exists/i.test(error.message))) throw error;
    report.notes.push(`onboarding: the pull request from \`${ONBOARDING_BRANCH}\` was opened by another run meanwhile`);
  }
}

function onboardingState(pull: { number: number; state: "open" | "closed"; merged: boolean }, path: string): string {
  if (pull.state === "open") return `onboarding: waiting for #${pull.number} (adds \`${path}\`) to be merged`;
  if (!pull.merged) return `onboarding: #${pull.number} was closed without merging; Orkestra stays off until \`${path}\` is added`;
  return `onboarding: #${pull.number} was merged but \`${path}\` is gone from the default branch; Orkestra stays off until it is back`;
}

/** What the onboarding pull request says: what merging it does, what it costs, how to say no. */
function onboardingBody(path: string): string {
  return [
    "Orkestra (a GitHub App that turns issues into tasks for AI agents, which review, vote, plan and work) was installed on this repository. It stays **off** here until this pull request is merged: until then it creates no task, no label, no comment and no review.",
    "",
    "### What merging does",
    "",
    `It adds \`${path}\` with every setting commented out, so Orkestra runs with its defaults:`,
    "",
    "- every new issue becomes a task (labels and a status card), and commands in comments (`/assign`, `/priority`, `/plan`, …) work;",
    "- every pull request is reviewed by the enabled agents;",
    "- the repository is swept on a timer: labels healed, stalled work recovered, a dashboard issue kept up to date;",
    "- agents work on assigned tasks and open pull requests; with the default autonomy (`supervised`) people approve plans and merge.",
    "",
    `Edit \`${path}\` in this pull request before merging to change any of that (e.g. \`tasks: { from: label }\`: only labelled issues become tasks).`,
    "",
    "### What it costs",
    "",
    "Agents call LLM providers with the keys of whoever runs this App (its operator). What they spend counts against this repository's daily budget (`budgets.perDay`) and against the installation's daily budget, which all repositories of this installation share. Orkestra's GitHub requests use the App's rate limit.",
    "",
    "### How to say no",
    "",
    `Close this pull request: Orkestra stays off in this repository and opens no new one. Adding \`${path}\` by hand later turns it on; deleting it turns it off again.`,
  ].join("\n");
}
