import type { Clock } from "../../src/domain/clock.js";
import { GitStore } from "./git.js";
import { IdSequence, isoSeconds, legacyNodeId } from "./ids.js";
import type { CheckRunRecord, CheckSuiteRecord, PullRecord, ReviewCommentRecord, ReviewRecord } from "./pull-records.js";
import type { RunNotStarted, WorkflowRecord, WorkflowRunRecord } from "./workflow-records.js";
import type { IntegrationPermissions, Role, UserType } from "./types.js";

/** Who performed a change through an app, for `performed_via_github_app`. */
export type ViaApp = "app" | "actions" | null;

export interface UserRecord {
  id: number;
  nodeId: string;
  login: string;
  type: UserType;
  /** For bot users of GitHub Apps: the app's slug (html_url is /apps/<slug>). */
  appSlug?: string;
}

export interface RepoRecord {
  id: number;
  nodeId: string;
  owner: string;
  name: string;
  private: boolean;
  defaultBranch: string;
  createdAt: string;
}

export interface AppRecord {
  id: number;
  nodeId: string;
  slug: string;
  name: string;
  botLogin: string;
  installationId: number;
  installationNodeId: string;
  permissions: IntegrationPermissions;
  createdAt: string;
}

export interface LabelRecord {
  id: number;
  nodeId: string;
  name: string;
  color: string;
  description: string | null;
  isDefault: boolean;
}

/** The issue side of a pull request; pull request routes build on it. */
export interface PullRequestLink {
  mergedAt: string | null;
  draft: boolean;
}

export type StateReason = "completed" | "not_planned" | "reopened" | null;

export interface IssueRecord {
  id: number;
  nodeId: string;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: StateReason;
  author: string;
  /** Label ids in the order they were added (renaming a label renames it everywhere). */
  labelIds: number[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  deleted: boolean;
  via: ViaApp;
  /** Ids of the issues that block this one. */
  blockedBy: number[];
  parentId: number | null;
  subIssueIds: number[];
  pullRequest: PullRequestLink | null;
  /** Pinned to the repository's issue list (GraphQL `pinIssue`). */
  pinned?: boolean;
}

export interface CommentRecord {
  id: number;
  nodeId: string;
  issueNumber: number;
  author: string;
  body: string;
  createdAt: string;
  updatedAt: string;
  via: ViaApp;
}

export const REACTION_CONTENTS = ["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"] as const;
export type ReactionContent = (typeof REACTION_CONTENTS)[number];

export type ReactionSubject = { kind: "comment"; id: number } | { kind: "issue"; number: number };

export interface ReactionRecord {
  id: number;
  nodeId: string;
  subject: ReactionSubject;
  user: string;
  content: ReactionContent;
  createdAt: string;
}

export interface IssueEventRecord {
  id: number;
  nodeId: string;
  issueNumber: number;
  actor: string;
  event: "labeled" | "unlabeled" | "closed" | "reopened";
  createdAt: string;
  label?: { name: string; color: string };
  stateReason?: StateReason;
  via: ViaApp;
}

interface AppInit {
  id: number;
  slug: string;
  name: string;
  installationId: number;
  permissions: IntegrationPermissions;
}

interface StoreInit {
  repo: { owner: string; name: string; private: boolean; defaultBranch: string };
  app: AppInit;
  actions: AppInit;
  /** A third-party CI app that reports check suites. */
  ci: AppInit;
}

/** The whole in-memory state of the sandbox's one repository. */
export class Store {
  readonly ids = new IdSequence();
  readonly users = new Map<string, UserRecord>();
  readonly roles = new Map<string, Role>();
  readonly labels: LabelRecord[] = [];
  readonly issues = new Map<number, IssueRecord>();
  readonly comments = new Map<number, CommentRecord>();
  readonly reactions = new Map<number, ReactionRecord>();
  readonly issueEvents: IssueEventRecord[] = [];
  /** Pull requests by number (their issue side is in `issues`). */
  readonly pulls = new Map<number, PullRecord>();
  readonly reviews = new Map<number, ReviewRecord>();
  readonly reviewComments = new Map<number, ReviewCommentRecord>();
  readonly checkRuns = new Map<number, CheckRunRecord>();
  readonly checkSuites = new Map<number, CheckSuiteRecord>();
  /** Workflows by path. */
  readonly workflows = new Map<string, WorkflowRecord>();
  readonly workflowRuns = new Map<number, WorkflowRunRecord>();
  /** Workflow runs the events of a GITHUB_TOKEN did not start, in order. */
  readonly runsNotStarted: RunNotStarted[] = [];
  /** GitHub's limits of a recursive tree listing, past which it answers `truncated: true`. */
  readonly limits: { tree: { entries: number; bytes: number } } = { tree: { entries: 100_000, bytes: 7 * 1024 * 1024 } };
  /** "Allow GitHub Actions to create and approve pull requests" (off by default, as on GitHub). */
  actionsCanCreatePullRequests = false;
  /** Settings → General → "Allow auto-merge" (`allow_auto_merge`; off by default, as on GitHub). */
  allowAutoMerge = false;
  /** Forks that pull requests came from, by owner login (lower case). */
  readonly forks = new Map<string, RepoRecord>();
  readonly git: GitStore;
  readonly repo: RepoRecord;
  /** The Orkestra GitHub App installed on the repository. */
  readonly app: AppRecord;
  /** The GitHub Actions app, whose bot acts for GITHUB_TOKEN. */
  readonly actionsApp: AppRecord;
  /** A third-party CI app (not GitHub Actions), for check suites a test adds. */
  readonly ciApp: AppRecord;
  private lastNumber = 0;

