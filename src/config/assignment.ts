import { z } from "zod";

export const assignmentConfigSchema = z
  .object({
    auto: z
      .boolean()
      .default(true)
      .describe("The scheduled sweep assigns ready `pending` tasks to the best agent; when false only `/assign` does."),
    leaseMinutes: z
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60)
      .default(120)
      .describe("How long a task stays held without activity on it (or its pull request) before its lock is stale."),
    maxPerAgent: z.number().int().min(1).max(100).default(2).describe("Most tasks one agent holds at a time."),
    maxInProgress: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(10)
      .describe("Most tasks held by all agents together (`assigned`, `in-progress` or `review`)."),
    maxRetries: z
      .number()
      .int()
      .min(0)
      .max(20)
      .default(3)
      .describe("Attempts after the first that a stuck or failed task gets before it is marked failed and escalated."),
    backoffMinutes: z
      .number()
      .int()
      .min(1)
      .default(15)
      .describe("Wait before the first retry; each further retry waits twice as long."),
    maxBackoffMinutes: z.number().int().min(1).default(24 * 60).describe("Longest wait between retries."),
    workloadPenalty: z
      .number()
      .min(0)
      .max(50)
      .default(10)
      .describe("Points taken off an agent's score for each task it already holds, to spread the load."),
  })
  .strict();

export const sweepConfigSchema = z
  .object({
    intervalMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15)
      .describe(
        "How often the Probot app runs the sweep. The Action runs it on its workflow's `schedule` and looks back over two of the schedule's longest gaps (at least two of these intervals) for issues whose making failed.",
      ),
    requestShare: z
      .number()
      .min(0.01)
      .max(1)
      .default(0.1)
      .describe(
        "Most of the token's hourly GitHub request budget one sweep may spend, as a share: 0.1 is 100 of a job token's 1,000 an hour, 500 of an App's 5,000. A sweep that reaches it stops, says what it did not reach, and the next one continues where it stopped.",
      ),
    rateLimitFloor: z
      .number()
      .int()
      .min(0)
      .default(100)
      .describe("The sweep also stops, and says what it did not reach, when fewer GitHub requests than this remain this hour (other workflows and events share them)."),
  })
  .strict();
