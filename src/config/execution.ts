/**
 * The `execution:` section of `.github/orkestra.yml`: whether assigned tasks become agent work,
 * which task types, how (API tool loop or CLI worker), and the limits Orkestra's safe-output check
 * holds every change set to. Off by default: nothing runs until a repository opts in.
 */
import { z } from "zod";
import type { SafeOutputRules } from "../domain/execution/safe-outputs.js";

const typeName = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case words joined by dashes");

const globSchema = z
  .string()
  .min(1)
  .refine((glob) => !glob.startsWith("/"), "globs are relative to the repository root: drop the leading `/`")
  .refine((glob) => !glob.includes("\\"), "globs use `/` between directories, not `\\`");

const limitsSchema = z
  .object({
    maxTurns: z.number().int().min(1).max(500).default(30).describe("Most tool-loop turns (model calls) one attempt may take in API mode."),
    maxTokens: z.number().int().min(1000).default(400_000).describe("Most tokens (input + output) one attempt may use."),
    maxCostUsd: z.number().positive().default(5).describe("Most estimated USD one attempt may spend."),
    maxFilesChanged: z.number().int().min(1).default(50).describe("Most files one change set may touch (deletions count); more are refused."),
    maxBytesChanged: z.number().int().min(1).default(500_000).describe("Most bytes of new content one change set may hold."),
    maxFileBytes: z.number().int().min(1).default(200_000).describe("Most bytes one changed file may hold."),
  })
  .strict()
  .superRefine((limits, ctx) => {
    if (limits.maxFileBytes > limits.maxBytesChanged) {
      ctx.addIssue({
        code: "custom",
        path: ["maxFileBytes"],
        message: `must not exceed maxBytesChanged (${limits.maxBytesChanged}): one file cannot hold more than the whole change set`,
      });
    }
  });

const workerSchema = z
  .object({
    workflow: z
      .string()
      .regex(/^[A-Za-z0-9._-]+\.ya?ml$/, "a workflow file name in .github/workflows, such as orkestra-worker.yml")
      .default("orkestra-worker.yml")
      .describe("The worker workflow Orkestra dispatches (workflow_dispatch) in CLI mode."),
    ref: z
      .string()
      .regex(/^[^\s~^:?*[\\]+$/, "a branch or tag name")
      .nullable()
      .default(null)
      .describe("Branch or tag the worker workflow runs from; null uses the default branch."),
  })
  .strict();

export const executionConfigSchema = z
  .object({
    enabled: z.boolean().default(false).describe("Let agents work on assigned tasks. Off by default: nothing runs until a repository opts in."),
    types: z
      .array(typeName)
      .default(["technical"])
      .describe("Task types an agent works on by changing files: the work ends in a branch and a draft pull request."),
    resultTypes: z
      .array(typeName)
      .default(["research", "content"])
      .describe("Task types whose work ends in one result comment on the issue instead of files."),
    mode: z
      .enum(["api", "cli", "auto"])
      .default("auto")
      .describe(
        "`api`: Orkestra runs the agent's tool loop over its API (no checkout); `cli`: a coding CLI edits a checkout in the worker workflow; `auto`: API mode for agents with an API key, CLI mode for CLI agents.",
      ),
    limits: limitsSchema.prefault({}).describe("Limits on one attempt and on the change set it produces."),
    protectedPaths: z
      .array(globSchema)
      .default([])
      .describe(
        "Globs agents may never change (picomatch, dotfiles included; without `/` a glob matches the file name anywhere). `.github/workflows/**` is always protected and need not be listed; `.github/actions/**` and `CODEOWNERS` are good candidates.",
      ),
    allowBinary: z.boolean().default(false).describe("Let agents write binary files (content with a NUL byte or not UTF-8)."),
    maxRounds: z.number().int().min(1).max(20).default(3).describe("Review rounds per attempt before the attempt counts as failed."),
    trustedAuthorsOnly: z
      .boolean()
      .default(true)
      .describe("Work only on issues whose author, or the person who assigned the task, has write permission on the repository."),
    worker: workerSchema.prefault({}).describe("The Actions workflow that runs CLI agents."),
    mergeMethod: z
      .enum(["merge", "squash", "rebase"])
      .default("squash")
      .describe("How GitHub's auto-merge merges an agent's pull request under `autonomy: full` (the repository must allow the method and auto-merge)."),
  })
  .strict()
  .superRefine((execution, ctx) => {
    for (const [index, type] of execution.resultTypes.entries()) {
      if (execution.types.includes(type)) {
        ctx.addIssue({
          code: "custom",
          path: ["resultTypes", index],
          message: `\`${type}\` is also in execution.types: a task type ends either in a pull request or in a result comment`,
        });
      }
    }
  });

type ExecutionConfig = z.infer<typeof executionConfigSchema>;

/**
 * The safe-output rules for the domain's check. `secrets` are the agents' keys the caller knows;
 * they live in the environment, never in the configuration.
 */
export function safeOutputRules(execution: ExecutionConfig, secrets: readonly string[]): SafeOutputRules {
  return {
    protectedPaths: execution.protectedPaths,
    allowBinary: execution.allowBinary,
    maxFiles: execution.limits.maxFilesChanged,
    maxBytes: execution.limits.maxBytesChanged,
    maxFileBytes: execution.limits.maxFileBytes,
    secrets,
  };
}
