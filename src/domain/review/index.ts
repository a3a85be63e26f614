/** The pure core of multi-agent pull-request reviews (see docs/review.md). */
export * from "./check-run.js";
export * from "./commentable.js";
export * from "./diff.js";
export * from "./filter.js";
export * from "./findings.js";
export * from "./markdown.js";
export * from "./overlap.js";
export * from "./pack.js";
export * from "./pipeline.js";
export * from "./policy.js";
export * from "./rank.js";
export * from "./render.js";
export * from "./review-marker.js";
export * from "./schema.js";
export * from "./select.js";
export * from "./unified-diff.js";
export * from "./units.js";
