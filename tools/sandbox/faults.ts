import { setTimeout as sleep } from "node:timers/promises";
import { ApiError, RATE_LIMIT_DOCUMENTATION_URL, type ApiResponse } from "./http.js";
import type { NamedStep, PipelineEnv, RequestState } from "./pipeline.js";

/** What a chosen request answers instead of its real response (faulted requests change nothing). */
export interface FaultSpec {
  /** Only requests with this method (default: any). */
  method?: string;
  /** Only requests matching this route template, e.g. "/repos/{owner}/{repo}/issues" (default: any). */
  route?: string;
  /** The status to answer; without it the request is only slowed down by `delayMs`. */
  status?: 500 | 502 | 403 | 429 | 422;
  /** 422 only: GitHub's message, e.g. "Reference update failed" (a transient refusal of a ref write). */
  message?: string;
  /**
   * The request takes effect and its answer is lost: the client gets `status` (a 5xx) for a write
   * that happened, as when a connection drops after GitHub did the work.
   */
  lost?: boolean;
  /** How many matching requests the fault hits (default 1; Infinity for all). */
  times?: number;
  /**
   * How many matching requests it lets through first (default 0): `{ skip: 2, times: Infinity }`
   * fails the 3rd matching request and every one after. Skipped requests are not counted in `times`.
   */
  skip?: number;
  /** Seconds for the `retry-after` header (403/429). */
  retryAfter?: number;
  /**
   * 403/429 only: a secondary rate limit ("You have exceeded a secondary rate limit…", the default)
   * or, when false, an exhausted primary limit (`x-ratelimit-remaining: 0` and its reset time).
   */
  secondary?: boolean;
  /** Milliseconds to wait before answering (a slow response). */
  delayMs?: number;
}

const SECONDARY_RATE_LIMIT_DOCUMENTATION_URL =
  "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits";

interface ActiveFault extends FaultSpec {
  remaining: number;
  /** Matching requests still to let through before the fault hits. */
  toSkip: number;
}

/** Faults chosen by tests, matched in the order they were injected. */
export class FaultInjector {
  private faults: ActiveFault[] = [];

  /** Requests whose real answer is to be replaced on the way out (a lost answer), with the fault. */
  private readonly losing = new WeakMap<RequestState, FaultSpec>();

  inject(spec: FaultSpec): void {
    if (spec.status === undefined && spec.delayMs === undefined) throw new Error("a fault needs a status or a delayMs");
    if (spec.lost && (spec.status === undefined || spec.status < 500)) throw new Error("a lost answer is a 5xx");
    if (spec.message !== undefined && spec.status !== 422) throw new Error("a message is for a 422");
    if (spec.skip !== undefined && !(Number.isInteger(spec.skip) && spec.skip >= 0)) throw new Error("skip is a whole number of requests");
    this.faults.push({ ...spec, remaining: spec.times ?? 1, toSkip: spec.skip ?? 0 });
  }

  clear(): void {
    this.faults = [];
  }

  /** The pipeline step; it sits after route matching so faults can name route templates. */
  step(): NamedStep {
    return {
      name: "faults",
      run: (state, env) => this.apply(state, env),
      after: (state, _response, env) => {
        const fault = this.losing.get(state);
        return fault?.status === undefined ? undefined : faultResponse(fault, fault.status, state, env);
      },
    };
  }

  private take(state: RequestState): FaultSpec | undefined {
    for (const candidate of this.faults) {
      if (candidate.remaining <= 0) continue;
      if (candidate.method !== undefined && candidate.method.toUpperCase() !== state.method) continue;
      if (candidate.route !== undefined && candidate.route !== state.match?.route.path) continue;
      if (candidate.toSkip > 0) {
        // Let this one through; a fault injected later may still match it.
        candidate.toSkip -= 1;
        continue;
      }
      candidate.remaining -= 1;
      return candidate;
    }
    return undefined;
  }

  private async apply(state: RequestState, env: PipelineEnv): Promise<ApiResponse | undefined> {
    const fault = this.take(state);
    if (!fault) return undefined;
    if (fault.delayMs) await sleep(fault.delayMs);
    if (fault.lost) {
      this.losing.set(state, fault);
      return undefined;
    }
    return fault.status === undefined ? undefined : faultResponse(fault, fault.status, state, env);
  }
}

function faultResponse(fault: FaultSpec, status: NonNullable<FaultSpec["status"]>, state: RequestState, env: PipelineEnv): ApiResponse {
  if (status === 500) return new ApiError(500, "Server Error").toResponse();
  if (status === 422) return new ApiError(422, fault.message ?? "Unprocessable Entity").toResponse();
  if (status === 502) return new ApiError(502, "Server Error").toResponse();
  const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) };
  if (fault.secondary === false && state.actor) {
    // What @octokit/plugin-throttling reads as a primary limit: remaining "0" and the reset time.
    const rate = env.rateLimiter.peek(state.actor);
    const reset = Math.floor(env.store.clock.now().getTime() / 1000) + (fault.retryAfter ?? 60);
    const error = env.rateLimiter.exceeded(state.actor);
    const response = new ApiError(status, error.message, undefined, RATE_LIMIT_DOCUMENTATION_URL).toResponse();
    return {
      ...response,
      headers: { ...headers, "x-ratelimit-remaining": "0", "x-ratelimit-used": String(rate.limit), "x-ratelimit-reset": String(reset) },
    };
  }
  // @octokit/plugin-throttling recognises a secondary limit by /\bsecondary rate\b/ in the message.
  const message =
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
    `If you reach out to GitHub Support for help, please include the request ID ${state.requestId ?? "unknown"}.`;
  return { ...new ApiError(status, message, undefined, SECONDARY_RATE_LIMIT_DOCUMENTATION_URL).toResponse(), headers };
}
