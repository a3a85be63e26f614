import picomatch from "picomatch";
import { parse } from "yaml";
import { WORKFLOWS_DIR, type GitStore } from "./git.js";

/**
 * What the sandbox reads of a workflow file: its name and the events it runs on, with the
 * filters it honours (`types`, `branches`, `branches-ignore`) and `workflow_dispatch` inputs.
 * Jobs are not read: runs are moved along by tests (`sandbox.actions`).
 */
interface WorkflowInput {
  required: boolean;
  default?: unknown;
}

interface Trigger {
  types?: string[];
  branches?: string[];
  branchesIgnore?: string[];
  inputs?: Record<string, WorkflowInput>;
}

export interface WorkflowFile {
  name: string | null;
  runName: string | null;
  on: ReadonlyMap<string, Trigger>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] | undefined {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : undefined;
}

function triggerOf(spec: unknown): Trigger {
  if (!isRecord(spec)) return {};
  const trigger: Trigger = {};
  const types = strings(spec.types);
  const branches = strings(spec.branches);
  const ignored = strings(spec["branches-ignore"]);
  if (types) trigger.types = types;
  if (branches) trigger.branches = branches;
  if (ignored) trigger.branchesIgnore = ignored;
  if (isRecord(spec.inputs)) {
    trigger.inputs = Object.fromEntries(
      Object.entries(spec.inputs).map(([name, input]) => [
        name,
        isRecord(input) ? { required: input.required === true, ...(input.default === undefined ? {} : { default: input.default }) } : { required: false },
      ]),
    );
  }
  return trigger;
}

/** The workflow in a file's text; undefined when it is not YAML or has no `on`. */
export function parseWorkflow(text: string): WorkflowFile | undefined {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(doc)) return undefined;
  const on = new Map<string, Trigger>();
  if (isRecord(doc.on)) for (const [event, spec] of Object.entries(doc.on)) on.set(event, triggerOf(spec));
  else for (const event of strings(doc.on) ?? []) on.set(event, {});
  if (on.size === 0) return undefined;
  return { name: typeof doc.name === "string" ? doc.name : null, runName: typeof doc["run-name"] === "string" ? doc["run-name"] : null, on };
}

/** Whether a branch passes a trigger's `branches` / `branches-ignore` globs (`*` stops at "/", `**` does not). */
export function branchMatches(trigger: Trigger, branch: string): boolean {
  if (trigger.branches && !trigger.branches.some((pattern) => picomatch(pattern, { dot: true })(branch))) return false;
  return !trigger.branchesIgnore?.some((pattern) => picomatch(pattern, { dot: true })(branch));
}

/** GitHub Actions reads only `.github/workflows/*.yml` and `*.yaml` (not subdirectories). */
export function isWorkflowPath(path: string): boolean {
  return path.startsWith(WORKFLOWS_DIR) && !path.slice(WORKFLOWS_DIR.length).includes("/") && /\.ya?ml$/.test(path);
}

/** The workflow files of a commit that parse, by path. */
export function workflowsAt(git: GitStore, commitSha: string): [string, WorkflowFile][] {
  return [...(git.treeOf(commitSha) ?? [])].flatMap(([path, entry]) => {
    if (!isWorkflowPath(path)) return [];
    const file = parseWorkflow(git.blobText(entry.sha) ?? "");
    return file ? [[path, file] as [string, WorkflowFile]] : [];
  });
}
