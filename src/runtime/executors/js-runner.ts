/**
 * What JavaScript and TypeScript blocks share: a separate Node process in the sandbox, the block loaded as an ES
 * module (top-level await works) after a runner that installs the global `maml` object (`maml.inputs`,
 * `maml.output`, and `maml.quantum` calls over the head's channel, docs/quantum-calls.md).
 */
import type { TaskResult, TaskSpec } from '../task-spec.js';
import type { ExecutorContext } from './executor.js';
import { runScript } from './script-runner.js';

const RUNNER = `import { readFileSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
const [inputsPath, blockPath] = process.argv.slice(2);
const report = (line) => {
  const data = Buffer.from(line + '\\n');
  for (let off = 0; off < data.length; ) off += writeSync(3, data, off);
};
class QuantumError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'QuantumError';
    this.code = code;
  }
}
// maml.quantum: requests as JSON lines on the call channel (MAML_QUANTUM_FD), answers matched by id. The socket
// holds the event loop only while a call is waiting, so a block that has finished can exit.
const quantumFd = process.env.MAML_QUANTUM_FD;
let channel;
let nextId = 0;
let buffered = '';
let closedError;
const waiting = new Map();
function failAll(error) {
  closedError = error;
  for (const { reject } of waiting.values()) reject(error);
  waiting.clear();
}
function open() {
  if (channel) return channel;
  channel = new Socket({ fd: Number(quantumFd), readable: true, writable: true });
  channel.setEncoding('utf8');
  channel.unref();
  channel.on('data', (text) => {
    buffered += text;
    for (let nl = buffered.indexOf('\\n'); nl >= 0; nl = buffered.indexOf('\\n')) {
      const reply = JSON.parse(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      if (reply.id === null || reply.id === undefined) {
        failAll(new QuantumError(reply.error?.code ?? 'unknown', reply.error?.message ?? 'quantum call failed'));
        continue;
      }
      const call = waiting.get(reply.id);
      if (!call) continue;
      waiting.delete(reply.id);
      if (waiting.size === 0) channel.unref();
      if (reply.ok) call.resolve(reply.results);
      else call.reject(new QuantumError(reply.error?.code ?? 'unknown', reply.error?.message ?? 'quantum call failed'));
    }
  });
  channel.on('error', (error) => failAll(new QuantumError('channel_closed', 'the quantum-call channel failed: ' + error.message)));
  channel.on('close', () => failAll(closedError ?? new QuantumError('channel_closed', 'the gateway closed the quantum-call channel')));
  return channel;
}
function call(op, qasm, bindings, extra) {
  return send({ op, qasm, bindings, ...extra });
}
function send(request) {
  if (!quantumFd)
    return Promise.reject(
      new QuantumError(
        'unavailable',
        'maml.quantum is not available to this block: ' +
          (process.env.MAML_QUANTUM === 'denied' ? "the document's permissions.quantum is false" : 'it runs without a call channel'),
      ),
    );
  if (closedError) return Promise.reject(closedError);
  const socket = open();
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    socket.ref();
    socket.write(JSON.stringify({ ...request, id }) + '\\n');
  });
}
const isSingle = (observables) => typeof observables === 'string' || !Array.isArray(observables);
const listOf = (observables) => (isSingle(observables) ? [observables] : observables);
const quantum = Object.freeze({
  QuantumError,
  async angleEncoding(features, { rotation = 'ry' } = {}) {
    return (await send({ op: 'encode', encoding: 'angle', features, rotation }))[0];
  },
  async amplitudeEncoding(values) {
    return (await send({ op: 'encode', encoding: 'amplitude', features: values }))[0];
  },
  async run(qasm, { bindings = {}, shots, seed } = {}) {
    return (await call('run', qasm, [bindings], { shots, seed }))[0].counts;
  },
  async runBatch(qasm, bindingsList, { shots, seed } = {}) {
    return (await call('run', qasm, bindingsList, { shots, seed })).map((r) => r.counts);
  },
  async expectation(qasm, observables, { bindings = {} } = {}) {
    return (await quantum.expectationBatch(qasm, observables, [bindings]))[0];
  },
  async expectationBatch(qasm, observables, bindingsList) {
    const results = await call('expectation', qasm, bindingsList, { observables: listOf(observables) });
    return results.map((r) => (isSingle(observables) ? r.values[0] : r.values));
  },
  async gradient(qasm, observables, { bindings = {} } = {}) {
    return (await quantum.gradientBatch(qasm, observables, [bindings]))[0];
  },
  async gradientBatch(qasm, observables, bindingsList) {
    const results = await call('gradient', qasm, bindingsList, { observables: listOf(observables) });
    return results.map((r) =>
      isSingle(observables)
        ? { value: r.values[0], gradient: r.gradients[0] }
        : { value: r.values, gradient: r.gradients },
    );
  },
});
globalThis.maml = Object.freeze({
  inputs: JSON.parse(readFileSync(inputsPath, 'utf8')),
  output(name, value) {
    report(String(name) + '=' + (JSON.stringify(value) ?? 'null'));
  },
  quantum,
});
try {
  await import(pathToFileURL(blockPath).href);
} catch (error) {
  if (error && (error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'MODULE_NOT_FOUND')) {
    const match = /Cannot find (?:package|module) '([^']+)'/.exec(String(error.message));
    report('!missing=' + JSON.stringify(match ? match[1] : String(error.message)));
  }
  throw error;
}
`;

export function runJavaScript(task: TaskSpec, context: ExecutorContext, code: string): Promise<TaskResult> {
  const node = process.execPath;
  return runScript(task, context, {
    quantumCalls: true,
    files: { '_run.mjs': RUNNER, 'block.mjs': code },
    argv: (dirs) => [node, `${dirs.code}/_run.mjs`, `${dirs.code}/inputs.json`, `${dirs.code}/block.mjs`],
    // Node installed outside /usr (nvm, a tarball) is bound read-only where it lives.
    readOnlyPaths: node.startsWith('/usr/') ? [] : [node],
    missingHint: (module) =>
      `JavaScript module '${module}' is not available: blocks run in a sandbox that sees only Node's built-in modules (node:fs, node:crypto, …); compute with built-ins or move the work to a Python block`,
  });
}
