/**
 * How long one run may take before what it was doing counts as abandoned: the example workflow's
 * job limit (an agent may work on a task within the run that assigned it). A command comment
 * received longer ago without its final reaction, or a plan left deliberating or half created
 * longer ago, is taken over by the next run.
 */
export const RUN_TIME_LIMIT_MS = 60 * 60_000;
