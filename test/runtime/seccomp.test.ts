// The seccomp filter: its system call numbers against the kernel headers installed on this machine, and its
// decisions run through a small classic-BPF interpreter for both architectures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import {
  ALLOWED_PERSONAS,
  AUDIT_ARCH,
  CLONE_NEW_FLAGS,
  DENIED,
  ENOSYS,
  EPERM,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_KILL_PROCESS,
  X32_SYSCALL_BIT,
  seccompProgram,
} from '../../src/runtime/sandbox/seccomp.js';
import { ARCH_ONLY_SYSCALLS, COMMON_SYSCALLS, SYSCALLS } from '../../src/runtime/sandbox/syscalls.js';
import type { SeccompArch } from '../../src/runtime/sandbox/syscalls.js';

// Debian's linux-libc-dev; .ci/run installs it and sets MAML_REQUIRE_KERNEL_HEADERS so this cannot skip there.
const HEADERS: Record<SeccompArch, string> = {
  x86_64: '/usr/include/x86_64-linux-gnu/asm/unistd_64.h',
  aarch64: '/usr/include/asm-generic/unistd.h',
};
const missingHeaders = Object.values(HEADERS).filter((h) => !existsSync(h));
const headersSkip =
  missingHeaders.length > 0 && process.env['MAML_REQUIRE_KERNEL_HEADERS'] !== '1'
    ? `kernel headers missing (${missingHeaders.join(', ')}): apt-get install linux-libc-dev`
    : false;

