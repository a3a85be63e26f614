import { applyEffects } from "../runtime/apply.js";
import { asksForCommands, onCommentEvent, wantsCommands } from "./comments.js";
import { configErrorEffects, configPathOf, loadConfig } from "./config.js";
import { applyOptions, createRunContext, emptyReport, type RunContext, type RunReport, type Services } from "../runtime/context.js";
import { ledgerOf } from "../runtime/ledger.js";
import { onIssuesEvent, wantsIssueEvent } from "./issues.js";
import { onDependencyEvent, wantsDependencyEvent } from "./dependencies.js";
import { onReviewCommentEvent, wantsReviewCommentCommands } from "./review-comments.js";
import { issueDependenciesEventSchema, pullRequestReviewCommentEventSchema, scheduleEventSchema } from "./payloads.js";
import { configRefFor, onPullRequestEvent, pullRequestEventSchema, wantsPullRequestEvent } from "./review/index.js";
import { runSweep } from "./sweep/index.js";
import { awaitsOnboarding, ensureOnboardingPull, notOnboardedNote } from "./onboarding.js";
import { onDashboardEdited } from "./dashboard/edited.js";
import { isDashboardBody } from "../domain/dashboard/render.js";
import { describePause, repoPause } from "./pause.js";
import { checkRunEventSchema, checkSuiteEventSchema, issueCommentEventSchema, issuesEventSchema, pullRequestReviewEventSchema, repoEventSchema } from "./payloads.js";
import { movesReadiness, onPersonReview } from "./review/people.js";
import { ignoredCheckRun, onReviewRerun, pullOfCheckRun } from "./review/rerun.js";
import { GitHubError, type GitHubPort } from "../github/port.js";
import { finishWorkerRound, prepareWorker, type PreparedWorker, type WorkerJob, type WorkerOutcome } from "./execution/worker.js";
import { issueOfBranch } from "../domain/execution/branch.js";
import { isOwnSuiteApp, onCheckSuiteCompleted } from "./execution/feedback.js";

export interface IncomingEvent {
  /** Webhook event name, e.g. `issues`, or the Action's `schedule` / `workflow_dispatch`. */
  name: string;
  payload: unknown;
}

interface Route {
  /** The issue to report configuration problems on, when there is one. */
  issue?: number;
  /** Where to read the configuration when not the default branch (a PR's base branch). */
  configRef?: string;
  /**
   * Whether the event changes nothing while Orkestra is paused, checked here once (one read):
   * all but commands (they refuse with a reply, pause.ts) and the sweep (it learns from its listing).
   */
  pausable?: boolean;
  run(ctx: RunContext): Promise<void>;
}

/**
 * The single entry of the core: both doors (Probot app and GitHub Action) call this with
 * the same event and get the same behaviour and the same report.
 */
export async function handleEvent(services: Services, event: IncomingEvent): Promise<RunReport> {
  const report = emptyReport();
  const route = await routeFor(event, report, services.github);
  if (!route) return report;
  // Who caused it (a schedule: nobody, Orkestra itself) and the repository's node id, for the ledger and GraphQL.
  const { repository, sender } = repoEventSchema.safeParse(event.payload).data ?? {};
  services = {
    ...services,
    actor: services.actor ?? sender?.login ?? "orkestra",
    ...(repository?.node_id && !services.repoNodeId ? { repoNodeId: repository.node_id } : {}),
    ...pushedAtOf(repository?.pushed_at),
    // Only an Actions schedule's payload names its cron; the App's timer hands over the repository alone.
    ...(event.name === "schedule" ? scheduleOf(event.payload) : {}),
  };
  try {
    const pause = route.pausable ? await repoPause(services.github, report) : null;
    if (pause) {
      report.notes.push(`${describePause(pause)}: \`${event.name}\` changed nothing`);
      return report;
    }
    const config = await loadConfig(services.github, configPathOf(services), route.configRef);
    if (config.ok && (await awaitsOnboarding(services, config.source, route.configRef))) {
      // The App's opt-in: without the file, nothing but the sweep's one onboarding pull request.
      if (event.name === "schedule") await ensureOnboardingPull(services, report);
      else notOnboardedNote(report, event.name, services.configPath);
      return report;
    }
    if (config.ok) {
      const defaultBranch = services.defaultBranch ?? repository?.default_branch;
      const ctx = createRunContext({ ...services, ...(defaultBranch ? { defaultBranch } : {}) }, config.config, report);
      try {
        await route.run(ctx);
      } finally {
        await ctx.flushUsage();
      }
    } else {
      report.configErrors.push(...config.errors);
      if (route.issue === undefined) return report;
      const effects = await configErrorEffects(services.github, route.issue, config, configPathOf(services));
      // No run context without a configuration: the one error comment is applied the same way.
      await applyEffects(services.github, effects, applyOptions(services, report));
    }
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    // The door says it (the Action fails the step with it, the App logs it): once.
    report.errors.push(error.message);
  } finally {
    // Whatever happened, what was written is recorded: a run that stops half way loses no entry.
    await ledgerOf(services, report).flush();
  }
  return report;
}

