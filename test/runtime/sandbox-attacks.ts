/**
 * Blocks that attack the sandbox, one per language, each reporting what it managed as outputs with the same
 * names, so one set of assertions covers every language. Run in this process (the gateway as root, the usual
 * case) and, through sandbox-attack-runner.ts, as an unprivileged user (the user-namespace mode).
 *
 * Safety: no block writes to a kernel file. /proc/sys/kernel/core_pattern and /proc/sysrq-trigger are only
 * opened for appending, and closed without a byte written, so a broken sandbox cannot change the host.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { SYSCALLS, hostSeccompArch } from '../../src/runtime/sandbox/syscalls.js';
import { EXECUTORS, compileExecutorTools, executorFor, taskSpec } from '../../src/runtime/index.js';

/** The interpreters as a head finds them: from this process's environment (the runner gets MAML_PYTHON). */
const TOOLS = compileExecutorTools(EXECUTORS, process.env);

export interface AttackOptions {
  /** A file the gateway can read (a stand-in for the keyring); the block must not see it. */
  readonly keyring: string;
  /** Bytes written to /tmp and /dev/shm, more than their cap. */
  readonly fillBytes: number;
}

/** The scratch cap the attack blocks run with; fillBytes must exceed it. */
export const ATTACK_SCRATCH_BYTES = 8 * 1024 * 1024;

/** Paths outside /tmp a block tries to create a file in. */
export const OUTSIDE_TMP = ['/x', '/usr/x', '/etc/x', '/maml/x', '/dev/x', '/root/x'];

/** Outputs every language reports (python adds the raw system calls, see PYTHON_SYSCALL_OUTPUTS). */
export interface AttackOutputs {
  /** The real uid inside the sandbox and the first line of its uid_map (host uids: see blockHostUids). */
  readonly uid: number;
  readonly uid_map: string;
  readonly cap_eff: string;
  readonly cap_prm: string;
  readonly cap_bnd: string;
  readonly cap_amb: string;
  readonly no_new_privs: number;
  readonly seccomp: number;
  /** 'opened' means /proc/sys/kernel/core_pattern could be opened for writing. */
  readonly core_pattern: 'opened' | 'denied';
  readonly sysrq: 'opened' | 'denied' | 'absent';
  readonly written_outside_tmp: readonly string[];
  /** What /root holds in the sandbox: 'absent', 'denied', or its entries (the parents of bound interpreters). */
  readonly root_home: 'denied' | 'absent' | readonly string[];
  readonly keyring: 'readable' | 'denied' | 'absent';
  readonly unshare_user: 'allowed' | 'denied';
  readonly fill_tmp: 'full' | 'unbounded';
  readonly ordinary: number;
}

const shell = (o: AttackOptions): string => `
st() { sed -n "s/^$1:[[:space:]]*//p" /proc/self/status; }
maml_output uid "$(st Uid | cut -f1)"
maml_output uid_map "\\"$(head -n 1 /proc/self/uid_map | tr -s ' \\t' ' ' | sed 's/^ //; s/ $//')\\""
for f in CapEff CapPrm CapBnd CapAmb; do maml_output "cap_$(echo $f | cut -c4- | tr A-Z a-z)" "\\"$(st $f)\\""; done
maml_output no_new_privs "$(st NoNewPrivs)"
maml_output seccomp "$(st Seccomp)"
if (exec 4>>/proc/sys/kernel/core_pattern) 2>/dev/null; then r=opened; else r=denied; fi
maml_output core_pattern "\\"$r\\""
if [ ! -e /proc/sysrq-trigger ]; then r=absent; elif (exec 4>>/proc/sysrq-trigger) 2>/dev/null; then r=opened; else r=denied; fi
maml_output sysrq "\\"$r\\""
w=""
for p in ${OUTSIDE_TMP.join(' ')}; do if (: > "$p") 2>/dev/null; then w="$w\${w:+,}\\"$p\\""; fi; done
maml_output written_outside_tmp "[$w]"
if [ ! -e /root ]; then r='"absent"'; elif ! l=$(ls -A /root 2>/dev/null); then r='"denied"'; elif [ -z "$l" ]; then r='[]'; else r="[$(printf '%s\\n' $l | sed 's/.*/"&"/' | paste -sd,)]"; fi
maml_output root_home "$r"
if cat ${JSON.stringify(o.keyring)} >/dev/null 2>&1; then r=readable; elif [ -e ${JSON.stringify(o.keyring)} ]; then r=denied; else r=absent; fi
maml_output keyring "\\"$r\\""
if unshare -U true 2>/dev/null; then r=allowed; else r=denied; fi
maml_output unshare_user "\\"$r\\""
if head -c ${o.fillBytes} /dev/zero > /tmp/fill 2>/dev/null; then r=unbounded; else r=full; fi
rm -f /tmp/fill
maml_output fill_tmp "\\"$r\\""
if head -c ${o.fillBytes} /dev/zero > /dev/shm/fill 2>/dev/null; then r=unbounded; else r=full; fi
rm -f /dev/shm/fill
maml_output fill_shm "\\"$r\\""
if unshare -rm sh -c 'mount -t tmpfs none /tmp' 2>/dev/null; then r=allowed; else r=denied; fi
maml_output mount "\\"$r\\""
maml_output ordinary "$(( $(printf %s "$MAML_INPUTS" | sed 's/.*"a":\\([0-9]*\\).*/\\1/') + 1 ))"
`;

