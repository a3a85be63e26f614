import { TokenRegistry, unsignedAppJwt } from "./auth.js";
import { EventBus } from "./events.js";
import { resolveOptions, ACTIONS_APP_ID, ACTIONS_INSTALLATION_ID } from "./options.js";
import { person, type Person } from "./people.js";
import { defaultSteps, type NamedStep } from "./pipeline.js";
import { RateLimiter } from "./rate-limit.js";
import { Router } from "./router.js";
import { coreRoutes } from "./routes/index.js";
import { HttpFront } from "./server.js";
import type { ShapeContext } from "./shapes/context.js";
import { stateView, type SandboxState } from "./state.js";
import { Store } from "./store.js";
import type { RequestLogEntry, Role, SandboxEvent, SandboxEventListener, SandboxOptions } from "./types.js";

export type * from "./types.js";
export type { Person, Issue, IssueComment, Label } from "./people.js";
export { SandboxActionError } from "./people.js";
export type { SandboxState, Reaction, IssueEvent, GitRef } from "./state.js";
export { insertStep, type NamedStep, type Step, type RequestState } from "./pipeline.js";
export type { Route, RouteContext } from "./router.js";

/** A fake GitHub for one repository, served over HTTP on 127.0.0.1. */
export interface Sandbox {
  /** http://127.0.0.1:PORT — use as Octokit's baseUrl (or `${url}/api/v3`, the GitHub Enterprise layout). */
  readonly url: string;
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranch: string;
  readonly app: { readonly id: number; readonly slug: string; readonly installationId: number; readonly botLogin: string };
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
  /** Makes `login` a user of type Bot. */
  addBot(login: string): void;
  readonly state: SandboxState;
  /** Requests that came over HTTP, in order. */
  readonly requests: readonly RequestLogEntry[];
  clearRequests(): void;
  /** Extension seam for sandbox layers (routes, pipeline steps, state); not for Orkestra's code. */
  readonly internals: { store: Store; router: Router; steps: NamedStep[]; bus: EventBus; shapes: ShapeContext };
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const opts = resolveOptions(options);
  const store = new Store(opts.clock, {
    repo: { owner: opts.owner, name: opts.repo, private: opts.private, defaultBranch: opts.defaultBranch },
    app: { ...opts.app, name: opts.app.slug },
    actions: { id: ACTIONS_APP_ID, slug: "github-actions", name: "GitHub Actions", installationId: ACTIONS_INSTALLATION_ID, permissions: opts.actionsPermissions },
  });
  for (const [login, role] of Object.entries(opts.collaborators)) addCollaborator(store, login, role);
  store.git.commitFiles(opts.defaultBranch, opts.files, "Initial commit", opts.defaultBranch);

  const tokens = new TokenRegistry(store);
  const bus = new EventBus();
  const router = new Router();
  router.add(...coreRoutes);
  const shapes: ShapeContext = { store, api: "", html: "" };
  const steps = defaultSteps();
  const log: RequestLogEntry[] = [];
  const rateLimiter = new RateLimiter(opts.clock, opts.rateLimit, store);
  const front = new HttpFront({ env: { store, shapes, tokens, router, rateLimiter, bus }, steps, log });
  const url = await front.listen(opts.port);
  shapes.api = url;
  shapes.html = url;
  const installationToken = tokens.issueInstallationToken();

  return {
    url,
    owner: opts.owner,
    repo: opts.repo,
    defaultBranch: opts.defaultBranch,
    app: { id: store.app.id, slug: store.app.slug, installationId: store.app.installationId, botLogin: store.app.botLogin },
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
    addBot(login) {
      store.user(login, "Bot").type = "Bot";
    },
    state: stateView(shapes),
    requests: log,
    clearRequests() {
      log.length = 0;
    },
    internals: { store, router, steps, bus, shapes },
    close: () => front.close(),
  };
}

function addCollaborator(store: Store, login: string, role: Role): void {
  store.roles.set(store.user(login).login.toLowerCase(), role);
}
