/**
 * How the embedded gate libraries are written: a table of gate definitions (declaration head, body statements)
 * rendered to OpenQASM text, which the parser then reads like any included file. A definition may only call
 * gates defined above it.
 */

/** `[head, body]`: head is `name(params) qubits`; body is one statement list or several to be joined. */
export type GateDefinition = readonly [head: string, body: string | readonly string[]];

export function renderLibrary(definitions: readonly GateDefinition[]): string {
  return definitions
    .map(([head, body]) => `gate ${head} { ${typeof body === 'string' ? body : body.join(' ')} }\n`)
    .join('');
}

export function libraryGateNames(definitions: readonly GateDefinition[]): string[] {
  return definitions.map(([head]) => /^[\p{L}_][\p{L}\p{N}_]*/u.exec(head)?.[0] ?? head);
}
