/** The vocabulary of a task. Label names for these are configurable; the values are not. */

export const STATUSES = [
  "pending",
  "assigned",
  "in-progress",
  "review",
  "blocked",
  "done",
  "failed",
  "cancelled",
] as const;
export type Status = (typeof STATUSES)[number];

export const PRIORITIES = ["low", "medium", "high", "critical"] as const;
export type Priority = (typeof PRIORITIES)[number];

/**
 * How far agents go on their own: `full` (agreed plans are created, agents' pull requests merge
 * themselves once the review policy passes), `supervised` (people approve plans and merge),
 * `manual` (agents only recommend; nothing starts without a person's command).
 */
export const AUTONOMY_LEVELS = ["full", "supervised", "manual"] as const;
export type Autonomy = (typeof AUTONOMY_LEVELS)[number];

export const DEFAULT_TYPES = ["technical", "code-review", "content", "research"] as const;


export function isStatus(value: string): value is Status {
  return (STATUSES as readonly string[]).includes(value);
}

export function isPriority(value: string): value is Priority {
  return (PRIORITIES as readonly string[]).includes(value);
}

export const PRIORITY_RANK: Record<Priority, number> = { low: 0, medium: 1, high: 2, critical: 3 };