/**
 * The worker workflow's two jobs (CLI mode): the read-only job asks for the CLI's prompt, the job
 * with write permissions hands over what the CLI produced. Same configuration and context as events.
 */
export async function prepareWorkerRun(services: Services, job: WorkerJob, findings: string | null): Promise<{ prepared: PreparedWorker; report: RunReport }> {
  let prepared: PreparedWorker = { ok: false, reason: "the configuration is invalid" };
  const report = await withRunContext(services, async (ctx) => {
    prepared = await prepareWorker(ctx, job, findings);
  });
  return { prepared, report };
}

/**
 * While Orkestra is paused nothing is published: the job fails saying so, and re-running it after
 * `/resume` publishes the same outcome (its artifact stays with the run).
 */
export async function publishWorkerRun(services: Services, job: WorkerJob, outcome: WorkerOutcome): Promise<RunReport> {
  const paused = await repoPause(services.github, emptyReport());
  if (paused) {
    const report = emptyReport();
    report.errors.push(`${describePause(paused)}: the worker's result for #${job.issue} was not published; re-run this job after \`/resume\``);
    return report;
  }
  return withRunContext(services, (ctx) => finishWorkerRound(ctx, job, outcome));
}

async function withRunContext(services: Services, run: (ctx: RunContext) => Promise<void>): Promise<RunReport> {
  const report = emptyReport();
  try {
    const config = await loadConfig(services.github, configPathOf(services));
    if (!config.ok) {
      report.configErrors.push(...config.errors);
      return report;
    }
    const ctx = createRunContext(services, config.config, report);
    try {
      await run(ctx);
    } finally {
      await ctx.flushUsage();
    }
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    // The door says it (the Action fails the step with it, the App logs it): once.
    report.errors.push(error.message);
  } finally {
    await ledgerOf(services, report).flush();
  }
  return report;
}

