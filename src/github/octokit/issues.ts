import { call, orNull, wrapIterable } from "../errors.js";
import type { IssueData, IssuePage, NewIssue } from "../port.js";
import type { Connection } from "./client.js";
import { toIssue } from "./convert.js";

export async function getIssue({ octokit, repo }: Connection, number: number): Promise<IssueData | null> {
  const data = await orNull(octokit.rest.issues.get({ ...repo, issue_number: number }));
  return data ? toIssue(data) : null;
}

export async function setIssueState(
  { octokit, repo }: Connection,
  issue: number,
  state: "open" | "closed",
  reason?: "completed" | "not_planned",
): Promise<void> {
  await call(
    octokit.rest.issues.update({
      ...repo,
      issue_number: issue,
      state,
      ...(reason ? { state_reason: reason } : {}),
    }),
  );
}

const PIN_ISSUE = `mutation($issueId: ID!) { pinIssue(input: { issueId: $issueId }) { clientMutationId } }`;

export async function pinIssue({ octokit }: Connection, nodeId: string): Promise<void> {
  await call(octokit.graphql(PIN_ISSUE, { issueId: nodeId }));
}

export async function updateIssueBody({ octokit, repo }: Connection, issue: number, body: string): Promise<void> {
  await call(octokit.rest.issues.update({ ...repo, issue_number: issue, body }));
}

export async function createIssue({ octokit, repo }: Connection, issue: NewIssue): Promise<IssueData> {
  const { data } = await call(octokit.rest.issues.create({ ...repo, title: issue.title, body: issue.body, ...(issue.labels ? { labels: issue.labels } : {}) }));
  return toIssue(data);
}

export async function addSubIssue({ octokit, repo }: Connection, parent: number, childId: number): Promise<void> {
  await call(octokit.rest.issues.addSubIssue({ ...repo, issue_number: parent, sub_issue_id: childId }));
}

export async function listSubIssues({ octokit, repo }: Connection, parent: number): Promise<IssueData[]> {
  const issues = await call(octokit.paginate(octokit.rest.issues.listSubIssues, { ...repo, issue_number: parent, per_page: 100 }));
  return issues.map(toIssue);
}

/**
 * Oldest first, so issues opened meanwhile join the end and a sweep that stopped at page k can
 * continue there on its next run. The sweep reads every page, so each is parsed with JSON.parse:
 * Octokit's own parser (json-with-bigint, for numbers past 2^53, which issues do not carry) costs
 * seven times as much — 0.8 s of CPU for 10,000 tasks.
 */
export async function* openIssuePages({ octokit, repo }: Connection, labels: string[], fromPage = 1): AsyncIterable<IssuePage> {
  for (let page = fromPage; ; page++) {
    const response = await call(
      octokit.rest.issues.listForRepo({
        ...repo,
        state: "open",
        labels: labels.join(","),
        sort: "created",
        direction: "asc",
        per_page: 100,
        page,
        request: { parseSuccessResponseBody: false },
      }),
    );
    // Unparsed, `data` is the body's stream.
    const data = JSON.parse(await new Response(response.data as unknown as ReadableStream).text()) as typeof response.data;
    const link = response.headers.link ?? "";
    // The Link header names the last page on every page but the last.
    const last = /[?&]page=(\d+)[^>]*>;\s*rel="last"/.exec(link)?.[1];
    const issues = data.filter((issue) => !issue.pull_request).map(toIssue);
    // A page past the end (the listing shrank since a sweep saved it) comes back empty.
    const lastPage = last ? Number(last) : data.length === 0 ? Math.max(page - 1, 1) : page;
    yield { page, lastPage, issues, full: data.length === 100 };
    if (!/rel="next"/.test(link)) return;
  }
}

export async function* labeledIssuePages({ octokit, repo }: Connection, label: string): AsyncIterable<IssueData[]> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
    ...repo,
    state: "all",
    labels: label,
    per_page: 100,
  });
  for await (const page of wrapIterable(pages)) yield page.data.map(toIssue);
}

/** Pages of issues read while looking for those changed since a time: 1,000 issues. */
const RECENT_PAGES = 10;

export async function recentlyUpdated({ octokit, repo }: Connection, since: string): Promise<IssueData[]> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, { ...repo, state: "all", since, sort: "updated", direction: "desc", per_page: 100 });
  const issues: IssueData[] = [];
  let read = 0;
  for await (const page of wrapIterable(pages)) {
    issues.push(...page.data.filter((issue) => !issue.pull_request).map(toIssue));
    if (++read >= RECENT_PAGES) break;
  }
  return issues;
}
