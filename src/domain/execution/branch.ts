/**
 * The branch an agent's work is written to: `orkestra/<issue>-<slug>`. The issue number makes it
 * findable again whatever the title becomes; the slug only helps people read branch lists.
 */

const PREFIX = "orkestra/";
const SLUG_MAX = 40;

/**
 * `orkestra/12-add-a-dark-mode` for issue 12 "Add a dark mode!": the title folded to ASCII
 * (accents dropped), lower case, words joined by `-`, at most 40 characters cut at a word when one
 * ends in the second half. The slug is only `a-z`, `0-9` and inner `-`, so the name passes
 * `git check-ref-format` whatever the title holds; a title with nothing usable gives `orkestra/12`.
 */
export function branchName(issue: number, title: string): string {
  if (!Number.isSafeInteger(issue) || issue < 1) throw new Error(`not an issue number: ${issue}`);
  const slug = slugify(title);
  return slug ? `${PREFIX}${issue}-${slug}` : `${PREFIX}${issue}`;
}

/** True when `name` (with or without `refs/heads/`) is an Orkestra branch for `issue`, whatever its slug. */
export function isOrkestraBranch(name: string, issue: number): boolean {
  if (!Number.isSafeInteger(issue) || issue < 1) return false;
  const short = name.startsWith("refs/heads/") ? name.slice("refs/heads/".length) : name;
  return new RegExp(`^${PREFIX}${issue}(?:-[a-z0-9][a-z0-9-]*)?$`).test(short);
}

function slugify(title: string): string {
  const words = title
    .normalize("NFKD")
    .replace(/\p{M}/gu, "") // accents split off by NFKD: é → e
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = "";
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > SLUG_MAX) {
      // A first word longer than the limit is cut; otherwise stop at the last whole word.
      if (slug.length < SLUG_MAX / 2) slug = next.slice(0, SLUG_MAX).replace(/-+$/, "");
      break;
    }
    slug = next;
  }
  return slug;
}

/** The issue an Orkestra branch (`orkestra/12-…`, with or without `refs/heads/`) is for; null for any other branch. */
export function issueOfBranch(name: string | null | undefined): number | null {
  const number = Number(/^(?:refs\/heads\/)?orkestra\/(\d+)(?:-|$)/.exec(name ?? "")?.[1]);
  return Number.isSafeInteger(number) && isOrkestraBranch(name!, number) ? number : null;
}

/** The line every commit Orkestra makes for an agent ends with; it tells Orkestra's commits from people's. */
export function commitTrailer(agent: string, attempt: number, round: number): string {
  return `By ${agent} (Orkestra), attempt ${attempt}, round ${round}.`;
}

/** Whether a commit message is one Orkestra wrote for an agent's work. */
export function isOrkestraCommit(message: string): boolean {
  return /\nBy \S+ \(Orkestra\), attempt \d+, round \d+\.$/.test(message.trimEnd());
}
