/**
 * The seccomp filter every sandboxed block runs under, as the classic-BPF program bwrap's `--seccomp FD` loads
 * (an array of `struct sock_filter`, native byte order). Written here rather than taken from libseccomp because
 * the policy is a short deny list and Node has no libseccomp binding; the layout and constants follow
 * Documentation/userspace-api/seccomp_filter.rst and seccomp(2).
 *
 * Policy: a call from another architecture or ABI (i386 through int 0x80, x32) kills the process; the calls in
 * `DENIED` fail with EPERM; clone3 fails with ENOSYS so the C library falls back to clone, whose flags can be
 * inspected (clone3 passes them in memory, out of the filter's reach); clone with any CLONE_NEW* flag, ioctl
 * TIOCSTI/TIOCLINUX, socket(AF_VSOCK) and personality with a non-default persona fail with EPERM. Everything
 * else is allowed. setresuid, setgroups, capset and prctl stay allowed: under root the filter is installed before
 * setpriv drops to the sandbox user.
 */
import { SYSCALLS } from './syscalls.js';
import type { SeccompArch, SyscallName } from './syscalls.js';

// linux/bpf_common.h: instruction classes and fields.
const BPF_LD_W_ABS = 0x00 | 0x00 | 0x20; // BPF_LD | BPF_W | BPF_ABS
const BPF_JMP_JEQ_K = 0x05 | 0x10 | 0x00; // BPF_JMP | BPF_JEQ | BPF_K
const BPF_JMP_JGE_K = 0x05 | 0x30 | 0x00; // BPF_JMP | BPF_JGE | BPF_K
const BPF_JMP_JSET_K = 0x05 | 0x40 | 0x00; // BPF_JMP | BPF_JSET | BPF_K
const BPF_RET_K = 0x06 | 0x00; // BPF_RET | BPF_K

// linux/seccomp.h: filter return values.
export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;

// asm-generic/errno-base.h and errno.h (the same numbers on x86_64 and aarch64).
export const EPERM = 1;
export const ENOSYS = 38;

// linux/seccomp.h, struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6].
const DATA_NR = 0;
const DATA_ARCH = 4;
/** Offset of the low 32 bits of argument i (little-endian: x86_64 and aarch64 filters only). */
const argLow = (i: number): number => 16 + 8 * i;

// linux/audit.h: AUDIT_ARCH_* = EM_* | __AUDIT_ARCH_64BIT (0x80000000) | __AUDIT_ARCH_LE (0x40000000).
export const AUDIT_ARCH: Readonly<Record<SeccompArch, number>> = {
  x86_64: 0xc000003e, // EM_X86_64 = 62
  aarch64: 0xc00000b7, // EM_AARCH64 = 183
};

// arch/x86/include/uapi/asm/unistd.h: x32 system calls have this bit set in nr.
export const X32_SYSCALL_BIT = 0x40000000;

// linux/sched.h: the namespace flags of clone(2). CLONE_NEWTIME (0x80) is not listed: in clone's flags that bit
// is part of the exit signal (CSIGNAL), and only unshare/clone3 accept it; both are denied outright.
export const CLONE_NEW_FLAGS =
  0x00020000 | // CLONE_NEWNS
  0x02000000 | // CLONE_NEWCGROUP
  0x04000000 | // CLONE_NEWUTS
  0x08000000 | // CLONE_NEWIPC
  0x10000000 | // CLONE_NEWUSER
  0x20000000 | // CLONE_NEWPID
  0x40000000; // CLONE_NEWNET

// asm-generic/ioctls.h: push a byte into a terminal's input queue; the Linux console's multiplexed requests.
export const TIOCSTI = 0x5412;
export const TIOCLINUX = 0x541c;

// linux/socket.h: vsock reaches the hypervisor host and is not confined by a network namespace.
export const AF_VSOCK = 40;

// personality(2): the default persona, PER_LINUX32, UNAME26 and both combined; 0xffffffff only queries.
export const ALLOWED_PERSONAS = [0x0, 0x0008, 0x20000, 0x20008, 0xffffffff] as const;

