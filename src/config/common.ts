import { z } from "zod";

export const PERMISSION_LEVELS = ["read", "triage", "write", "maintain", "admin"] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];
export const permissionLevelSchema = z.enum(PERMISSION_LEVELS);

/** A GitHub login or `org/team`, with or without the leading `@`; stored without it. */
export const handleSchema = z
  .string()
  .regex(/^@?[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9_.-]+)?$/, "a GitHub login or org/team")
  .transform((value) => value.replace(/^@/, ""));

/** Duration like `30m`, `48h`, `2d`, `1w`. */
export const durationSchema = z.string().regex(/^\d+(m|h|d|w)$/, "a duration like 30m, 48h, 2d or 1w");
