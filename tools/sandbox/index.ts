import { TokenRegistry, unsignedAppJwt } from "./auth.js";
import { addCheckSuite, ciActions, type CheckSuite, type CheckSuiteInput, type SandboxActions } from "./ci.js";
import { EventBus, type DeliveryFaults } from "./events.js";
import { FaultInjector, type FaultSpec } from "./faults.js";
import { validationSteps, type Violation } from "./openapi/steps.js";
import { resolveOptions, ACTIONS_APP_ID, ACTIONS_INSTALLATION_ID, CI_APP_ID, CI_INSTALLATION_ID } from "./options.js";
import { person, type Person } from "./people.js";
import { defaultSteps, insertStep, type NamedStep } from "./pipeline.js";
import { RateLimiter } from "./rate-limit.js";
import { Router } from "./router.js";
import { coreRoutes } from "./routes/index.js";
import { HttpFront } from "./server.js";
import type { ShapeContext } from "./shapes/context.js";
import { stateView, type SandboxState } from "./state.js";
import { Store } from "./store.js";
import type { IntegrationPermissions, RequestLogEntry, Role, SandboxEvent, SandboxEventListener, SandboxOptions } from "./types.js";
import { WebhookSender, type RawWebhook, type WebhookDelivery, type WebhookTarget } from "./webhooks.js";

export type * from "./types.js";
export type {
  Person,
  
  
  
  
  
  
  PullFileInput,
  
  
} from "./people.js";
export { SandboxActionError } from "./people.js";
export type { SandboxActions, CheckSuiteInput, CheckSuite } from "./ci.js";
export type { SandboxState,       } from "./state.js";
export { insertStep, type NamedStep,    } from "./pipeline.js";
export type { Violation } from "./openapi/steps.js";
export type { FaultSpec } from "./faults.js";
export type { DeliveryFaults } from "./events.js";
export {  type WebhookTarget, type WebhookDelivery, type RawWebhook } from "./webhooks.js";
;

/** A fake GitHub for one repository, served over HTTP on 127.0.0.1. */
export interface Sandbox {
  /** http://127.0.0.1:PORT — use as Octokit's baseUrl (or `${url}/api/v3`, the GitHub Enterprise layout). */
  readonly url: string;
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranch: string;
  readonly app: {
    readonly id: number;
    readonly slug: string;
    readonly installationId: number;
    readonly botLogin: string;
    /** The X-GitHub-Hook-ID of its webhook deliveries. */
    readonly hookId: number;
  };
  readonly tokens: {
    /** A GITHUB_TOKEN-style token acting as github-actions[bot]. */
    readonly actions: string;
    /** An installation token of the app, acting as `<slug>[bot]` (same as one from POST …/access_tokens). */
    readonly installation: string;
  };
  /** A person's token (the same login always gets the same token). */
  tokenFor(login: string): string;
  /** A well-formed (unsigned) app JWT for the /app routes; any well-formed JWT is accepted there. */
  appJwt(): string;
  /** Listens to every webhook event; returns a function that stops listening. */
  onEvent(listener: SandboxEventListener): () => void;
  /** Resolves when no event is pending, no listener runs and no request is in flight. */
  settled(): Promise<void>;
  /** Every event emitted so far, in order. */
  readonly deliveries: readonly SandboxEvent[];
  /** Scripted actions of a person (or a bot added with addBot). */
  as(login: string): Person;
  /** Commits a file on a branch (default: the default branch; a new branch starts from it). */
  setFile(path: string, content: string, options?: { ref?: string }): void;
  addCollaborator(login: string, role: Role): void;
  /** GitHub Actions' workflow runs: read them (with their inputs), move them along, see the runs a GITHUB_TOKEN did not start. */
  readonly actions: SandboxActions;
  /** Adds a check suite on a commit (GitHub Actions' unless `app` is "orkestra" or "ci", a third-party CI app), completed when given a conclusion. */
  addCheckSuite(input: CheckSuiteInput): CheckSuite;
  /** Makes `login` a user of type Bot. */
  addBot(login: string): void;
  /**
   * The permissions of the Actions token (`tokens.actions`) from now on, as a job's `permissions:`
   * gives them to its GITHUB_TOKEN: a scope left out is none (metadata is always readable).
   */
  setActionsPermissions(permissions: IntegrationPermissions): void;
  readonly state: SandboxState;
  /** Requests that came over HTTP, in order (faulted ones with their injected status). */
  readonly requests: readonly RequestLogEntry[];
  clearRequests(): void;
  /**
   * Requests that did not fit GitHub's OpenAPI description (answered 404 or 422) and responses
   * of the sandbox that did not; tests assert it is empty.
   */
  readonly violations: readonly Violation[];
  clearViolations(): void;
  /** Makes chosen requests fail (500, 502, 403/429 rate limits) or answer slowly. */
  readonly faults: { inject(spec: FaultSpec): void; clear(): void };
  /** Duplicated or reordered deliveries to every listener and webhook URL; `{}` turns them off. */
  webhookFaults(faults: DeliveryFaults): void;
  /**
   * POSTs every event, one at a time in order, to `url` as GitHub does for a GitHub App (signed
   * with `secret`); `settled()` waits for each answer. Returns a function that stops delivering.
   */
  deliverWebhooks(target: WebhookTarget): () => void;
  /** The HTTP deliveries made so far, with the receivers' status codes. */
  readonly webhookDeliveries: readonly WebhookDelivery[];
  /** Sends one hand-made delivery (e.g. with a wrong signature) and returns the receiver's answer. */
  sendWebhook(raw: RawWebhook): Promise<{ status: number; body: string }>;
  /** Extension seam for sandbox layers (routes, pipeline steps, state); not for Orkestra's code. */
  readonly internals: { store: Store; router: Router; steps: NamedStep[]; bus: EventBus; shapes: ShapeContext };
  close(): Promise<void>;
}

