// `maml doctor`: what this machine has for running blocks, and the command that fixes what is missing.
export { runDoctor, pythonChecks, toolChecks, gpuCheck, databaseCheck } from './doctor-checks.js';
export type { CheckStatus, DoctorCheck, DoctorEnv } from './doctor-checks.js';
