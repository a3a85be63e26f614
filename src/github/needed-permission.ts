/**
 * The permission a 403 says the token lacks, e.g. "issues: write (or pull_requests: write)".
 *
 * GitHub names it for App installation and fine-grained tokens in `x-accepted-github-permissions`:
 * alternative sets separated by ";", the permissions one set needs by "," (e.g.
 * `pull_requests=read,contents=read; issues=read,contents=read`). Classic tokens get no header,
 * so the routes Orkestra calls are listed here too.
 */
export function neededPermission(method: string, path: string, acceptedHeader: string | undefined): string | undefined {
  return (acceptedHeader !== undefined ? fromAcceptedHeader(acceptedHeader) : undefined) ?? fromRoute(method, path);
}

function fromAcceptedHeader(value: string): string | undefined {
  const sets = value
    .split(";")
    .map((set) => set.split(",").map(permissionOf).filter((permission) => permission !== undefined))
    .filter((set) => set.length > 0)
    .map((set) => set.join(" and "));
  const [first, ...others] = sets;
  if (first === undefined) return undefined;
  return others.length > 0 ? `${first} (or ${others.join(", or ")})` : first;
}

/** `issues=write` → `issues: write`; anything else (e.g. `allows_permissionless_access=true`) is not a permission. */
function permissionOf(entry: string): string | undefined {
  const match = /^\s*([a-z_]+)=(read|write|admin)\s*$/.exec(entry);
  return match ? `${match[1]}: ${match[2]}` : undefined;
}

// Not anchored at the start: GitHub Enterprise Server serves the API under /api/v3.
const ROUTE_PERMISSIONS: ReadonlyArray<{ route: RegExp; permission: string }> = [
  // Comments, reactions to them, issue labels and dependencies all live under /issues.
  { route: /\/repos\/[^/]+\/[^/]+\/(issues|labels)(\/|$)/, permission: "issues" },
  // Reviews, files and the diff too.
  { route: /\/repos\/[^/]+\/[^/]+\/pulls(\/|$)/, permission: "pull_requests" },
  { route: /\/repos\/[^/]+\/[^/]+\/check-runs(\/|$)/, permission: "checks" },
  { route: /\/repos\/[^/]+\/[^/]+\/commits\/.+\/check-(runs|suites)$/, permission: "checks" },
  // Dispatching workflows and reading their runs.
  { route: /\/repos\/[^/]+\/[^/]+\/actions\//, permission: "actions" },
  { route: /\/repos\/[^/]+\/[^/]+\/(git|contents)\//, permission: "contents" },
  { route: /\/repos\/[^/]+\/[^/]+\/collaborators\/[^/]+\/permission$/, permission: "metadata" },
  { route: /\/orgs\/[^/]+\/teams\//, permission: "members (organization)" },
];

/** The GraphQL mutations Orkestra sends, by the field a FORBIDDEN error's `path` names. */
const MUTATION_PERMISSIONS: Readonly<Record<string, string>> = {
  markPullRequestReadyForReview: "pull_requests: write",
  convertPullRequestToDraft: "pull_requests: write",
  enablePullRequestAutoMerge: "pull_requests: write",
  pinIssue: "issues: write",
  // The ledger's append and the dashboard's ref move in one request.
  updateRefs: "contents: write",
};

/** The permission a FORBIDDEN GraphQL field needs; undefined for one Orkestra does not send. */
export function neededForGraphqlField(field: string | undefined): string | undefined {
  return field === undefined ? undefined : MUTATION_PERMISSIONS[field];
}

function fromRoute(method: string, path: string): string | undefined {
  const known = ROUTE_PERMISSIONS.find(({ route }) => route.test(path));
  if (!known) return undefined;
  return `${known.permission}: ${method === "GET" || method === "HEAD" ? "read" : "write"}`;
}
