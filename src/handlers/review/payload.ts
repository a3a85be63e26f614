import { z } from "zod";

/**
 * The parts of a `pull_request` (or `pull_request_target`) webhook payload the review reads.
 * Everything else comes from a fresh `pulls.get`, so a late or redelivered payload cannot make
 * Orkestra review a head that is no longer the PR's.
 */
const repoSchema = z.looseObject({ full_name: z.string() });

export const pullRequestEventSchema = z.looseObject({
  action: z.string(),
  number: z.number().optional(),
  pull_request: z.looseObject({
    number: z.number(),
    title: z.string(),
    state: z.string(),
    draft: z.boolean().default(false),
    head: z.looseObject({ sha: z.string(), ref: z.string(), repo: repoSchema.nullable().optional() }),
    base: z.looseObject({ ref: z.string(), repo: repoSchema }),
    labels: z.array(z.looseObject({ name: z.string() })).default([]),
  }),
  repository: z.looseObject({ full_name: z.string().optional(), default_branch: z.string().optional() }),
  sender: z.looseObject({ login: z.string(), type: z.string().default("User") }),
});
export type PullRequestEvent = z.infer<typeof pullRequestEventSchema>;

/** Actions that start a review (when `review.events` lists them). */
export const REVIEW_ACTIONS = new Set(["opened", "synchronize", "reopened", "ready_for_review"]);
/** Actions after which a PR's changes may overlap differently with other open PRs. */
export const OVERLAP_ACTIONS = new Set(["opened", "synchronize", "reopened", "closed"]);

/**
 * Where `.github/orkestra.yml` is read for a pull request: its base branch when that is not the
 * default branch (undefined: the default branch, the usual case and no extra cost). Never the head.
 */
export function configRefFor(baseRef: string, defaultBranch: string | undefined): string | undefined {
  return defaultBranch !== undefined && baseRef !== defaultBranch ? baseRef : undefined;
}
