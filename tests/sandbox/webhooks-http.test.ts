import { createHmac, generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../tools/sandbox/index.js";
import { sandboxFor } from "./helpers.js";

const SECRET = "It's a Secret to Everybody";
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A bare receiver that records what arrives and answers `status(event)`. */
async function recorder(status: (event: string) => number = () => 200): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const url = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(status(String(req.headers["x-github-event"]))).end();
    });
  });
  return { url, received };
}

/** The Orkestra-style receiver: a Probot app behind its node middleware, checking signatures. */
async function probotReceiver(sandbox: Sandbox): Promise<string> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
  const probot = new Probot({
    appId: sandbox.app.id,
    privateKey,
    secret: SECRET,
    baseUrl: sandbox.url,
    logLevel: "fatal",
    Octokit: ProbotOctokit.defaults((options: { throttle?: object }) => ({ ...options, retry: { enabled: false }, throttle: { ...options.throttle, enabled: false } })),
  });
  const middleware = await createNodeMiddleware(
    (app) => {
      app.on("issues.opened", async (context) => {
        await context.octokit.rest.issues.createComment(context.issue({ body: "Thanks!" }));
      });
    },
    { probot },
  );
  const url = await listen((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
  return `${url}/api/github/webhooks`;
}

const hmac = (algorithm: "sha256" | "sha1", body: string) => `${algorithm}=${createHmac(algorithm, SECRET).update(body).digest("hex")}`;

describe("webhooks over HTTP", () => {
  it("POSTs each event in order with GitHub's headers, signed with the secret, and records the answers", async () => {
    const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
    const { url, received } = await recorder((event) => (event === "label" ? 500 : 204));
    const stop = sandbox.deliverWebhooks({ url, secret: SECRET });
    sandbox.as("maya").openIssue({ title: "Hooked", labels: ["bug"] });
    await sandbox.settled();

    expect(received.map((r) => `${String(r.headers["x-github-event"])}.${(JSON.parse(r.body) as { action: string }).action}`)).toEqual([
      "label.created",
      "issues.opened",
      "issues.labeled",
    ]);
    for (const [index, { headers, body }] of received.entries()) {
      const event = sandbox.deliveries[index]!;
      expect(JSON.parse(body)).toEqual(event.payload);
      expect(headers).toMatchObject({
        "content-type": "application/json",
        "x-github-event": event.name,
        "x-github-delivery": event.id,
        "x-github-hook-id": String(sandbox.app.hookId),
        "x-github-hook-installation-target-type": "integration",
        "x-github-hook-installation-target-id": String(sandbox.app.id),
        "x-hub-signature-256": hmac("sha256", body),
        "x-hub-signature": hmac("sha1", body),
      });
      expect(headers["user-agent"]).toMatch(/^GitHub-Hookshot\/[0-9a-f]+$/);
    }
    expect(sandbox.webhookDeliveries.map(({ id, event, action, status }) => ({ id, event, action, status }))).toEqual([
      { id: sandbox.deliveries[0]!.id, event: "label", action: "created", status: 500 },
      { id: sandbox.deliveries[1]!.id, event: "issues", action: "opened", status: 204 },
      { id: sandbox.deliveries[2]!.id, event: "issues", action: "labeled", status: 204 },
    ]);
    stop();
    sandbox.as("maya").comment(1, "not delivered");
    await sandbox.settled();
    expect(received).toHaveLength(3);
  });

  it("settled() waits for the receiver, whose requests cause more deliveries (a Probot app)", async () => {
    const { sandbox } = await sandboxFor();
    sandbox.deliverWebhooks({ url: await probotReceiver(sandbox), secret: SECRET });
    sandbox.as("ann").openIssue({ title: "Hello" });
    await sandbox.settled();
    expect(sandbox.state.comments(1).map((c) => [c.user?.login, c.body])).toEqual([["orkestra[bot]", "Thanks!"]]);
    expect(sandbox.webhookDeliveries.map((d) => [`${d.event}.${d.action}`, d.status])).toEqual([
      ["issues.opened", 200],
      ["issue_comment.created", 200],
    ]);
  });

  it("sends hand-made deliveries, so a receiver can be shown to refuse a bad signature", async () => {
    const { sandbox } = await sandboxFor();
    const url = await probotReceiver(sandbox);
    sandbox.as("ann").openIssue({ title: "Signed" });
    const event = sandbox.deliveries[0]!;
    const body = JSON.stringify(event.payload);
    expect((await sandbox.sendWebhook({ url, event: "issues", body, signature: hmac("sha256", `${body} `) })).status).toBe(400);
    expect((await sandbox.sendWebhook({ url, event: "issues", body, secret: "not the secret" })).status).toBe(400);
    expect((await sandbox.sendWebhook({ url, event: "issues", body })).status).toBe(400);
    expect(sandbox.state.comments(1)).toEqual([]);
    expect((await sandbox.sendWebhook({ url, event: "issues", body, secret: SECRET, id: event.id })).status).toBe(200);
    await sandbox.settled();
    expect(sandbox.state.comments(1).map((c) => c.body)).toEqual(["Thanks!"]);
  });

  it("duplicates deliveries with the same id, and reorders adjacent ones the same way for the same seed", async () => {
    const seen = async (faults: Parameters<Sandbox["webhookFaults"]>[0]) => {
      const { sandbox } = await sandboxFor({ collaborators: { maya: "write" } });
      const ids: string[] = [];
      sandbox.onEvent((event) => void ids.push(event.id));
      sandbox.webhookFaults(faults);
      sandbox.as("maya").openIssue({ title: "Many", labels: ["a", "b", "c"] });
      await sandbox.settled();
      const emitted = sandbox.deliveries.map((event) => event.id);
      return { ids, emitted };
    };
    const duplicated = await seen({ duplicate: true });
    expect(duplicated.ids).toEqual(duplicated.emitted.flatMap((id) => [id, id]));

    const first = await seen({ reorder: true, seed: 42 });
    const again = await seen({ reorder: true, seed: 42 });
    expect(first.ids).not.toEqual(first.emitted);
    expect([...first.ids].sort()).toEqual([...first.emitted].sort());
    expect(again.ids).toEqual(first.ids);
    // Only neighbours swap: every event arrives at most one place away from where it was emitted.
    for (const [index, id] of first.ids.entries()) expect(Math.abs(first.emitted.indexOf(id) - index)).toBeLessThanOrEqual(1);

    const off = await seen({});
    expect(off.ids).toEqual(off.emitted);
  });
});