/** The raw system calls the python block makes, and what each answers under the filter. */
export const PYTHON_SYSCALL_OUTPUTS = {
  sys_ptrace: 'EPERM',
  sys_keyctl: 'EPERM',
  sys_bpf: 'EPERM',
  sys_unshare_user: 'EPERM',
  sys_clone_newuser: 'EPERM',
  sys_mount: 'EPERM',
  sys_io_uring_setup: 'EPERM',
  sys_perf_event_open: 'EPERM',
  sys_personality: 'EPERM',
  sys_tiocsti: 'EPERM',
  sys_clone3: 'ENOSYS',
  sys_vsock: 'EPERM',
} as const;

function python(o: AttackOptions): string {
  const arch = hostSeccompArch() ?? 'x86_64';
  const nr = SYSCALLS[arch];
  return `
import ctypes, errno, json, os, subprocess
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def call(number, *args):
    result = libc.syscall(ctypes.c_long(number), *[ctypes.c_ulong(a & (2**64 - 1)) for a in args])
    return "ok" if result >= 0 else errno.errorcode.get(ctypes.get_errno(), str(ctypes.get_errno()))
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if ":" in line)
field = lambda name: status[name].strip()
maml.output("uid", int(field("Uid").split()[0]))
maml.output("uid_map", " ".join(open("/proc/self/uid_map").readline().split()))
for name in ["CapEff", "CapPrm", "CapBnd", "CapAmb"]:
    maml.output("cap_" + name[3:].lower(), field(name))
maml.output("no_new_privs", int(field("NoNewPrivs")))
maml.output("seccomp", int(field("Seccomp")))
def opened(path):
    if not os.path.exists(path):
        return "absent"
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_APPEND))
        return "opened"
    except OSError:
        return "denied"
maml.output("core_pattern", opened("/proc/sys/kernel/core_pattern"))
maml.output("sysrq", opened("/proc/sysrq-trigger"))
written = []
for path in ${JSON.stringify(OUTSIDE_TMP)}:
    try:
        open(path, "w").close()
        written.append(path)
    except OSError:
        pass
maml.output("written_outside_tmp", written)
def readable(path, listing=False):
    try:
        os.listdir(path) if listing else open(path).read()
        return "readable"
    except FileNotFoundError:
        return "absent"
    except OSError:
        return "denied"
def listing(path):
    try:
        return sorted(os.listdir(path))
    except FileNotFoundError:
        return "absent"
    except OSError:
        return "denied"
maml.output("root_home", listing("/root"))
maml.output("keyring", readable(${JSON.stringify(o.keyring)}))
maml.output("unshare_user", "allowed" if subprocess.run(["unshare", "-U", "true"], stderr=subprocess.DEVNULL).returncode == 0 else "denied")
def fill(path):
    try:
        with open(path, "wb") as f:
            f.write(b"\\0" * ${o.fillBytes})
        return "unbounded"
    except OSError:
        return "full"
    finally:
        if os.path.exists(path):
            os.remove(path)
maml.output("fill_tmp", fill("/tmp/fill"))
maml.output("fill_shm", fill("/dev/shm/fill"))
# Each call is harmless where it succeeds: TRACEME only names the parent as tracer; keyctl asks for the session
# keyring's id; bpf, clone3, io_uring_setup and perf_event_open get invalid arguments; clone's CLONE_FS next to
# CLONE_NEWUSER is refused by the kernel itself (EINVAL) when the filter lets it through.
maml.output("sys_ptrace", call(${nr.ptrace}, 0))
maml.output("sys_keyctl", call(${nr.keyctl}, 0, -3, 0))
maml.output("sys_bpf", call(${nr.bpf}, 0xffff, 0, 0))
maml.output("sys_unshare_user", call(${nr.unshare}, 0x10000000))
maml.output("sys_clone_newuser", call(${nr.clone}, 0x10000000 | 0x200, 0, 0, 0, 0))
maml.output("sys_mount", call(${nr.mount}, 0, 0, 0, 0, 0))
maml.output("sys_io_uring_setup", call(${nr.io_uring_setup}, 1, 0))
maml.output("sys_perf_event_open", call(${nr.perf_event_open}, 0, 0, -1, -1, 0))
maml.output("sys_personality", call(${nr.personality}, 0x0040000))
maml.output("sys_tiocsti", call(${nr.ioctl}, 0, 0x5412, 0))
maml.output("sys_clone3", call(${nr.clone3}, 0, 0))
maml.output("sys_vsock", call(${nr.socket}, 40, 1, 0))
maml.output("ordinary", maml.inputs["a"] + 1)
`;
}