/** Calls a block never needs, answered with EPERM (the x86-only ones are skipped on aarch64). */
export const DENIED: readonly SyscallName[] = [
  // other processes' memory
  'ptrace',
  'process_vm_readv',
  'process_vm_writev',
  'pidfd_getfd',
  'process_madvise',
  'kcmp',
  // mounts, old and new API
  'mount',
  'umount2',
  'pivot_root',
  'open_tree',
  'move_mount',
  'fsopen',
  'fsconfig',
  'fsmount',
  'fspick',
  'mount_setattr',
  // namespaces (clone is checked by its flags, clone3 answered ENOSYS)
  'unshare',
  'setns',
  // the kernel itself
  'kexec_load',
  'kexec_file_load',
  'init_module',
  'finit_module',
  'delete_module',
  'bpf',
  'perf_event_open',
  'userfaultfd',
  'syslog',
  'lookup_dcookie',
  'io_uring_setup',
  'io_uring_enter',
  'io_uring_register',
  'uselib',
  // kernel keyrings
  'keyctl',
  'add_key',
  'request_key',
  // the machine
  'reboot',
  'swapon',
  'swapoff',
  'acct',
  'settimeofday',
  'clock_settime',
  'adjtimex',
  'clock_adjtime',
  'quotactl',
  'quotactl_fd',
  'vhangup',
  'iopl',
  'ioperm',
  // file handles bypass path permissions
  'open_by_handle_at',
  'name_to_handle_at',
];

type Target = number | string;
type Op = { readonly code: number; readonly k: number; readonly jt?: Target; readonly jf?: Target } | string;

const ld = (offset: number): Op => ({ code: BPF_LD_W_ABS, k: offset });
const jeq = (k: number, jt: Target, jf: Target): Op => ({ code: BPF_JMP_JEQ_K, k, jt, jf });
const jge = (k: number, jt: Target, jf: Target): Op => ({ code: BPF_JMP_JGE_K, k, jt, jf });
const jset = (k: number, jt: Target, jf: Target): Op => ({ code: BPF_JMP_JSET_K, k, jt, jf });
const ret = (k: number): Op => ({ code: BPF_RET_K, k });

/**
 * Resolves labels (the string entries) into the relative forward jumps of classic BPF (0 = next instruction,
 * at most 255) and encodes each `struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }` little-endian.
 */
function assemble(ops: readonly Op[]): Buffer {
  const labels = new Map<string, number>();
  const instructions: Exclude<Op, string>[] = [];
  for (const op of ops) {
    if (typeof op === 'string') labels.set(op, instructions.length);
    else instructions.push(op);
  }
  const out = Buffer.alloc(instructions.length * 8);
  instructions.forEach((op, index) => {
    const offset = (target: Target | undefined): number => {
      if (target === undefined) return 0;
      const skip = typeof target === 'number' ? target : (labels.get(target) ?? -1) - index - 1;
      if (skip < 0 || skip > 255) throw new Error(`seccomp: jump to ${String(target)} out of range (${skip})`);
      return skip;
    };
    out.writeUInt16LE(op.code, index * 8);
    out.writeUInt8(offset(op.jt), index * 8 + 2);
    out.writeUInt8(offset(op.jf), index * 8 + 3);
    out.writeUInt32LE(op.k >>> 0, index * 8 + 4);
  });
  return out;
}

/** The filter program for `arch`, ready to be written to bwrap's `--seccomp` descriptor. */
export function seccompProgram(arch: SeccompArch): Buffer {
  const nr = SYSCALLS[arch];
  const ops: Op[] = [ld(DATA_ARCH), jeq(AUDIT_ARCH[arch], 0, 'kill'), ld(DATA_NR)];
  if (arch === 'x86_64') ops.push(jge(X32_SYSCALL_BIT, 'kill', 0));
  ops.push(jeq(nr.clone3, 'enosys', 0));
  for (const name of DENIED) {
    const number = nr[name];
    if (number !== undefined) ops.push(jeq(number, 'eperm', 0));
  }
  ops.push(
    jeq(nr.clone, 0, 'not-clone'),
    ld(argLow(0)), // the kernel reads clone's flags as lower_32_bits(clone_flags)
    jset(CLONE_NEW_FLAGS, 'eperm', 'allow'),
    'not-clone',
    jeq(nr.ioctl, 0, 'not-ioctl'),
    ld(argLow(1)), // ioctl's request is an unsigned int: the high half is ignored by the kernel
    jeq(TIOCSTI, 'eperm', 0),
    jeq(TIOCLINUX, 'eperm', 'allow'),
    'not-ioctl',
    jeq(nr.socket, 0, 'not-socket'),
    ld(argLow(0)),
    jeq(AF_VSOCK, 'eperm', 'allow'),
    'not-socket',
    jeq(nr.personality, 0, 'allow'),
    ld(argLow(0)),
  );
  for (const persona of ALLOWED_PERSONAS) ops.push(jeq(persona, 'allow', 0));
  ops.push(
    ret(SECCOMP_RET_ERRNO | EPERM),
    'allow',
    ret(SECCOMP_RET_ALLOW),
    'eperm',
    ret(SECCOMP_RET_ERRNO | EPERM),
    'enosys',
    ret(SECCOMP_RET_ERRNO | ENOSYS),
    'kill',
    ret(SECCOMP_RET_KILL_PROCESS),
  );
  return assemble(ops);
}
