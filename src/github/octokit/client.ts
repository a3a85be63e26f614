import type { Octokit } from "@octokit/rest";
import type { RepoRef } from "../../domain/task/dependencies.js";

/** The part of an Octokit client Orkestra uses (Probot's and @actions/github's both fit). */
export type OctokitClient = Pick<Octokit, "rest" | "paginate" | "request" | "hook" | "graphql">;

/** What every per-resource function needs: the client, the repository, and Orkestra's own login. */
export interface Connection {
  octokit: OctokitClient;
  repo: RepoRef;
  /** Orkestra's login, asked for on first need (a sweep that reads no comment never asks). */
  self: () => Promise<string | undefined>;
}