const javascript = (o: AttackOptions): string => `
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
const status = Object.fromEntries(
  fs.readFileSync('/proc/self/status', 'utf8').split('\\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
);
maml.output('uid', Number(status.Uid.split(/\\s+/)[0]));
maml.output('uid_map', fs.readFileSync('/proc/self/uid_map', 'utf8').split('\\n')[0].trim().split(/\\s+/).join(' '));
for (const name of ['CapEff', 'CapPrm', 'CapBnd', 'CapAmb']) maml.output('cap_' + name.slice(3).toLowerCase(), status[name]);
maml.output('no_new_privs', Number(status.NoNewPrivs));
maml.output('seccomp', Number(status.Seccomp));
const opened = (path) => {
  if (!fs.existsSync(path)) return 'absent';
  try { fs.closeSync(fs.openSync(path, 'a')); return 'opened'; } catch { return 'denied'; }
};
maml.output('core_pattern', opened('/proc/sys/kernel/core_pattern'));
maml.output('sysrq', opened('/proc/sysrq-trigger'));
maml.output('written_outside_tmp', ${JSON.stringify(OUTSIDE_TMP)}.filter((p) => { try { fs.writeFileSync(p, ''); return true; } catch { return false; } }));
const readable = (read) => { try { read(); return 'readable'; } catch (e) { return e.code === 'ENOENT' ? 'absent' : 'denied'; } };
maml.output('root_home', (() => { try { return fs.readdirSync('/root').sort(); } catch (e) { return e.code === 'ENOENT' ? 'absent' : 'denied'; } })());
maml.output('keyring', readable(() => fs.readFileSync(${JSON.stringify(o.keyring)})));
maml.output('unshare_user', spawnSync('unshare', ['-U', 'true']).status === 0 ? 'allowed' : 'denied');
const fill = (path) => { try { fs.writeFileSync(path, Buffer.alloc(${o.fillBytes})); return 'unbounded'; } catch { return 'full'; } finally { fs.rmSync(path, { force: true }); } };
maml.output('fill_tmp', fill('/tmp/fill'));
maml.output('fill_shm', fill('/dev/shm/fill'));
maml.output('ordinary', maml.inputs.a + 1);
`;

