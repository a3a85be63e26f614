/**
 * Task locks are git refs: creating a ref is a compare-and-set GitHub offers (a second create
 * of the same name fails with 422), so exactly one claimer wins. See docs/locks.md.
 */
export const LOCK_PREFIX = "orkestra/locks/";

export function lockRef(issue: number): string {
  return `${LOCK_PREFIX}${issue}`;
}

/** The issue a lock ref is for, or null for a ref that is not one of Orkestra's locks. */
export function lockedIssue(ref: string): number | null {
  if (!ref.startsWith(LOCK_PREFIX)) return null;
  const number = Number(ref.slice(LOCK_PREFIX.length));
  return Number.isSafeInteger(number) && number > 0 ? number : null;
}
