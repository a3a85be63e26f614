import { legacyNodeId } from "../ids.js";
import type { CheckStatus, CheckSuiteRecord } from "../pull-records.js";
import { checkSuiteShape } from "../shapes/checks.js";
import type { Store } from "../store.js";
import type { OpContext } from "./context.js";

/** The branch whose tip `sha` is (the first by name), for `head_branch`; null when none is. */
function branchAt(store: Store, sha: string): string | null {
  const names = [...store.git.refs.entries()].filter(([name, tip]) => tip === sha && name.startsWith("refs/heads/")).map(([name]) => name);
  return names.sort()[0]?.slice("refs/heads/".length) ?? null;
}

export function newCheckSuite(store: Store, app: CheckSuiteRecord["app"], headSha: string, state: CheckSuiteRecord["state"]): CheckSuiteRecord {
  const id = store.ids.next();
  const now = store.now();
  const suite: CheckSuiteRecord = { id, nodeId: legacyNodeId("CheckSuite", id), app, headSha, headBranch: branchAt(store, headSha), state, createdAt: now, updatedAt: now };
  store.checkSuites.set(id, suite);
  return suite;
}

/** The suite an app's check runs on a commit belong to, made on first use: GitHub keeps one per app and commit. */
export function runsSuite(store: Store, app: CheckSuiteRecord["app"], headSha: string): CheckSuiteRecord {
  const known = [...store.checkSuites.values()].find((suite) => suite.app === app && suite.headSha === headSha && suite.state === null);
  return known ?? newCheckSuite(store, app, headSha, null);
}

/** Moves a suite that keeps its own state; completing it announces `check_suite.completed`. */
export function setSuiteState(ctx: OpContext, suite: CheckSuiteRecord, status: CheckStatus, conclusion: string | null): void {
  const completing = suite.state?.status !== "completed" && status === "completed";
  suite.state = { status, conclusion: status === "completed" ? conclusion : null };
  suite.updatedAt = ctx.store.now();
  if (completing) ctx.emit("check_suite", "completed", { check_suite: checkSuiteShape(ctx.shapes, suite) });
}
