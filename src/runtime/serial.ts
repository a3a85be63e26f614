/**
 * Runs tasks one at a time per key (e.g. per issue) while different keys run in parallel.
 * Two deliveries for the same issue (opened, then edited a moment later) are then handled
 * in the order they arrived, each seeing what the previous one wrote.
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}

/** The key that serializes work on one issue or pull request of one repository. */
export function eventKey(payload: unknown): string {
  const p = payload as {
    repository?: { full_name?: string };
    issue?: { number?: number };
    pull_request?: { number?: number };
  };
  const number = p.issue?.number ?? p.pull_request?.number;
  return `${p.repository?.full_name ?? "?"}#${number ?? "repo"}`;
}