/** Webhook ids of apps are large numbers; this one is derived from the app id so it is stable. */
const HOOK_ID_BASE = 400_000_000;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const opts = resolveOptions(options);
  const store = new Store(opts.clock, {
    repo: { owner: opts.owner, name: opts.repo, private: opts.private, defaultBranch: opts.defaultBranch },
    app: { ...opts.app, name: opts.app.slug },
    actions: { id: ACTIONS_APP_ID, slug: "github-actions", name: "GitHub Actions", installationId: ACTIONS_INSTALLATION_ID, permissions: opts.actionsPermissions },
    ci: { id: CI_APP_ID, slug: "sandbox-ci", name: "Sandbox CI", installationId: CI_INSTALLATION_ID, permissions: { checks: "write", metadata: "read" } },
  });
  store.limits.tree = opts.treeLimits;
  store.actionsCanCreatePullRequests = opts.actionsCanCreatePullRequests;
  store.allowAutoMerge = opts.allowAutoMerge;
  for (const [login, role] of Object.entries(opts.collaborators)) addCollaborator(store, login, role);
  store.git.commitFiles(opts.defaultBranch, opts.files, "Initial commit", opts.defaultBranch);

  const tokens = new TokenRegistry(store);
  const bus = new EventBus();
  const router = new Router();
  router.add(...coreRoutes);
  const shapes: ShapeContext = { store, api: "", html: "" };
  const steps = defaultSteps();
  const faults = new FaultInjector();
  const violations: Violation[] = [];
  const validation = validationSteps(violations, { responses: opts.validateResponses });
  insertStep(steps, faults.step(), { after: "credential-kind" });
  insertStep(steps, validation.route, { before: "require-route" });
  insertStep(steps, validation.response, { after: "require-route" });
  insertStep(steps, validation.request, { before: "handle" });
  const log: RequestLogEntry[] = [];
  const rateLimiter = new RateLimiter(opts.clock, opts.rateLimit, store);
  const front = new HttpFront({ env: { store, shapes, tokens, router, rateLimiter, bus }, steps, log });
  const url = await front.listen(opts.port);
  shapes.api = url;
  shapes.html = opts.htmlBase ?? url;
  const installationToken = tokens.issueInstallationToken();
  const hookId = HOOK_ID_BASE + store.app.id;
  const webhookDeliveries: WebhookDelivery[] = [];
  const webhooks = new WebhookSender({ id: store.app.id, hookId }, webhookDeliveries);

  return {
    url,
    owner: opts.owner,
    repo: opts.repo,
    defaultBranch: opts.defaultBranch,
    app: { id: store.app.id, slug: store.app.slug, installationId: store.app.installationId, botLogin: store.app.botLogin, hookId },
    tokens: { actions: tokens.actions, installation: installationToken },
    tokenFor: (login) => tokens.forPerson(login),
    appJwt: () => unsignedAppJwt(store.app.id, Math.floor(opts.clock.now().getTime() / 1000)),
    onEvent: (listener) => bus.on(listener),
    settled: () => bus.settled(),
    deliveries: bus.log,
    as: (login) => person({ store, shapes, bus }, login),
    setFile(path, content, fileOptions = {}) {
      const branch = (fileOptions.ref ?? opts.defaultBranch).replace(/^refs\/heads\/|^heads\//, "");
      store.git.commitFiles(branch, { [path]: content }, `Update ${path}`, opts.defaultBranch);
    },
    addCollaborator: (login, role) => addCollaborator(store, login, role),
    actions: ciActions({ store, shapes, bus }),
    addCheckSuite: (input) => addCheckSuite({ store, shapes, bus }, input),
    addBot(login) {
      store.user(login, "Bot").type = "Bot";
    },
    setActionsPermissions(permissions) {
      store.actionsApp.permissions = { ...permissions };
    },
    state: stateView(shapes),
    requests: log,
    clearRequests() {
      log.length = 0;
    },
    violations,
    clearViolations() {
      violations.length = 0;
    },
    faults: { inject: (spec) => faults.inject(spec), clear: () => faults.clear() },
    webhookFaults: (deliveryFaults) => bus.setFaults(deliveryFaults),
    deliverWebhooks: (target) => bus.on(webhooks.listener(target)),
    webhookDeliveries,
    sendWebhook: (raw) => webhooks.send(raw),
    internals: { store, router, steps, bus, shapes },
    close: () => front.close(),
  };
}

function addCollaborator(store: Store, login: string, role: Role): void {
  store.roles.set(store.user(login).login.toLowerCase(), role);
}
