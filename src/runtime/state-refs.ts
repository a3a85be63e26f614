import type { GitHubPort } from "../github/port.js";
import type { RunReport } from "./context.js";

/**
 * Orkestra's repository-wide state refs live under one prefix, so a run learns all of them with
 * the one read it makes anyway to know whether Orkestra is paused (`GET …/git/matching-refs/
 * orkestra/state/`, a single small page): the pause, and the head of the decision ledger that the
 * run appends to at its end. A sweep learns them from its listing of `refs/orkestra/`.
 */
export const STATE_PREFIX = "orkestra/state/";
export const PAUSE_REF = `${STATE_PREFIX}paused`;
export const LEDGER_REF = `${STATE_PREFIX}ledger`;

interface StateRefs {
  /** The pause's commit; null when Orkestra is not paused. */
  paused: string | null;
  /** The ledger's newest commit; null before the first entry. */
  ledger: string | null;
}

/** The state refs as found in one run, keyed by the run's report (shared by every copy of its context). */
const known = new WeakMap<RunReport, Promise<StateRefs>>();

function fromListing(refs: readonly { ref: string; sha: string }[]): StateRefs {
  const sha = (name: string) => refs.find(({ ref }) => ref === name)?.sha ?? null;
  return { paused: sha(PAUSE_REF), ledger: sha(LEDGER_REF) };
}

/** Reads the state refs once per run (one request); a failed read is not remembered. */
export function stateRefs(github: Pick<GitHubPort, "matchingRefs">, report: RunReport): Promise<StateRefs> {
  let refs = known.get(report);
  if (!refs) {
    refs = github.matchingRefs(STATE_PREFIX).then(fromListing);
    refs.catch(() => known.delete(report));
    known.set(report, refs);
  }
  return refs;
}

/** What a listing the run made anyway (the sweep's, of `refs/orkestra/`) says: no request. */
export function stateRefsFromListing(report: RunReport, refs: readonly { ref: string; sha: string }[]): StateRefs {
  const state = fromListing(refs);
  known.set(report, Promise.resolve(state));
  return state;
}

/** After this run moved a state ref itself (a pause, a ledger append): later readers see it without asking. */
export function rememberStateRef(report: RunReport, name: keyof StateRefs, sha: string | null): void {
  const current = known.get(report);
  // Not read yet: the next reader asks GitHub, and sees this write there.
  if (current) known.set(report, current.then((refs) => ({ ...refs, [name]: sha })));
}
