import type { IncomingHttpHeaders } from "node:http";
import type { Actor, TokenRegistry } from "./auth.js";
import type { ApiResponse } from "./http.js";
import type { OpContext } from "./ops/context.js";
import type { Need } from "./permissions.js";
import type { RateLimiter } from "./rate-limit.js";
import type { ShapeContext } from "./shapes/context.js";
import type { Store } from "./store.js";

/** What a route handler gets for one request. */
export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The absolute URL as requested (for Link headers). */
  url: URL;
  body: unknown;
  headers: IncomingHttpHeaders;
  actor: Actor;
  store: Store;
  shapes: ShapeContext;
  tokens: TokenRegistry;
  rateLimiter: RateLimiter;
  /** Operations run with this request's actor; their events are delivered after the response. */
  op: OpContext;
  /** One page of `items` (per_page/page from the query) with GitHub's Link header. */
  page<T>(items: readonly T[], shape: (item: T) => unknown): ApiResponse;
}

export type RouteHandler = (ctx: RouteContext) => ApiResponse | Promise<ApiResponse>;

export interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** OpenAPI-style template, e.g. "/repos/{owner}/{repo}/issues/{issue_number}". */
  path: string;
  handler: RouteHandler;
  /** "jwt": only an app JWT is accepted (the /app routes); default: a user, installation or Actions token. */
  auth?: "jwt" | "token";
  /** Checked before the handler runs; handlers check finer rules (e.g. "the author may edit"). */
  need?: Need;
  /** The last parameter takes the rest of the path, slashes included (file paths, git refs). */
  tail?: boolean;
  /** False for routes GitHub does not count against the rate limit (GET /rate_limit, GraphQL's own budget). */
  counted?: boolean;
  /**
   * False for a route GitHub's REST description lacks (POST /graphql): the OpenAPI subset leaves
   * it out and requests and responses are not checked against it; its handler checks its input.
   */
  openapi?: false;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
  /** "GET /repos/{owner}/{repo}/issues" */
  template: string;
}

interface Compiled {
  route: Route;
  segments: { literal?: string; param?: string }[];
  literals: number;
}

/** Parameters named *_number or *_id are integers on GitHub; anything else there is a 404. */
const NUMERIC_PARAM = /(_number|_id)$/;
/** …except these, which take a name too (a workflow's file name). */
const NAME_OR_ID = new Set(["workflow_id"]);

/** One table of routes; the most specific template wins (literal segments before parameters). */
export class Router {
  private readonly compiled: Compiled[] = [];

  add(...routes: Route[]): void {
    for (const route of routes) {
      const segments = route.path
        .split("/")
        .filter(Boolean)
        .map((part) => (/^\{\w+\}$/.test(part) ? { param: part.slice(1, -1) } : { literal: part }));
      this.compiled.push({ route, segments, literals: segments.filter((s) => s.literal).length });
    }
    this.compiled.sort((a, b) => b.literals - a.literals);
  }

  routes(): Route[] {
    return this.compiled.map((entry) => entry.route);
  }

  match(method: string, rawPath: string): RouteMatch | undefined {
    const parts = rawPath.split("/").filter(Boolean);
    for (const entry of this.compiled) {
      if (entry.route.method !== method) continue;
      const params = matchSegments(entry, parts);
      if (params) return { route: entry.route, params, template: `${entry.route.method} ${entry.route.path}` };
    }
    return undefined;
  }
}

function matchSegments(entry: Compiled, parts: string[]): Record<string, string> | undefined {
  const { segments, route } = entry;
  if (route.tail ? parts.length < segments.length : parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const isLast = index === segments.length - 1;
    const raw = route.tail && isLast ? parts.slice(index).join("/") : parts[index]!;
    const value = safeDecode(raw);
    if (value === undefined) return undefined;
    if (segment.literal !== undefined) {
      if (segment.literal !== value) return undefined;
    } else if (segment.param) {
      if (NUMERIC_PARAM.test(segment.param) && !NAME_OR_ID.has(segment.param) && !/^\d+$/.test(value)) return undefined;
      params[segment.param] = value;
    }
  }
  return params;
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
