import { createHmac } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { SandboxEvent, SandboxEventListener } from "./types.js";

/** Where and how to POST webhooks, like a GitHub App's webhook settings. */
export interface WebhookTarget {
  url: string;
  secret: string;
}

/** One HTTP delivery and its outcome. */
export interface WebhookDelivery {
  /** The X-GitHub-Delivery GUID (a duplicated delivery repeats it). */
  id: string;
  event: string;
  action: string | undefined;
  /** The receiver's status code; 0 when the request failed (connection refused, timeout). */
  status: number;
  durationMs: number;
  error?: string;
}

/** A delivery built by hand, for receivers' signature checks. */
export interface RawWebhook {
  url: string;
  event: string;
  /** Serialised as the body unless `body` is given. */
  payload?: unknown;
  /** The exact body bytes to send. */
  body?: string;
  id?: string;
  /** Signs the body with this secret... */
  secret?: string;
  /** ...or sends this X-Hub-Signature-256 value as it is (e.g. a wrong one). */
  signature?: string;
}

/** GitHub gives up on a receiver after 10 seconds. */
const DELIVERY_TIMEOUT_MS = 10_000;
const USER_AGENT = "GitHub-Hookshot/5a1b2c3";

function signatureOf(secret: string, body: string, algorithm: "sha256" | "sha1" = "sha256"): string {
  return `${algorithm}=${createHmac(algorithm, secret).update(body).digest("hex")}`;
}

/** Sends webhooks the way GitHub does for a GitHub App: JSON bodies signed with the app's secret. */
export class WebhookSender {
  constructor(
    private readonly app: { id: number; hookId: number },
    private readonly log: WebhookDelivery[],
  ) {}

  /** A bus listener that delivers each event to `target` and waits for the answer. */
  listener(target: WebhookTarget): SandboxEventListener {
    return async (event) => {
      this.log.push(await this.deliver(target, event));
    };
  }

  async send(raw: RawWebhook): Promise<{ status: number; body: string }> {
    const body = raw.body ?? JSON.stringify(raw.payload ?? {});
    const headers = this.headers(raw.event, raw.id ?? "00000000-0000-4000-8000-ffffffffffff", body);
    delete headers["x-hub-signature"];
    delete headers["x-hub-signature-256"];
    if (raw.signature !== undefined) headers["x-hub-signature-256"] = raw.signature;
    else if (raw.secret !== undefined) headers["x-hub-signature-256"] = signatureOf(raw.secret, body);
    const response = await fetch(raw.url, { method: "POST", headers, body, signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
    return { status: response.status, body: await response.text() };
  }

  private async deliver(target: WebhookTarget, event: SandboxEvent): Promise<WebhookDelivery> {
    const body = JSON.stringify(event.payload);
    const started = performance.now();
    const action = typeof event.payload.action === "string" ? event.payload.action : undefined;
    const done = (status: number, error?: string): WebhookDelivery => ({
      id: event.id,
      event: event.name,
      action,
      status,
      durationMs: Math.round(performance.now() - started),
      ...(error === undefined ? {} : { error }),
    });
    try {
      const headers = this.headers(event.name, event.id, body, target.secret);
      const response = await fetch(target.url, { method: "POST", headers, body, signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
      await response.arrayBuffer();
      return done(response.status);
    } catch (error) {
      return done(0, String(error));
    }
  }

  private headers(event: string, id: string, body: string, secret?: string): Record<string, string> {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": USER_AGENT,
      "x-github-event": event,
      "x-github-delivery": id,
      "x-github-hook-id": String(this.app.hookId),
      "x-github-hook-installation-target-type": "integration",
      "x-github-hook-installation-target-id": String(this.app.id),
    };
    if (secret !== undefined) {
      headers["x-hub-signature"] = signatureOf(secret, body, "sha1");
      headers["x-hub-signature-256"] = signatureOf(secret, body);
    }
    return headers;
  }
}
