import { PRIORITIES, STATUSES, type Priority, type Status } from "./model.js";

/** A label's name, colour or description as a repository chose it (the `labels:` config). */
interface LabelOverride {
  name?: string | undefined;
  color?: string | undefined;
  description?: string | undefined;
}

/** What the label scheme needs of the `labels:` configuration. */
interface LabelsConfig {
  task: LabelOverride;
  prefixes: { status: string; priority: string; type: string; agent: string };
  status: Partial<Record<Status, LabelOverride>>;
  priority: Partial<Record<Priority, LabelOverride>>;
  type: Record<string, LabelOverride>;
}

export interface LabelSpec {
  name: string;
  color: string;
  description: string;
}

const STATUS_DEFAULTS: Record<Status, [color: string, description: string]> = {
  pending: ["fbca04", "Task waiting for an agent"],
  assigned: ["1d76db", "Task held by an agent"],
  "in-progress": ["0e8a16", "An agent is working on this task"],
  review: ["5319e7", "Task work is under review"],
  blocked: ["b60205", "Task waits for its dependencies"],
  done: ["0e8a16", "Task completed"],
  failed: ["d93f0b", "Task failed after its retries"],
  cancelled: ["cfd3d7", "Task cancelled"],
};

const PRIORITY_DEFAULTS: Record<Priority, [color: string, description: string]> = {
  low: ["c2e0c6", "Low priority"],
  medium: ["fef2c0", "Medium priority"],
  high: ["f9d0c4", "High priority"],
  critical: ["b60205", "Critical priority"],
};

const TYPE_COLORS: Record<string, string> = {
  technical: "0052cc",
  "code-review": "5319e7",
  content: "c5def5",
  research: "d4c5f9",
};

function spec(fallback: LabelSpec, override: LabelOverride | undefined): LabelSpec {
  return {
    name: override?.name ?? fallback.name,
    color: override?.color ?? fallback.color,
    description: override?.description ?? fallback.description,
  };
}

/**
 * Resolves label names from config and reads task facts back from an issue's labels.
 * Matching is case-insensitive, as GitHub's label names are.
 */
export class LabelScheme {
  readonly task: LabelSpec;
  private readonly statusSpecs: Map<Status, LabelSpec>;
  private readonly prioritySpecs: Map<Priority, LabelSpec>;
  private readonly typeSpecs: Map<string, LabelSpec>;

  constructor(
    private readonly config: LabelsConfig,
    types: readonly string[],
  ) {
    const { prefixes } = config;
    this.task = spec({ name: "orkestra:task", color: "5319e7", description: "Managed by Orkestra" }, config.task);
    this.statusSpecs = new Map(
      STATUSES.map((status) => {
        const [color, description] = STATUS_DEFAULTS[status];
        return [status, spec({ name: prefixes.status + status, color, description }, config.status[status])];
      }),
    );
    this.prioritySpecs = new Map(
      PRIORITIES.map((priority) => {
        const [color, description] = PRIORITY_DEFAULTS[priority];
        return [priority, spec({ name: prefixes.priority + priority, color, description }, config.priority[priority])];
      }),
    );
    this.typeSpecs = new Map(
      types.map((type) => [
        type,
        spec(
          { name: prefixes.type + type, color: TYPE_COLORS[type] ?? "bfdadc", description: `Task type: ${type}` },
          config.type[type],
        ),
      ]),
    );
  }

  status(status: Status): LabelSpec {
    return this.statusSpecs.get(status)!;
  }

  priority(priority: Priority): LabelSpec {
    return this.prioritySpecs.get(priority)!;
  }

  type(type: string): LabelSpec | undefined {
    return this.typeSpecs.get(type);
  }

  /** Marks a failed task whose retries ran out and which people were asked to look at. */
  readonly escalated: LabelSpec = {
    name: "orkestra:escalated",
    color: "b60205",
    description: "Retries ran out; a person should decide",
  };

  agent(agent: string): LabelSpec {
    return { name: this.config.prefixes.agent + agent, color: "006b75", description: `Held by agent ${agent}` };
  }

  hasTaskLabel(labels: readonly string[]): boolean {
    return labels.some((label) => same(label, this.task.name));
  }

  /** Statuses whose labels are on the issue, in the order of `labels`. */
  statusesIn(labels: readonly string[]): Status[] {
    return pick(labels, this.statusSpecs);
  }

  prioritiesIn(labels: readonly string[]): Priority[] {
    return pick(labels, this.prioritySpecs);
  }

  typesIn(labels: readonly string[]): string[] {
    return pick(labels, this.typeSpecs);
  }

  agentsIn(labels: readonly string[]): string[] {
    const prefix = this.config.prefixes.agent.toLowerCase();
    return labels.filter((label) => label.toLowerCase().startsWith(prefix)).map((label) => label.slice(prefix.length));
  }

  /** The status/priority/type label a name stands for, if any. */
  classify(
    label: string,
  ): { kind: "status"; value: Status } | { kind: "priority"; value: Priority } | { kind: "type"; value: string } | null {
    const [status] = pick([label], this.statusSpecs);
    if (status) return { kind: "status", value: status };
    const [priority] = pick([label], this.prioritySpecs);
    if (priority) return { kind: "priority", value: priority };
    const [type] = pick([label], this.typeSpecs);
    if (type) return { kind: "type", value: type };
    return null;
  }
}

export function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function pick<K>(labels: readonly string[], specs: Map<K, LabelSpec>): K[] {
  const found: K[] = [];
  for (const label of labels) {
    for (const [key, value] of specs) if (same(label, value.name) && !found.includes(key)) found.push(key);
  }
  return found;
}