async function routeFor(event: IncomingEvent, report: RunReport, github: GitHubPort): Promise<Route | null> {
  const sender = repoEventSchema.safeParse(event.payload).data?.sender?.login;
  // A `schedule` has no sender, so a sweep never asks who Orkestra is unless it reads a comment.
  const self = sender ? await github.login() : undefined;
  if (self && sender === self) {
    // GitHub tells the app about its own writes; they were complete when made.
    report.notes.push(`ignored \`${event.name}\` caused by Orkestra itself`);
    return null;
  }
  switch (event.name) {
    case "issues": {
      const parsed = issuesEventSchema.safeParse(event.payload);
      if (!parsed.success) return invalid(event, report);
      // A box ticked on the dashboard: its commands check the pause themselves (Resume works while paused).
      if (parsed.data.action === "edited" && isDashboardBody(parsed.data.issue.body)) {
        return { issue: parsed.data.issue.number, run: (ctx) => onDashboardEdited(ctx, parsed.data).then(() => undefined) };
      }
      if (!wantsIssueEvent(parsed.data, report)) return null;
      return { issue: parsed.data.issue.number, pausable: true, run: (ctx) => onIssuesEvent(ctx, parsed.data) };
    }
    case "issue_comment": {
      const parsed = issueCommentEventSchema.safeParse(event.payload);
      if (!parsed.success) return invalid(event, report);
      if (!wantsCommands(parsed.data)) return null;
      // A configuration error is told on the issue when someone asked for something, not for any comment.
      const commands = asksForCommands(parsed.data);
      const issue = commands || parsed.data.action !== "created" ? { issue: parsed.data.issue.number } : {};
      return { ...issue, pausable: !commands, run: (ctx) => onCommentEvent(ctx, parsed.data) };
    }
    case "pull_request":
    case "pull_request_target": {
      const parsed = pullRequestEventSchema.safeParse(event.payload);
      if (!parsed.success) return invalid(event, report);
      if (!wantsPullRequestEvent(parsed.data, report)) return null;
      const { number, base } = parsed.data.pull_request;
      const configRef = configRefFor(base.ref, parsed.data.repository.default_branch);
      return { issue: number, ...(configRef ? { configRef } : {}), pausable: true, run: (ctx) => onPullRequestEvent(ctx, parsed.data) };
    }
    case "pull_request_review": {
      const parsed = pullRequestReviewEventSchema.safeParse(event.payload);
      if (!parsed.success) return invalid(event, report);
      const { action, review, pull_request: pull } = parsed.data;
      // A person's approval, change request or its dismissal moves merge readiness; a change request
      // on one of Orkestra's branches also asks the agent for more. Comments change nothing.
      if (!movesReadiness(parsed.data)) {
        report.notes.push(`\`pull_request_review.${action}\` (${review.state}) needs nothing from Orkestra`);
        return null;
      }
      if ((review.user?.type ?? parsed.data.sender.type) === "Bot") {
        report.notes.push(`ignored a review on #${pull.number} by a bot (@${review.user?.login ?? parsed.data.sender.login})`);
        return null;
      }
      const configRef = pull.base ? configRefFor(pull.base.ref, parsed.data.repository.default_branch) : undefined;
      return { issue: pull.number, ...(configRef ? { configRef } : {}), pausable: true, run: (ctx) => onPersonReview(ctx, parsed.data) };
    }
    case "check_run": {
      // The Re-run button on Orkestra's review check; see src/handlers/review/rerun.ts.
      const parsed = checkRunEventSchema.safeParse(event.payload);
      if (!parsed.success) return invalid(event, report);
      const ignored = ignoredCheckRun(self, parsed.data);
      const pull = ignored === null ? pullOfCheckRun(parsed.data.check_run) : null;
      if (!pull) {
        report.notes.push(ignored ?? `Re-run of \`${parsed.data.check_run.name}\`: no pull request is named by the check run`);
        return null;
      }
      const configRef = pull.baseRef ? configRefFor(pull.baseRef, parsed.data.repository.default_branch) : undefined;
      return { issue: pull.number, ...(configRef ? { configRef } : {}), pausable: true, run: (ctx) => onReviewRerun(ctx, parsed.data, pull.number) };
    }
    case "check_suite": {
      const parsed = checkSuiteEventSchema.safeParse(event.payload);
      if (!parsed.success) return invalid(event, report);
      const suite = parsed.data.check_suite;
      if (parsed.data.action !== "completed" || issueOfBranch(suite.head_branch) === null || isOwnSuiteApp(self, suite.app?.slug)) {
        report.notes.push(`\`check_suite.${parsed.data.action}\` on \`${suite.head_branch ?? "a fork"}\` needs nothing from Orkestra`);
        return null;
      }
      return { pausable: true, run: (ctx) => onCheckSuiteCompleted(ctx, parsed.data) };
    }
    case "issue_dependencies": {
      // A "Blocked by" added or removed in the sidebar; Orkestra's own links were dropped above.
      const parsed = issueDependenciesEventSchema.safeParse(event.payload);
      if (!parsed.success) return invalid(event, report);
      if (!wantsDependencyEvent(parsed.data, report)) return null;
      return { issue: parsed.data.blocked_issue.number, pausable: true, run: (ctx) => onDependencyEvent(ctx, parsed.data) };
    }
    case "pull_request_review_comment": {
      // Commands on a line of the diff run as in the conversation (they check the pause themselves).
      const parsed = pullRequestReviewCommentEventSchema.safeParse(event.payload);
      if (!parsed.success) return invalid(event, report);
      if (!wantsReviewCommentCommands(parsed.data, report)) return null;
      return { issue: parsed.data.pull_request.number, run: (ctx) => onReviewCommentEvent(ctx, parsed.data) };
    }
    case "schedule":
    case "workflow_dispatch":
      return { run: (ctx) => runSweep(ctx) };
    default:
      report.notes.push(`event \`${event.name}\` needs nothing from Orkestra`);
      return null;
  }
}

/** `pushed_at` is an ISO time in most payloads and Unix seconds in `push` ones. */
function pushedAtOf(pushedAt: string | number | null | undefined): { repoPushedAt?: string } {
  if (pushedAt === null || pushedAt === undefined) return {};
  const time = typeof pushedAt === "number" ? new Date(pushedAt * 1000) : new Date(pushedAt);
  return Number.isNaN(time.getTime()) ? {} : { repoPushedAt: time.toISOString() };
}

function scheduleOf(payload: unknown): { schedule?: string } {
  const parsed = scheduleEventSchema.safeParse(payload);
  return parsed.success ? { schedule: parsed.data.schedule } : {};
}

function invalid(event: IncomingEvent, report: RunReport): null {
  report.notes.push(`ignored a \`${event.name}\` event whose payload lacks the fields Orkestra reads`);
  return null;
}
