import { createServer, type AddressInfo } from "node:net";
import { Probot, Server } from "probot";
import { orkestraProbotOctokit } from "../../src/app/octokit.js";
import { startOrkestraApp, type AppOptions, type OrkestraApp } from "../../src/app/index.js";

interface ProbotServerOptions extends AppOptions {
  /** The GitHub API to talk to, e.g. `${sandbox.url}/api/v3` (what GHE_HOST/GHE_PROTOCOL give Probot). */
  baseUrl: string;
  appId: number;
  privateKey: string;
  webhookSecret: string;
  /** Keep Probot's pacing of writes (GitHub asks for ≤ 1 a second); off for local runs. */
  throttle?: boolean;
}

export interface RunningServer {
  /** Where GitHub (or the sandbox) delivers webhooks. */
  webhookUrl: string;
  app: OrkestraApp;
  stop(): Promise<void>;
}

/**
 * The real Probot server — HTTP, webhook signature checks and all — with Orkestra loaded, on
 * an ephemeral port of 127.0.0.1. The demo and the end-to-end tests use it.
 */
export async function startProbotServer(options: ProbotServerOptions): Promise<RunningServer> {
  const throttle = options.throttle ?? false;
  const server = new Server({
    host: "127.0.0.1",
    // Probot treats port 0 as "use 3000", so ask the system for a free port first.
    port: await freePort(),
    log: await quietLog(),
    Probot: Probot.defaults({
      appId: options.appId,
      privateKey: options.privateKey,
      secret: options.webhookSecret,
      baseUrl: options.baseUrl,
      logLevel: "fatal",
      Octokit: orkestraProbotOctokit({ throttle }),
    }),
  });
  let app: OrkestraApp | undefined;
  await server.load((probot) => {
    app = startOrkestraApp(probot, { ...options, sweepTickMinutes: options.sweepTickMinutes ?? 0 });
  });
  const http = await server.start();
  const { port } = http.address() as AddressInfo;
  http.unref();
  return {
    webhookUrl: `http://127.0.0.1:${port}/api/github/webhooks`,
    app: app!,
    stop: async () => {
      app?.stop();
      await server.stop();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Probot's own pino logger at "fatal": the demo prints a transcript, tests assert on state. */
async function quietLog(): Promise<Probot["log"]> {
  const probot = new Probot({ appId: 1, privateKey: "unused", logLevel: "fatal" });
  await probot.ready();
  return probot.log;
}
