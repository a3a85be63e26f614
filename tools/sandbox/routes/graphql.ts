import { executeGraphql } from "../graphql/execute.js";
import type { Route } from "../router.js";
import { objectBody } from "./respond.js";

/**
 * GitHub's GraphQL endpoint (`/graphql`; `/api/graphql` in the Enterprise layout), which is not
 * in the REST description: its answers are always 200 with `data` and/or `errors`.
 */
export const graphqlRoutes: Route[] = [
  {
    method: "POST",
    path: "/graphql",
    openapi: false,
    counted: false,
    handler: (ctx) => {
      const answer = executeGraphql(ctx.op, objectBody(ctx.body));
      return { status: 200, body: answer.body, ...(answer.unserved ? { unserved: answer.unserved } : {}) };
    },
  },
];
