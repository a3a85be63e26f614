import type { Route } from "../router.js";
import { actionsRoutes } from "./actions.js";
import { checkRunRoutes } from "./check-runs.js";
import { collaboratorRoutes } from "./collaborators.js";
import { commentRoutes } from "./comments.js";
import { commitRoutes } from "./commits.js";
import { contentsRoutes } from "./contents.js";
import { gitRoutes } from "./git.js";
import { graphqlRoutes } from "./graphql.js";
import { issueLabelRoutes } from "./issue-labels.js";
import { issueRoutes } from "./issues.js";
import { labelRoutes } from "./labels.js";
import { metaRoutes } from "./meta.js";
import { pullRoutes } from "./pulls.js";
import { reactionRoutes } from "./reactions.js";
import { relationRoutes } from "./relations.js";
import { reviewRoutes } from "./reviews.js";
import { reviewCommentRoutes } from "./review-comments.js";

/** Every route the sandbox serves (each at "/" and at "/api/v3"; GraphQL at "/graphql" and "/api/graphql"). */
export const coreRoutes: readonly Route[] = [
  ...metaRoutes,
  ...contentsRoutes,
  ...collaboratorRoutes,
  ...labelRoutes,
  ...issueRoutes,
  ...issueLabelRoutes,
  ...commentRoutes,
  ...reactionRoutes,
  ...relationRoutes,
  ...gitRoutes,
  ...commitRoutes,
  ...pullRoutes,
  ...reviewRoutes,
  ...reviewCommentRoutes,
  ...checkRunRoutes,
  ...actionsRoutes,
  ...graphqlRoutes,
];
