import { DASHBOARD_TITLE } from "../../src/domain/dashboard/render.js";
import type { Harness } from "./harness.js";
import { orkestraRequests } from "./harness.js";

/** Orkestra's dashboard issues (there should be one). */
export function dashboards(h: Harness) {
  return h.sandbox.state.issues().filter((issue) => issue.title === DASHBOARD_TITLE && issue.user?.type === "Bot");
}

/** Refs under refs/orkestra/. */
export function orkestraRefs(h: Harness): string[] {
  return h.sandbox.state
    .refs()
    .map((ref) => ref.ref)
    .filter((ref) => ref.startsWith("refs/orkestra/"));
}

/** Non-GET requests Orkestra made. */
export function writes(h: Harness): string[] {
  return orkestraRequests(h.sandbox).filter((line) => !line.startsWith("GET"));
}

/** Requests (method and real path) whose path is about one issue: `/issues/<n>` or below it. */
export function requestsTo(h: Harness, number: number): string[] {
  const re = new RegExp(`/issues/${number}(/|$|\\?)`);
  return h.sandbox.requests.filter((request) => re.test(request.path)).map((request) => `${request.method} ${request.path}`);
}

/** The body with one action box ticked, as a person ticks it in GitHub's editor. */
export function tick(body: string, action: string): string {
  const box = `- [ ] <!-- orkestra:dashboard-action ${action} -->`;
  if (!body.includes(box)) throw new Error(`no box ${action} in the dashboard:\n${body}`);
  return body.replace(box, `- [x] <!-- orkestra:dashboard-action ${action} -->`);
}
