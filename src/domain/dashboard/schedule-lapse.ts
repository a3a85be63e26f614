/**
 * GitHub switches off a public repository's scheduled workflows after 60 days without activity,
 * silently: the Action's sweep (recovery, deadlines, the dashboard itself) would stop. The
 * dashboard says so from 45 days on, while someone can still push and keep it running.
 */
const SWITCH_OFF_DAYS = 60;
const WARN_DAYS = 45;
const DAY_MS = 86_400_000;

export interface ScheduleLapse {
  /** The repository's last push (`pushed_at`), a UTC date `YYYY-MM-DD`. */
  lastPush: string;
  /** When GitHub switches the schedule off, 60 days after it. */
  switchOff: string;
}

interface ScheduledRepository {
  private: boolean;
  /** `repository.pushed_at` of the scheduled run's payload; null when the payload did not carry it. */
  pushedAt: string | null;
  /** Whether this sweep came from an Actions `schedule` (the App's own timer never lapses). */
  scheduled: boolean;
}

export function scheduleLapse(now: Date, repository: ScheduledRepository): ScheduleLapse | null {
  if (repository.private || !repository.scheduled || !repository.pushedAt) return null;
  const pushed = Date.parse(repository.pushedAt);
  if (Number.isNaN(pushed) || now.getTime() - pushed < WARN_DAYS * DAY_MS) return null;
  return { lastPush: day(pushed), switchOff: day(pushed + SWITCH_OFF_DAYS * DAY_MS) };
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
