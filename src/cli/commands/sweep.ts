/** `orkestra sweep --dry-run`: what Orkestra's scheduled sweep would do now, with nothing written. */
import type { Command } from "commander";
import { handleEvent } from "../../handlers/index.js";
import { coverageText } from "../../handlers/sweep/coverage.js";
import { cliServices, repoFacts, UsageError } from "../connect.js";
import { EXIT, withRepoOptions, type CommandDeps, type CommonFlags } from "../program.js";

interface SweepFlags extends CommonFlags {
  dryRun?: boolean;
}

export function registerSweep(program: Command, deps: CommandDeps): void {
  withRepoOptions(
    program
      .command("sweep")
      .description("run the scheduled sweep with nothing written (--dry-run) and print what it would do")
      .option("--dry-run", "only report what the sweep would do (required: the CLI does not write)"),
  ).action(async (flags: SweepFlags) => {
    if (!flags.dryRun) {
      throw new UsageError(
        "the CLI does not write: pass --dry-run to see what the sweep would do; the sweep itself runs in the Action (its `schedule`, or `workflow_dispatch`) or the app",
      );
    }
    const out = deps.output(flags);
    const connection = await deps.connect(flags);
    const facts = await repoFacts(connection);
    const { owner, repo } = connection.repo;
    // What GitHub sends a scheduled run, with the repository the sweep reads its default branch from.
    const payload = {
      schedule: "*/15 * * * *",
      repository: { owner: { login: owner }, name: repo, full_name: facts.fullName, default_branch: facts.defaultBranch, private: facts.private },
    };
    const report = await handleEvent(cliServices(connection, facts, deps.io.env), { name: "schedule", payload });
    const coverage = report.sweepCoverage ? { ...report.sweepCoverage, text: coverageText(report.sweepCoverage) } : null;
    out.document({
      repo: `${owner}/${repo}`,
      dryRun: true,
      sweep: report.sweep ?? null,
      actions: report.actions,
      notes: report.notes,
      errors: report.errors,
      configErrors: report.configErrors,
      coverage,
      truncated: report.truncated ?? null,
    });
    out.heading(`Sweep of ${owner}/${repo} (dry run: nothing was written)`);
    out.line(report.actions.length === 0 ? "  nothing to do" : `  would do ${report.actions.length} thing${report.actions.length === 1 ? "" : "s"}:`);
    for (const action of report.actions) out.line(`  - ${action}`);
    for (const note of report.notes) out.line(out.color.dim(`  note: ${note}`));
    for (const error of report.configErrors) out.line(out.color.red(`  config: ${error.line ? `line ${error.line}: ` : ""}${error.path ? `${error.path}: ` : ""}${error.message}`));
    for (const error of report.errors) out.line(out.color.red(`  error: ${error}`));
    if (coverage) out.line(`  coverage: ${coverage.text}`);
    if (report.truncated) out.line(out.color.yellow(`  stopped early: ${report.truncated.reason}`));
    if (report.errors.length > 0) deps.exit(EXIT.github);
    else if (report.configErrors.length > 0) deps.exit(EXIT.failed);
  });
}
