export { advancePlan, hasPlanningLabel } from "./advance.js";
export { OPEN_STATUSES, planIn, planningLabel, savePlan } from "./store.js";
