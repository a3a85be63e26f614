/** Agents at work (docs/execution.md): starting, stopping and revising an agent's work on a task. */
export { startAssigned, startWork } from "./start.js";
export { reviseWork, stopWork, taskOfPull } from "./control.js";
