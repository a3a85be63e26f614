import type { Actor } from "./auth.js";
import { deliveryGuid } from "./ids.js";
import type { SandboxEvent, SandboxEventListener } from "./types.js";

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

  on(listener: SandboxEventListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /** Creates the event record; it is delivered only once published. */
  create(name: string, payload: Record<string, unknown>, actor: Actor): SandboxEvent {
    this.sequence += 1;
    return {
      name,
      id: deliveryGuid(this.sequence),
      payload,
      actor: { login: actor.login, type: actor.type },
      viaActionsToken: actor.kind === "actions",
    };
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
    for (let event = this.queue.shift(); event; event = this.queue.shift()) {
      for (const listener of [...this.listeners]) {
        try {
          await listener(event);
        } catch (error) {
          this.errors.push(error);
        }
      }
    }
    this.delivering = false;
    this.wakeIfQuiet();
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
