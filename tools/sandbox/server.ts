import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApiResponse } from "./http.js";
import { runPipeline, type NamedStep, type PipelineEnv, type RequestState } from "./pipeline.js";
import type { RequestLogEntry } from "./types.js";

const ENTERPRISE_PREFIX = "/api/v3";
/** GitHub Enterprise serves GraphQL at /api/graphql, beside the REST API's /api/v3. */
const ENTERPRISE_GRAPHQL = "/api/graphql";

interface HttpFrontOptions {
  env: PipelineEnv;
  steps: NamedStep[];
  log: RequestLogEntry[];
}

/** node:http in front of the pipeline: every route at "/" and at "/api/v3" (GitHub Enterprise layout; GraphQL at "/api/graphql"). */
export class HttpFront {
  private readonly server: Server;
  private requestCount = 0;
  private baseUrl = "";

  constructor(private readonly options: HttpFrontOptions) {
    this.server = createServer((req, res) => void this.serve(req, res));
  }

  async listen(port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${address.port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { env, steps, log } = this.options;
    env.bus.requestStarted();
    this.requestCount += 1;
    const requestId = `SBX:${this.requestCount.toString(16).toUpperCase().padStart(6, "0")}`;
    const url = new URL(req.url ?? "/", this.baseUrl);
    const prefixed = url.pathname === ENTERPRISE_PREFIX || url.pathname.startsWith(`${ENTERPRISE_PREFIX}/`);
    const graphql = url.pathname === ENTERPRISE_GRAPHQL;
    const state: RequestState = {
      requestId,
      method: (req.method ?? "GET").toUpperCase(),
      url,
      prefix: prefixed ? ENTERPRISE_PREFIX : graphql ? "/api" : "",
      path: (prefixed ? url.pathname.slice(ENTERPRISE_PREFIX.length) : graphql ? "/graphql" : url.pathname) || "/",
      headers: req.headers,
      bodyText: await readBody(req),
      body: undefined,
      events: [],
    };
    let response: ApiResponse;
    try {
      response = await runPipeline(steps, state, env);
    } catch (error) {
      // A bug in the sandbox, not an expected GitHub answer: say so loudly in the body.
      response = { status: 500, body: { message: `sandbox error: ${String(error)}`, status: "500" } };
    }
    // The change happened even if the client went away, so its events are delivered either way.
    let done = false;
    const finished = () => {
      if (done) return;
      done = true;
      env.bus.publish(state.events);
      env.bus.requestFinished();
    };
    res.once("finish", finished);
    res.once("close", finished);
    log.push({
      method: state.method,
      route: state.match?.template ?? null,
      path: `${url.pathname}${url.search}`,
      status: response.status,
      actor: state.actor?.login ?? null,
    });
    send(res, response, requestId, env.rateLimiter.peek(state.actor), state.rate);
  }
}

function send(
  res: ServerResponse,
  response: ApiResponse,
  requestId: string,
  fallbackRate: ReturnType<PipelineEnv["rateLimiter"]["peek"]>,
  rate = fallbackRate,
): void {
  const headers: Record<string, string> = {
    "content-type": response.raw?.contentType ?? "application/json; charset=utf-8",
    "x-github-request-id": requestId,
    "x-github-media-type": "github.v3; format=json",
    "x-github-api-version-selected": "2022-11-28",
    "x-ratelimit-limit": String(rate.limit),
    "x-ratelimit-remaining": String(rate.remaining),
    "x-ratelimit-used": String(rate.used),
    "x-ratelimit-reset": String(rate.reset),
    "x-ratelimit-resource": rate.resource,
    ...response.headers,
  };
  const text = response.raw?.text ?? (response.status === 204 || response.body === undefined ? "" : JSON.stringify(response.body));
  res.writeHead(response.status, headers);
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    // The client aborted; whatever arrived is parsed (and most likely rejected) as usual.
  }
  return Buffer.concat(chunks).toString("utf8");
}
