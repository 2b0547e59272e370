/** Federated workflows on the runtime: the plan read from `federated:`, client transports, the round coordinator. */
export { isFederated, planFederated } from './federated-plan.js';
export type { FederatedPlan, FederatedPlanResult } from './federated-plan.js';
export { headTransport } from './client-transport.js';
export type { ClientRun, ClientTransport } from './client-transport.js';
export { runFederated, vectorHash } from './coordinator.js';
export type { FederatedServices } from './coordinator.js';
