/**
 * The gateway benchmarks' validation document: about 10 KiB, valid, with Intent prose and a chain of small
 * OpenQASM blocks. Shared by `npm run bench -- server` and `bench-validate-main.ts`, so both measure the same work.
 */
const HEAD = `---\nmaml_version: "1.0"\nid: "urn:uuid:6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"\ntype: workflow\norigin: "agent://bench"\ntags: [bench]\n---\n\n`;
const QASM = 'OPENQASM 3.0;\nqubit q;\nbit c;\nx q;\nc = measure q;';

export function tenKiBDocument(): string {
  const blocks: string[] = [];
  let text = '';
  for (let i = 0; text.length < 10_240; i++) {
    blocks.push(`\`\`\`qasm {#b${i}${i > 0 ? ` needs=b${i - 1}` : ''} shots=8}\n${QASM}\n\`\`\`\n`);
    text = `${HEAD}## Intent\n\nLoad test document: a chain of small circuits.\n\n## Code_Blocks\n\n${blocks.join('\n')}`;
  }
  return text;
}
