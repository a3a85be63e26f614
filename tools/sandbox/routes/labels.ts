import { isApiError, noContent } from "../http.js";
import { createLabel, deleteLabel, findLabel, updateLabel } from "../ops/labels.js";
import { NEEDS } from "../permissions.js";
import type { Route } from "../router.js";
import { labelShape } from "../shapes/issues.js";
import { objectBody, respond } from "./respond.js";

/** Repository labels: names are unique ignoring case; colours are six hex digits without '#'. */
export const labelRoutes: Route[] = [
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/labels",
    need: NEEDS.readIssues,
    handler: (ctx) => ctx.page(ctx.store.labels, (label) => labelShape(ctx.shapes, label)),
  },
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/labels",
    need: NEEDS.manageLabels,
    handler: (ctx) => respond(createLabel(ctx.op, objectBody(ctx.body)), 201, (label) => labelShape(ctx.shapes, label)),
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/labels/{name}",
    need: NEEDS.readIssues,
    handler: (ctx) => respond(findLabel(ctx.op, ctx.params.name!), 200, (label) => labelShape(ctx.shapes, label)),
  },
  {
    method: "PATCH",
    path: "/repos/{owner}/{repo}/labels/{name}",
    need: NEEDS.manageLabels,
    handler: (ctx) =>
      respond(updateLabel(ctx.op, ctx.params.name!, objectBody(ctx.body)), 200, (label) => labelShape(ctx.shapes, label)),
  },
  {
    method: "DELETE",
    path: "/repos/{owner}/{repo}/labels/{name}",
    need: NEEDS.manageLabels,
    handler: (ctx) => {
      const deleted = deleteLabel(ctx.op, ctx.params.name!);
      return isApiError(deleted) ? deleted.toResponse() : noContent();
    },
  },
];