const ocaml = (o: AttackOptions): string => `
let lines path =
  let ic = open_in path in
  let rec go acc = match input_line ic with l -> go (l :: acc) | exception End_of_file -> close_in ic; List.rev acc in
  go []
let status name =
  List.find_map (fun l ->
    match String.index_opt l ':' with
    | Some i when String.sub l 0 i = name -> Some (String.trim (String.sub l (i + 1) (String.length l - i - 1)))
    | _ -> None) (lines "/proc/self/status") |> Option.get
let words s = List.filter (fun w -> w <> "") (String.split_on_char ' ' (String.map (fun c -> if c = '\\t' then ' ' else c) s))
let quote s = "\\"" ^ s ^ "\\""
let () =
  maml_output "uid" (List.hd (words (status "Uid")));
  maml_output "uid_map" (quote (String.concat " " (words (List.hd (lines "/proc/self/uid_map")))));
  List.iter (fun (name, key) -> maml_output key (quote (status name)))
    ["CapEff", "cap_eff"; "CapPrm", "cap_prm"; "CapBnd", "cap_bnd"; "CapAmb", "cap_amb"];
  maml_output "no_new_privs" (status "NoNewPrivs");
  maml_output "seccomp" (status "Seccomp")
let opened path =
  if not (Sys.file_exists path) then "absent"
  else try close_out (open_out_gen [Open_wronly; Open_append] 0o644 path); "opened" with Sys_error _ -> "denied"
let () =
  maml_output "core_pattern" (quote (opened "/proc/sys/kernel/core_pattern"));
  maml_output "sysrq" (quote (opened "/proc/sysrq-trigger"));
  let written = List.filter (fun p -> try close_out (open_out p); true with Sys_error _ -> false)
    [${OUTSIDE_TMP.map((p) => JSON.stringify(p)).join('; ')}] in
  maml_output "written_outside_tmp" ("[" ^ String.concat "," (List.map quote written) ^ "]")
let classify f = try f (); "readable" with Sys_error m ->
  let len = String.length m and needle = "No such file" in
  let rec has i = i + String.length needle <= len && (String.sub m i (String.length needle) = needle || has (i + 1)) in
  if has 0 then "absent" else "denied"
let () =
  maml_output "root_home"
    (match Sys.readdir "/root" with
     | entries -> Array.sort compare entries; "[" ^ String.concat "," (List.map quote (Array.to_list entries)) ^ "]"
     | exception Sys_error m -> quote (classify (fun () -> raise (Sys_error m))));
  maml_output "keyring" (quote (classify (fun () -> close_in (open_in ${JSON.stringify(o.keyring)}))));
  maml_output "unshare_user" (quote (if Sys.command "unshare -U true 2>/dev/null" = 0 then "allowed" else "denied"));
  let fill path =
    let r = try let oc = open_out_bin path in output_string oc (String.make ${o.fillBytes} '\\000'); close_out oc; "unbounded"
      with Sys_error _ -> "full" in
    (try Sys.remove path with Sys_error _ -> ()); r in
  maml_output "fill_tmp" (quote (fill "/tmp/fill"));
  maml_output "fill_shm" (quote (fill "/dev/shm/fill"));
  maml_output "ordinary" (Scanf.sscanf maml_inputs "{\\"a\\":%d}" (fun a -> string_of_int (a + 1)))
`;

const typescript = (): string => `
import fs from 'node:fs';
const status: Record<string, string> = Object.fromEntries(
  fs.readFileSync('/proc/self/status', 'utf8').split('\\n').filter((l: string) => l.includes(':')).map((l: string) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
);
const uid: number = Number((status['Uid'] ?? '').split(/\\s+/)[0]);
maml.output('uid', uid);
maml.output('uid_map', (fs.readFileSync('/proc/self/uid_map', 'utf8').split('\\n')[0] ?? '').trim().split(/\\s+/).join(' '));
maml.output('cap_eff', status['CapEff']);
maml.output('seccomp', Number(status['Seccomp']));
let core: string;
try { fs.closeSync(fs.openSync('/proc/sys/kernel/core_pattern', 'a')); core = 'opened'; } catch { core = 'denied'; }
maml.output('core_pattern', core);
maml.output('ordinary', (maml.inputs as { a: number }).a + 1);
`;

export const ATTACK_LANGS = ['sh', 'bash', 'python', 'javascript', 'ocaml', 'typescript'] as const;
export type AttackLang = (typeof ATTACK_LANGS)[number];

export function attackSource(lang: AttackLang, options: AttackOptions): string {
  switch (lang) {
    case 'sh':
    case 'bash':
      return shell(options);
    case 'python':
      return python(options);
    case 'javascript':
      return javascript(options);
    case 'ocaml':
      return ocaml(options);
    case 'typescript':
      return typescript();
  }
}

export type AttackResult = { readonly outputs: Record<string, unknown> } | { readonly error: string };

