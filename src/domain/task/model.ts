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

export const DEFAULT_TYPES = ["technical", "code-review", "content", "research"] as const;


export function isStatus(value: string): value is Status {
  return (STATUSES as readonly string[]).includes(value);
}

export function isPriority(value: string): value is Priority {
  return (PRIORITIES as readonly string[]).includes(value);
}

export const PRIORITY_RANK: Record<Priority, number> = { low: 0, medium: 1, high: 2, critical: 3 };