function headerNumbers(path: string): Map<string, number> {
  const numbers = new Map<string, number>();
  for (const match of readFileSync(path, 'utf8').matchAll(/^#define __NR_(\w+)\s+(\d+)\s*$/gm))
    if (match[1] !== undefined && match[2] !== undefined) numbers.set(match[1], Number(match[2]));
  return numbers;
}

for (const arch of ['x86_64', 'aarch64'] as const)
  test(`${arch}: every system call number matches ${HEADERS[arch]}`, { skip: headersSkip }, () => {
    const header = headerNumbers(HEADERS[arch]);
    const table = SYSCALLS[arch];
    let checked = 0;
    for (const name of [...COMMON_SYSCALLS, ...ARCH_ONLY_SYSCALLS]) {
      const ours = table[name];
      if (ours === undefined) {
        assert.ok(!COMMON_SYSCALLS.includes(name as never), `${arch}: ${name} has no number`);
        assert.equal(header.get(name), undefined, `${arch}: ${name} exists in the header but not in the table`);
        continue;
      }
      assert.equal(ours, header.get(name), `${arch}: ${name}`);
      checked++;
    }
    // A guard against a parse that matched nothing.
    assert.ok(checked >= COMMON_SYSCALLS.length, `only ${checked} numbers checked`);
  });

/** struct seccomp_data for the interpreter: nr, arch and up to six 64-bit arguments. */
interface SeccompData {
  readonly nr: number;
  readonly arch: number;
  readonly args?: readonly bigint[];
}

/** Runs a classic-BPF seccomp program (only the instructions the generator emits) and returns its verdict. */
function evaluate(program: Buffer, data: SeccompData): number {
  assert.equal(program.length % 8, 0);
  const bytes = Buffer.alloc(64);
  bytes.writeInt32LE(data.nr | 0, 0);
  bytes.writeUInt32LE(data.arch >>> 0, 4);
  (data.args ?? []).forEach((arg, i) => bytes.writeBigUInt64LE(BigInt.asUintN(64, arg), 16 + 8 * i));
  let a = 0;
  for (let pc = 0, steps = 0; pc * 8 < program.length; pc++, steps++) {
    assert.ok(steps < 10_000, 'the program loops');
    const code = program.readUInt16LE(pc * 8);
    const jt = program.readUInt8(pc * 8 + 2);
    const jf = program.readUInt8(pc * 8 + 3);
    const k = program.readUInt32LE(pc * 8 + 4);
    switch (code) {
      case 0x20: // BPF_LD | BPF_W | BPF_ABS
        assert.ok(k % 4 === 0 && k < 64, `load at ${k}`);
        a = bytes.readUInt32LE(k);
        break;
      case 0x15: // BPF_JMP | BPF_JEQ | BPF_K
        pc += a === k ? jt : jf;
        break;
      case 0x35: // BPF_JMP | BPF_JGE | BPF_K
        pc += a >= k ? jt : jf;
        break;
      case 0x45: // BPF_JMP | BPF_JSET | BPF_K
        pc += (a & k) !== 0 ? jt : jf;
        break;
      case 0x06: // BPF_RET | BPF_K
        return k;
      default:
        assert.fail(`unexpected instruction ${code.toString(16)} at ${pc}`);
    }
  }
  return assert.fail('the program ran off its end');
}

const ERRNO_EPERM = (SECCOMP_RET_ERRNO | EPERM) >>> 0;
const ERRNO_ENOSYS = (SECCOMP_RET_ERRNO | ENOSYS) >>> 0;
const AUDIT_ARCH_I386 = 0x40000003;
// Calls a block needs, by number: read, write, getpid, execve.
const ORDINARY: Record<SeccompArch, readonly number[]> = { x86_64: [0, 1, 39, 59], aarch64: [63, 64, 172, 221] };

for (const arch of ['x86_64', 'aarch64'] as const) {
  const program = seccompProgram(arch);
  const native = AUDIT_ARCH[arch];
  const nr = SYSCALLS[arch];
  const run = (number: number, ...args: bigint[]): number => evaluate(program, { nr: number, arch: native, args });

  test(`${arch}: ordinary calls are allowed, foreign architectures killed`, () => {
    assert.ok(program.length / 8 <= 4096, 'BPF_MAXINSNS');
    for (const number of ORDINARY[arch]) assert.equal(run(number), SECCOMP_RET_ALLOW, `call ${number}`);
    const other = arch === 'x86_64' ? AUDIT_ARCH.aarch64 : AUDIT_ARCH.x86_64;
    for (const foreign of [AUDIT_ARCH_I386, other])
      assert.equal(evaluate(program, { nr: 39, arch: foreign }), SECCOMP_RET_KILL_PROCESS);
    if (arch === 'x86_64') assert.equal(run(X32_SYSCALL_BIT + 39), SECCOMP_RET_KILL_PROCESS);
  });

  test(`${arch}: every denied call answers EPERM, clone3 ENOSYS`, () => {
    let denied = 0;
    for (const name of DENIED) {
      const number = nr[name];
      if (number === undefined) continue;
      assert.equal(run(number), ERRNO_EPERM, name);
      denied++;
    }
    assert.ok(denied >= DENIED.length - 3, `${denied} denied`);
    assert.equal(run(nr.clone3), ERRNO_ENOSYS);
  });

  test(`${arch}: clone is denied only with a namespace flag`, () => {
    // What glibc passes for a thread and for fork.
    const thread = 0x003d0f00n;
    const fork = 0x01200011n;
    assert.equal(run(nr.clone, thread), SECCOMP_RET_ALLOW);
    assert.equal(run(nr.clone, fork), SECCOMP_RET_ALLOW);
    for (let bit = 0; bit < 32; bit++) {
      const flag = 1 << bit;
      if ((CLONE_NEW_FLAGS & flag) === 0) continue;
      assert.equal(run(nr.clone, fork | BigInt(flag >>> 0)), ERRNO_EPERM, `flag ${flag.toString(16)}`);
    }
    // The kernel reads only the low 32 bits of the flags, so the high half cannot hide or fake a flag.
    assert.equal(run(nr.clone, fork | 0xffffffff00000000n), SECCOMP_RET_ALLOW);
  });

  test(`${arch}: ioctl TIOCSTI/TIOCLINUX, socket(AF_VSOCK) and odd personas are denied`, () => {
    assert.equal(run(nr.ioctl, 0n, 0x5412n), ERRNO_EPERM);
    assert.equal(run(nr.ioctl, 0n, 0x541cn), ERRNO_EPERM);
    // ioctl's request is an unsigned int: high bits do not get TIOCSTI past the filter.
    assert.equal(run(nr.ioctl, 0n, 0x1_0000_5412n), ERRNO_EPERM);
    assert.equal(run(nr.ioctl, 1n, 0x5401n), SECCOMP_RET_ALLOW); // TCGETS
    assert.equal(run(nr.socket, 40n, 1n), ERRNO_EPERM);
    assert.equal(run(nr.socket, 2n, 1n), SECCOMP_RET_ALLOW); // AF_INET
    assert.equal(run(nr.socket, 1n, 1n), SECCOMP_RET_ALLOW); // AF_UNIX
    for (const persona of ALLOWED_PERSONAS) assert.equal(run(nr.personality, BigInt(persona)), SECCOMP_RET_ALLOW);
    assert.equal(run(nr.personality, 0x0040000n), ERRNO_EPERM); // ADDR_NO_RANDOMIZE
    assert.equal(run(nr.personality, 0x0400000n), ERRNO_EPERM); // READ_IMPLIES_EXEC
  });

  test(`${arch}: what setpriv needs after the filter is applied stays allowed`, () => {
    // setresuid, setresgid, setgroups, capget, capset, prctl.
    const numbers = arch === 'x86_64' ? [117, 119, 116, 125, 126, 157] : [147, 149, 159, 90, 91, 167];
    for (const number of numbers) assert.equal(run(number), SECCOMP_RET_ALLOW, `call ${number}`);
  });
}