/** Runs the attack block of each language; failures are reported, not thrown, so one language cannot hide another. */
export async function runAttacks(
  langs: readonly AttackLang[],
  options: AttackOptions,
): Promise<Record<string, AttackResult>> {
  const results: Record<string, AttackResult> = {};
  for (const lang of langs) {
    const executor = executorFor(lang);
    if (!executor) {
      results[lang] = { error: `no executor for ${lang}` };
      continue;
    }
    try {
      const result = await executor.run(
        taskSpec({
          blockId: `attack-${lang}`,
          lang,
          source: attackSource(lang, options),
          inputs: { a: 41 },
          limits: { scratchBytes: ATTACK_SCRATCH_BYTES, timeoutMs: 60_000 },
        }),
        { tools: TOOLS },
      );
      results[lang] = { outputs: { ...result.outputs } };
    } catch (error) {
      results[lang] = { error: error instanceof Error ? error.message : String(error) };
    }
  }
  return results;
}

/** A bash block that lists its open descriptors (those still open after the glob that listed them). */
export const LIST_FDS = 'for f in /proc/self/fd/*; do [ -e "$f" ] && printf "%s " "${f##*/}"; done; echo';

/**
 * A bash block that describes its network and tries the host's loopback services: `port` is a listener the test
 * opened on the host's 127.0.0.1; 10.0.2.2 is slirp's alias for the host's loopback.
 */
export function networkProbe(port: number): string {
  const attempt = (host: string, p: number): string =>
    `if timeout 5 bash -c 'exec 5<>/dev/tcp/${host}/${p}' 2>/dev/null; then echo connected; else echo refused; fi`;
  return [
    `maml_output interfaces "[$(sed -n 's/^ *\\([^:]*\\):.*/"\\1"/p' /proc/net/dev | paste -sd,)]"`,
    `if awk '$2 == "00000000" { found = 1 } END { exit !found }' /proc/net/route; then maml_output default_route true; else maml_output default_route false; fi`,
    `maml_output resolv "\\"$(cat /etc/resolv.conf 2>/dev/null | tr '\\n' ' ')\\""`,
    `maml_output host_loopback "\\"$(${attempt('127.0.0.1', port)})\\""`,
    `maml_output host_alias "\\"$(${attempt('10.0.2.2', port)})\\""`,
    `maml_output postgres "\\"$(${attempt('10.0.2.2', 5432)})\\""`,
    `maml_output own_loopback_postgres "\\"$(${attempt('127.0.0.1', 5432)})\\""`,
  ].join('\n');
}

/** Runs one bash block; the outputs, or the error message. */
export async function runBash(source: string, network = false): Promise<AttackResult> {
  const executor = executorFor('bash');
  if (!executor) return { error: 'no bash executor' };
  try {
    const result = await executor.run(
      taskSpec({ blockId: 'probe', lang: 'bash', source, permissions: { network } }),
      {},
    );
    return { outputs: { ...result.outputs, stdout: result.stdout } };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The block's uids as the host sees them (real, effective, saved, filesystem), read from the host's /proc while
 * the block waits in `sleep <unique number>`, a process of the block that exists only once its code runs; ending
 * that sleep ends the block.
 */
export async function blockHostUids(): Promise<number[] | { error: string }> {
  const executor = executorFor('bash');
  if (!executor) return { error: 'no bash executor' };
  const marker = String(100_000_000 + Math.floor(Math.random() * 800_000_000));
  let settled = false;
  const running = executor
    .run(
      taskSpec({
        blockId: 'uid-probe',
        lang: 'bash',
        source: `sleep ${marker} || true`,
        limits: { timeoutMs: 120_000 },
      }),
      {},
    )
    .then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    )
    .finally(() => (settled = true));
  let found: { pid: number; uids: number[] } | undefined;
  while (!settled && !found) {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (readFileSync(`/proc/${entry}/cmdline`, 'utf8') !== `sleep\0${marker}\0`) continue;
        const uidLine = /^Uid:\s+(.*)$/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1] ?? '';
        found = { pid: Number(entry), uids: uidLine.trim().split(/\s+/).map(Number) };
        break;
      } catch {
        // the process ended while it was being read
      }
    }
    if (!found) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (found) process.kill(found.pid, 'SIGTERM');
  const failure = await running;
  if (failure !== undefined) return { error: failure };
  return found ? found.uids : { error: 'the block was not found on the host' };
}
