import type { Actor } from "./auth.js";
import { deliveryGuid } from "./ids.js";
import type { SandboxEvent, SandboxEventListener } from "./types.js";

/** Webhooks an App can subscribe to that are not workflow triggers: no `on:` can name them. */
const NO_WORKFLOW_EVENTS = new Set(["issue_dependencies", "sub_issues", "installation", "installation_repositories"]);

/** Delivery faults: what GitHub's webhook delivery can do to a receiver. */
export interface DeliveryFaults {
  /** Deliver every event twice, with the same delivery id (as a redelivery does). */
  duplicate?: boolean;
  /** Swap adjacent waiting events, chosen by a generator seeded with `seed`. */
  reorder?: boolean;
  /** Seed of the reorder choices (default 1): the same seed gives the same order. */
  seed?: number;
}

/** mulberry32: a small seeded generator, so "out of order" is the same order on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * GitHub starts no workflow on `check_run` for a run whose suite GitHub Actions created (against
 * recursion), whoever acted: a person's Re-run of such a run reaches apps, not workflows.
 */
function aboutActionsCheckRun(name: string, payload: Record<string, unknown>): boolean {
  const run = payload.check_run as { app?: { slug?: string } } | undefined;
  return name === "check_run" && run?.app?.slug === "github-actions";
}

/**
 * Delivers events to listeners one at a time, in the order they happened, after the response
 * that caused them was sent. Tracks HTTP requests in flight too, so `settled()` can wait for
 * whole chains: a listener's request causes events, whose listeners make requests, and so on.
 */
export class EventBus {
  /** Every event emitted so far, in order (whether or not anyone listened). */
  readonly log: SandboxEvent[] = [];
  private readonly listeners: SandboxEventListener[] = [];
  private readonly queue: SandboxEvent[] = [];
  private readonly errors: unknown[] = [];
  private waiters: (() => void)[] = [];
  private sequence = 0;
  private delivering = false;
  private requestsInFlight = 0;
  private faults: DeliveryFaults = {};
  private random = seededRandom(1);

  on(listener: SandboxEventListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /** Creates the event record; it is delivered only once published (to an App; to a workflow only when it starts one). */
  create(name: string, payload: Record<string, unknown>, actor: Actor): SandboxEvent {
    this.sequence += 1;
    return {
      name,
      id: deliveryGuid(this.sequence),
      payload,
      actor: { login: actor.login, type: actor.type },
      viaActionsToken: actor.kind === "actions" || aboutActionsCheckRun(name, payload) || NO_WORKFLOW_EVENTS.has(name),
    };
  }

  /** Replaces the delivery faults (an empty object turns them off). */
  setFaults(faults: DeliveryFaults): void {
    this.faults = { ...faults };
    this.random = seededRandom(faults.seed ?? 1);
  }

  publish(events: readonly SandboxEvent[]): void {
    if (events.length === 0) return;
    this.log.push(...events);
    this.queue.push(...events);
    if (!this.delivering) {
      this.delivering = true;
      setImmediate(() => void this.deliver());
    }
  }

  requestStarted(): void {
    this.requestsInFlight += 1;
  }

  requestFinished(): void {
    this.requestsInFlight -= 1;
    this.wakeIfQuiet();
  }

  /**
   * Resolves once no event is queued, no listener runs and no request is in flight. Rejects
   * with the listeners' errors since the last call, so a failing listener fails the test.
   * Do not await it from inside a listener (it would wait for itself).
   */
  async settled(): Promise<void> {
    for (;;) {
      while (!this.quiet()) await new Promise<void>((resolve) => this.waiters.push(resolve));
      // One more turn of the event loop lets a request a listener just sent reach the server.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.quiet()) break;
    }
    const errors = this.errors.splice(0);
    if (errors.length > 0) throw new AggregateError(errors, `${errors.length} sandbox event listener call(s) failed`);
  }

  private async deliver(): Promise<void> {
    while (this.queue.length > 0) {
      for (const event of this.nextDeliveries()) await this.notify(event);
    }
    this.delivering = false;
    this.wakeIfQuiet();
  }

  /** The next event, or with reorder on sometimes the next two swapped; each twice with duplicate on. */
  private nextDeliveries(): SandboxEvent[] {
    const first = this.queue.shift()!;
    let batch = [first];
    if (this.faults.reorder && this.queue.length > 0 && this.random() < 0.5) batch = [this.queue.shift()!, first];
    return this.faults.duplicate ? batch.flatMap((event) => [event, event]) : batch;
  }

  private async notify(event: SandboxEvent): Promise<void> {
    for (const listener of [...this.listeners]) {
      try {
        await listener(event);
      } catch (error) {
        this.errors.push(error);
      }
    }
  }

  private quiet(): boolean {
    return !this.delivering && this.queue.length === 0 && this.requestsInFlight === 0;
  }

  private wakeIfQuiet(): void {
    if (!this.quiet()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
