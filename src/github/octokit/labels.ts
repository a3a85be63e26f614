import { call, orNull } from "../errors.js";
import type { LabelData } from "../port.js";
import type { Connection } from "./client.js";

export async function addLabels({ octokit, repo }: Connection, issue: number, names: string[]): Promise<LabelData[]> {
  const { data } = await call(octokit.rest.issues.addLabels({ ...repo, issue_number: issue, labels: names }));
  return data.map((label) => ({ name: label.name, color: label.color, description: label.description }));
}

export async function removeLabel({ octokit, repo }: Connection, issue: number, name: string): Promise<void> {
  await orNull(octokit.rest.issues.removeLabel({ ...repo, issue_number: issue, name }));
}

export async function updateLabel({ octokit, repo }: Connection, name: string, spec: { color: string; description: string }): Promise<void> {
  await call(octokit.rest.issues.updateLabel({ ...repo, name, ...spec }));
}
