// Quantum calls from sandboxed blocks (`maml.quantum`): the channel protocol, its limits and the head's server.
export { QUANTUM_CALL_FD, CALL_OPS } from './call-messages.js';
export type {
  CallOp,
  CallRequest,
  EncodeRequest,
  CallReply,
  CallError,
  CallErrorCode,
  Evaluation,
} from './call-messages.js';
export { quantumCallLimits, DEFAULT_QUANTUM_CALLS, DEFAULT_QUANTUM_QUBITS } from './call-limits.js';
export type { QuantumCallLimits } from './call-limits.js';
export { quantumPermission } from './quantum-permission.js';
export type { QuantumPermissionResult } from './quantum-permission.js';
export { readRequest } from './read-request.js';
export { evaluate } from './evaluate.js';
export { serveQuantumCalls, MAX_REPLY_BYTES } from './call-server.js';
export type { QuantumCallServer, ServeOptions } from './call-server.js';
