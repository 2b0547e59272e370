/**
 * The registered commands, in the order `maml --help` lists them. Each entry names its command and loads the
 * module only when asked: `maml --version` and `maml --help` import no command, and `maml validate` does not
 * import the server, the database or the run machinery that `maml serve` needs.
 */
import type { CommandEntry } from '../command.js';

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'validate',
    summary: 'check documents and report every problem with its position',
    load: async () => (await import('./validate.js')).validateCommand,
  },
  {
    name: 'inspect',
    summary: 'show front matter, sections, blocks and execution order',
    load: async () => (await import('./inspect.js')).inspectCommand,
  },
  {
    name: 'fmt',
    summary: 'rewrite documents in the canonical layout',
    load: async () => (await import('./fmt.js')).fmtCommand,
  },
  {
    name: 'run',
    summary: 'execute a workflow: its blocks on sandboxed heads, History updated',
    load: async () => (await import('./run.js')).runCommand,
  },
  {
    name: 'runs',
    summary: 'list recorded runs or show one with its blocks and events',
    load: async () => (await import('./runs.js')).runsCommand,
  },
  {
    name: 'qasm',
    summary: 'run an OpenQASM 2/3 program on a simulator and print counts',
    load: async () => (await import('./qasm.js')).qasmCommand,
  },
  {
    name: 'doctor',
    summary: 'check interpreters, torch/numpy, the sandbox, OCaml, GPU and database, with fixes',
    load: async () => (await import('./doctor.js')).doctorCommand,
  },
  {
    name: 'qec',
    summary: 'sample and decode QEC memory experiments; decode syndromes; circuit → DEM',
    load: async () => (await import('./qec.js')).qecCommand,
  },
  {
    name: 'keys',
    summary: 'generate, list, export and import signing and encryption keys',
    load: async () => (await import('./keys.js')).keysCommand,
  },
  {
    name: 'verify',
    summary: 'verify the signed execution tickets in a document History',
    load: async () => (await import('./verify.js')).verifyCommand,
  },
  {
    name: 'audit',
    summary: 'verify the audit log, prove a ticket is in it, sign a checkpoint',
    load: async () => (await import('./audit.js')).auditCommand,
  },
  {
    name: 'encrypt',
    summary: 'encrypt a document body to keyring recipients (X25519 + ML-KEM, AES-256-GCM)',
    load: async () => (await import('./encrypt.js')).encryptCommand,
  },
  {
    name: 'decrypt',
    summary: 'decrypt a document encrypted with `maml encrypt`',
    load: async () => (await import('./decrypt.js')).decryptCommand,
  },
  {
    name: 'scan',
    summary: 'scan a document for prompt injection and dangerous code',
    load: async () => (await import('./scan.js')).scanCommand,
  },
  {
    name: 'fairness',
    summary: 'fairness metrics of a CSV or JSON-lines file, and reweighing weights',
    load: async () => (await import('./fairness.js')).fairnessCommand,
  },
  {
    name: 'privacy',
    summary: 'compute differential-privacy epsilon, or the noise a target epsilon needs',
    load: async () => (await import('./privacy.js')).privacyCommand,
  },
  {
    name: 'serve',
    summary: 'run the MAML Gateway: HTTP/WebSocket API, metrics and MCP',
    load: async () => (await import('./serve.js')).serveCommand,
  },
  {
    name: 'worker',
    summary: 'take blocks from the PostgreSQL queue and run them on this machine’s heads',
    load: async () => (await import('./worker.js')).workerCommand,
  },
  {
    name: 'workers',
    summary: 'list the queue’s workers, or trust a worker’s ticket keys',
    load: async () => (await import('./workers.js')).workersCommand,
  },
  {
    name: 'mcp',
    summary: 'serve the MAML tools to an MCP client over stdio',
    load: async () => (await import('./mcp.js')).mcpCommand,
  },
];
