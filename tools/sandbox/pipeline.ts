import type { IncomingHttpHeaders } from "node:http";
import { credentialOf, isWellFormedJwt, type Actor, type TokenRegistry } from "./auth.js";
import type { EventBus } from "./events.js";
import { ApiError, badCredentials, badRequest, json, notFound, type ApiResponse } from "./http.js";
import { makeEmitter } from "./ops/context.js";
import { paginate } from "./pagination.js";
import { authorize, canSeeRepo } from "./permissions.js";
import type { RateLimiter, RateLimitState } from "./rate-limit.js";
import type { RouteContext, RouteMatch, Router } from "./router.js";
import type { ShapeContext } from "./shapes/context.js";
import type { Store } from "./store.js";
import type { SandboxEvent } from "./types.js";

/** Everything known about one request as it goes through the pipeline. */
export interface RequestState {
  /** The x-github-request-id the response carries. */
  requestId?: string;
  method: string;
  /** The absolute URL as requested (prefix included). */
  url: URL;
  /** "/api/v3" when the request used the GitHub Enterprise layout, else "". */
  prefix: string;
  /** The path without the prefix. */
  path: string;
  headers: IncomingHttpHeaders;
  bodyText: string;
  body: unknown;
  actor?: Actor;
  match?: RouteMatch;
  rate?: RateLimitState;
  /** Events caused by this request, delivered after its response is sent. */
  events: SandboxEvent[];
}

export interface PipelineEnv {
  store: Store;
  shapes: ShapeContext;
  tokens: TokenRegistry;
  router: Router;
  rateLimiter: RateLimiter;
  bus: EventBus;
}

/** A step answers the request (ending the pipeline) or returns undefined to pass it on. */
export type Step = (state: RequestState, env: PipelineEnv) => ApiResponse | undefined | Promise<ApiResponse | undefined>;

/** Sees (and may replace) the response of the step that answered, if that step came after this one. */
export type AfterStep = (state: RequestState, response: ApiResponse, env: PipelineEnv) => ApiResponse | undefined | Promise<ApiResponse | undefined>;

export interface NamedStep {
  name: string;
  run: Step;
  /** Runs on the way out, innermost first, like middleware unwinding (e.g. response validation). */
  after?: AfterStep;
}

const parseBody: Step = (state) => {
  if (state.bodyText.trim() === "") return undefined;
  try {
    state.body = JSON.parse(state.bodyText);
  } catch {
    return badRequest("Problems parsing JSON").toResponse();
  }
  return undefined;
};

const authenticate: Step = (state, env) => {
  const credential = credentialOf(state.headers.authorization);
  if (!credential) return badCredentials().toResponse();
  if (isWellFormedJwt(credential)) {
    state.actor = { kind: "app", login: env.store.app.slug, type: "Bot" };
    return undefined;
  }
  state.actor = env.tokens.resolve(credential);
  return state.actor ? undefined : badCredentials().toResponse();
};

const matchRoute: Step = (state, env) => {
  state.match = env.router.match(state.method, state.path);
  return undefined;
};

/** App JWTs open only the /app routes; those routes take nothing else. */
const checkCredentialKind: Step = (state) => {
  const route = state.match?.route;
  if (!route || !state.actor) return undefined;
  const isJwt = state.actor.kind === "app";
  if (route.auth === "jwt" && !isJwt) {
    return new ApiError(401, "A JSON web token could not be decoded").toResponse();
  }
  if (route.auth !== "jwt" && isJwt) return badCredentials().toResponse();
  return undefined;
};

const rateLimit: Step = (state, env) => {
  const actor = state.actor;
  if (!actor || actor.kind === "app") return undefined;
  if (state.match?.route.counted === false) {
    state.rate = env.rateLimiter.peek(actor);
    return undefined;
  }
  const { state: rate, error } = env.rateLimiter.consume(actor);
  state.rate = rate;
  return error?.toResponse();
};

const requireRoute: Step = (state) => (state.match ? undefined : notFound().toResponse());

/** /repos/{owner}/{repo}/… must name the sandbox's repository, which outsiders of a private one cannot see. */
const checkRepository: Step = (state, env) => {
  const params = state.match?.params ?? {};
  if (params.owner === undefined || params.repo === undefined) return undefined;
  const { owner, name } = env.store.repo;
  const sameRepo = params.owner.toLowerCase() === owner.toLowerCase() && params.repo.toLowerCase() === name.toLowerCase();
  if (!sameRepo || !state.actor || !canSeeRepo(env.store, state.actor)) return notFound().toResponse();
  return undefined;
};

const authorizeRoute: Step = (state, env) => {
  const need = state.match?.route.need;
  if (!need || !state.actor) return undefined;
  return authorize(env.store, state.actor, need)?.toResponse();
};

const handle: Step = async (state, env) => {
  const { match, actor } = state;
  if (!match || !actor) return notFound().toResponse();
  const ctx: RouteContext = {
    params: match.params,
    query: state.url.searchParams,
    url: state.url,
    body: state.body,
    headers: state.headers,
    actor,
    store: env.store,
    shapes: env.shapes,
    tokens: env.tokens,
    rateLimiter: env.rateLimiter,
    op: {
      store: env.store,
      shapes: env.shapes,
      actor,
      emit: makeEmitter(env.shapes, actor, (name, payload) => state.events.push(env.bus.create(name, payload, actor))),
    },
    page(items, shape): ApiResponse {
      const { items: pageItems, link } = paginate(items, state.url.searchParams, state.url);
      return json(200, pageItems.map(shape), link ? { link } : undefined);
    },
  };
  return match.route.handler(ctx);
};

/**
 * The request pipeline, in order. Later layers (request/response validation, fault injection,
 * secondary rate limits) insert their steps by name with `insertStep`.
 */
export function defaultSteps(): NamedStep[] {
  return [
    { name: "parse-body", run: parseBody },
    { name: "authenticate", run: authenticate },
    { name: "match-route", run: matchRoute },
    { name: "credential-kind", run: checkCredentialKind },
    { name: "rate-limit", run: rateLimit },
    { name: "require-route", run: requireRoute },
    { name: "repository", run: checkRepository },
    { name: "authorize", run: authorizeRoute },
    { name: "handle", run: handle },
  ];
}

export function insertStep(steps: NamedStep[], step: NamedStep, position: { before: string } | { after: string }): void {
  const anchor = "before" in position ? position.before : position.after;
  const index = steps.findIndex((candidate) => candidate.name === anchor);
  if (index < 0) throw new Error(`no pipeline step named ${anchor}`);
  steps.splice("before" in position ? index : index + 1, 0, step);
}

export async function runPipeline(steps: readonly NamedStep[], state: RequestState, env: PipelineEnv): Promise<ApiResponse> {
  let response: ApiResponse | undefined;
  let answeredAt = steps.length - 1;
  for (const [index, step] of steps.entries()) {
    response = await step.run(state, env);
    if (response) {
      answeredAt = index;
      break;
    }
  }
  response ??= notFound().toResponse();
  for (let index = answeredAt; index >= 0; index -= 1) {
    response = (await steps[index]!.after?.(state, response, env)) ?? response;
  }
  return response;
}