  constructor(
    readonly clock: Clock,
    init: StoreInit,
  ) {
    this.git = new GitStore(() => this.now());
    this.user(init.repo.owner, "Organization");
    const repoId = this.ids.next();
    this.repo = { ...init.repo, id: repoId, nodeId: legacyNodeId("Repository", repoId), createdAt: this.now() };
    this.app = this.registerApp(init.app);
    this.actionsApp = this.registerApp(init.actions);
    this.ciApp = this.registerApp(init.ci);
  }

  /** The app that owns a check suite. */
  suiteApp(suite: { app: "app" | "actions" | "ci" }): AppRecord {
    return suite.app === "app" ? this.app : suite.app === "ci" ? this.ciApp : this.actionsApp;
  }

  private registerApp(app: AppInit): AppRecord {
    const botLogin = `${app.slug}[bot]`;
    this.user(botLogin, "Bot").appSlug = app.slug;
    return {
      ...app,
      nodeId: legacyNodeId("Integration", app.id),
      botLogin,
      installationNodeId: legacyNodeId("Installation", app.installationId),
      createdAt: this.now(),
    };
  }

  now(): string {
    return isoSeconds(this.clock.now());
  }

  /** Issues and pull requests share one number sequence. */
  nextNumber(): number {
    this.lastNumber += 1;
    return this.lastNumber;
  }

  /** Any login is a user; it is created on first sight. */
  user(login: string, type: UserType = "User"): UserRecord {
    const key = login.toLowerCase();
    const known = this.users.get(key);
    if (known) return known;
    const id = this.ids.next();
    const created: UserRecord = { id, nodeId: legacyNodeId(type === "Bot" ? "Bot" : "User", id), login, type };
    this.users.set(key, created);
    return created;
  }

  roleOf(login: string): Role | undefined {
    return this.roles.get(login.toLowerCase());
  }

  findLabel(name: string): LabelRecord | undefined {
    const wanted = name.toLowerCase();
    return this.labels.find((label) => label.name.toLowerCase() === wanted);
  }

  labelById(id: number): LabelRecord | undefined {
    return this.labels.find((label) => label.id === id);
  }

  issueById(id: number): IssueRecord | undefined {
    for (const issue of this.issues.values()) if (issue.id === id) return issue;
    return undefined;
  }

  liveIssues(): IssueRecord[] {
    return [...this.issues.values()].filter((issue) => !issue.deleted);
  }

  commentsOf(issueNumber: number): CommentRecord[] {
    return [...this.comments.values()].filter((comment) => comment.issueNumber === issueNumber);
  }

  /** The fork of this repository owned by `owner`, created on first use. */
  forkOf(owner: string): RepoRecord {
    const login = this.user(owner).login;
    const known = this.forks.get(login.toLowerCase());
    if (known) return known;
    const id = this.ids.next();
    const fork: RepoRecord = { ...this.repo, id, nodeId: legacyNodeId("Repository", id), owner: login, createdAt: this.now() };
    this.forks.set(login.toLowerCase(), fork);
    return fork;
  }

  reactionsOf(subject: ReactionSubject): ReactionRecord[] {
    return [...this.reactions.values()].filter((reaction) => sameSubject(reaction.subject, subject));
  }
}

function sameSubject(a: ReactionSubject, b: ReactionSubject): boolean {
  if (a.kind === "comment" && b.kind === "comment") return a.id === b.id;
  if (a.kind === "issue" && b.kind === "issue") return a.number === b.number;
  return false;
}
