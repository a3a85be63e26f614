import { json } from "../http.js";
import { legacyPermission, NEEDS, personRole, rolePermissions } from "../permissions.js";
import type { Route } from "../router.js";
import type { ShapeContext } from "../shapes/context.js";
import { userShape } from "../shapes/users.js";
import type { Role } from "../types.js";

function collaboratorShape(shapes: ShapeContext, login: string, role: Role | undefined): Record<string, unknown> {
  return { ...userShape(shapes, login), permissions: rolePermissions(role), role_name: role ?? "none" };
}

/**
 * `permission` is the legacy admin/write/read/none (maintain → write, triage → read) and `role_name`
 * the role itself. Someone with no role on a public repository can read it, so GitHub answers read.
 */
export const collaboratorRoutes: Route[] = [
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/collaborators/{username}/permission",
    need: NEEDS.pushAccess,
    handler: ({ params, store, shapes }) => {
      const login = store.user(params.username!).login;
      const role = personRole(store, login);
      return json(200, {
        permission: legacyPermission(role),
        role_name: role ?? "none",
        user: collaboratorShape(shapes, login, role),
      });
    },
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/collaborators",
    need: NEEDS.pushAccess,
    handler: (ctx) => {
      const collaborators = [...ctx.store.roles.entries()].map(([key, role]) => ({ login: ctx.store.user(key).login, role }));
      return ctx.page(collaborators, ({ login, role }) => collaboratorShape(ctx.shapes, login, role));
    },
  },
];
