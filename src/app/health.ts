import type { IncomingMessage, ServerResponse } from "node:http";

/** Where a load balancer, an orchestrator or the Dockerfile's HEALTHCHECK asks whether the App is up. */
export const HEALTH_PATH = "/healthz";

/**
 * Liveness: the process serves HTTP. It asks nothing of GitHub (all state is there, and a probe
 * every few seconds must not spend the App's rate limit). True when it answered the request.
 */
export function healthHandler(req: IncomingMessage, res: ServerResponse): boolean {
  if ((req.method !== "GET" && req.method !== "HEAD") || req.url?.split("?")[0] !== HEALTH_PATH) return false;
  res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(req.method === "HEAD" ? undefined : JSON.stringify({ status: "ok" }));
  return true;
}
