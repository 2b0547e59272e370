// Attacks on the sandbox from every script language, as root (setpriv mode) and as an unprivileged user (user
// namespace mode): each must fail while an ordinary computation in the same block still works.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MamlError } from '../../src/shared/index.js';
import { executorFor, sandboxIdentity, taskSpec } from '../../src/runtime/index.js';
import { resolvePython } from '../../src/runtime/executors/interpreter.js';
import { NEEDS_BWRAP } from '../helpers/runtime-fixture.js';
import { runCli } from '../helpers/run-cli.js';
import { ROOT } from '../helpers/paths.js';
import {
  ATTACK_LANGS,
  ATTACK_SCRATCH_BYTES,
  LIST_FDS,
  PYTHON_SYSCALL_OUTPUTS,
  blockHostUids,
  runAttacks,
  runBash,
} from './sandbox-attacks.js';
import type { AttackResult } from './sandbox-attacks.js';
import { withHostTools } from '../helpers/tools.js';

const isRoot = process.getuid?.() === 0;
/** The uid the unprivileged run uses: nobody exists on every Debian machine, and nothing here needs its name. */
const UNPRIVILEGED = 65534;
const RUNNER = fileURLToPath(new URL('./sandbox-attack-runner.js', import.meta.url));

const fakeHome = mkdtempSync(join(tmpdir(), 'maml-attack-home-'));
const keyring = join(fakeHome, 'keyring.json');
writeFileSync(keyring, '{"secret": "do not read"}');
const attackOptions = { keyring, fillBytes: 2 * ATTACK_SCRATCH_BYTES };

function outputsOf(lang: string, result: AttackResult | undefined): Record<string, unknown> {
  assert.ok(result, `${lang}: no result`);
  if ('error' in result) assert.fail(`${lang}: the attack block itself failed: ${result.error}`);
  return result.outputs;
}

/**
 * Every check that a language reported (the TypeScript block reports a subset). `mode` says how the block is
 * expected to see itself: under root, the sandbox user in the initial user namespace; otherwise uid 1000 in a
 * user namespace of its own. `rootEntries` are the names /root may hold: parents of bound interpreters.
 */
function assertContained(
  lang: string,
  outputs: Record<string, unknown>,
  mode: 'setpriv' | 'userns',
  rootEntries: readonly string[],
): void {
  const expected: Record<string, unknown> = {
    uid: mode === 'setpriv' ? sandboxIdentity().uid : 1000,
    cap_eff: '0000000000000000',
    cap_prm: '0000000000000000',
    cap_bnd: '0000000000000000',
    cap_amb: '0000000000000000',
    no_new_privs: 1,
    seccomp: 2,
    core_pattern: 'denied',
    written_outside_tmp: [],
    keyring: 'absent',
    unshare_user: 'denied',
    mount: 'denied',
    fill_tmp: 'full',
    fill_shm: 'full',
    ordinary: 42,
    ...(lang === 'python' ? PYTHON_SYSCALL_OUTPUTS : {}),
  };
  for (const [key, value] of Object.entries(expected))
    if (key in outputs || lang !== 'typescript')
      if (key !== 'mount' || lang === 'sh' || lang === 'bash')
        assert.deepEqual(outputs[key], value, `${lang}: ${key} is ${JSON.stringify(outputs[key])}`);
  assert.notEqual(outputs['uid'], 0, `${lang}: the block is root`);
  // Under root the block lives in the initial user namespace, so its uid is the host's; otherwise its user
  // namespace maps uid 1000 to a single uid (the host uid itself is checked from outside, blockHostUids).
  if (mode === 'setpriv') assert.equal(outputs['uid_map'], '0 0 4294967295', `${lang}: uid_map`);
  else assert.match(String(outputs['uid_map']), /^1000 \d+ 1$/, `${lang}: uid_map`);
  if ('root_home' in outputs && outputs['root_home'] !== 'absent') {
    assert.ok(Array.isArray(outputs['root_home']), `${lang}: /root is ${JSON.stringify(outputs['root_home'])}`);
    for (const entry of outputs['root_home'] as string[])
      assert.ok(lang === 'python' && rootEntries.includes(entry), `${lang}: /root shows ${entry}`);
  }
  // Where the kernel has a SysRq trigger, it must not open for writing.
  if ('sysrq' in outputs) assert.notEqual(outputs['sysrq'], 'opened', `${lang}: /proc/sysrq-trigger opened`);
  for (const key of ['uid', 'cap_eff', 'seccomp', 'core_pattern', 'ordinary'])
    assert.ok(key in outputs, `${lang}: ${key} missing from ${JSON.stringify(outputs)}`);
}

/** First names under /root of the interpreter paths bound into the sandbox (pyenv lives there on some hosts). */
function rootEntriesOf(paths: readonly string[]): string[] {
  return paths.filter((p) => p.startsWith('/root/')).map((p) => p.split('/')[2] ?? '');
}

test(
  'the attack blocks of every language are contained, and their ordinary work still runs',
  { skip: NEEDS_BWRAP },
  async () => {
    const results = await runAttacks(ATTACK_LANGS, attackOptions);
    const identity = sandboxIdentity();
    const rootEntries = rootEntriesOf(resolvePython()?.readOnlyPaths ?? []);
    for (const lang of ATTACK_LANGS) assertContained(lang, outputsOf(lang, results[lang]), identity.mode, rootEntries);
    // From outside: under root the sandbox user (never 0), otherwise the gateway's own uid.
    const uids = await blockHostUids();
    assert.deepEqual(uids, Array(4).fill(identity.uid));
    if (isRoot) assert.notEqual(identity.uid, 0);
  },
);

test(
  'the same attacks from a gateway running as an unprivileged user (user namespace mode), with a leaked descriptor',
  { skip: NEEDS_BWRAP || (!isRoot && 'needs root to start the gateway as another user') },
  async (t) => {
    const { createServer } = await import('node:net');
    let connections = 0;
    const server = createServer((socket) => {
      connections++;
      socket.end('secret');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => server.close());
    const port = (server.address() as { port: number }).port;
    // The unprivileged gateway reads its build. A checkout it cannot reach (a clone under root's 0700 home) is
    // bind-mounted, in a mount namespace of the test's own, at a directory it can traverse.
    const setpriv = ['setpriv', `--reuid=${UNPRIVILEGED}`, `--regid=${UNPRIVILEGED}`, '--clear-groups', '--'];
    const reachable = spawnSync(setpriv[0] as string, [...setpriv.slice(1), 'test', '-r', RUNNER]).status === 0;
    const mountPoint = mkdtempSync(join(tmpdir(), 'maml-attack-root-'));
    chmodSync(mountPoint, 0o755);
    t.after(() => rmSync(mountPoint, { recursive: true, force: true }));
    const runner = reachable ? RUNNER : join(mountPoint, relative(ROOT, RUNNER));
    const prefix = reachable
      ? setpriv
      : [
          'unshare',
          '--mount',
          '--propagation',
          'private',
          '--',
          'sh',
          '-c',
          'mount --bind "$1" "$2" && shift 2 && exec "$@"',
          'sh',
          ROOT,
          mountPoint,
          ...setpriv,
        ];
    const python = ['/usr/bin/python3', '/bin/python3'].find((p) => spawnSync('test', ['-x', p]).status === 0);
    const env: NodeJS.ProcessEnv = {
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: '/',
      LANG: 'C.UTF-8',
      ...(python ? { MAML_PYTHON: python } : {}),
    };
    const stdio: ('ignore' | 'pipe')[] = [
      'ignore',
      'pipe',
      'pipe',
      'ignore',
      'ignore',
      'ignore',
      'ignore',
      'ignore',
      'ignore',
      'pipe',
    ];
    const child = spawn(
      prefix[0] as string,
      [...prefix.slice(1), process.execPath, runner, JSON.stringify({ ...attackOptions, port })],
      { stdio, env, cwd: '/' },
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as {
      uid: number;
      attacks: Record<string, AttackResult>;
      fds: AttackResult;
      network: AttackResult;
      hostUids: number[] | { error: string };
    };
    assert.equal(report.uid, UNPRIVILEGED);
    for (const lang of ATTACK_LANGS) assertContained(lang, outputsOf(lang, report.attacks[lang]), 'userns', []);
    assert.deepEqual(report.hostUids, Array(4).fill(UNPRIVILEGED));
    // Descriptor 9, open in the gateway without close-on-exec, does not reach the block.
    assert.equal(String(outputsOf('fds', report.fds)['fds']).trim(), '0 1 2 3');
    // The network: either connected and kept off the host's loopback, or refused with the reason (on machines
    // where /dev/net/tun is root's only, an unprivileged slirp4netns cannot open it).
    if ('error' in report.network) assert.match(report.network.error, /could not be connected \(slirp4netns/);
    else {
      assert.equal(report.network.outputs['host_loopback'], 'refused');
      assert.equal(report.network.outputs['host_alias'], 'refused');
      assert.equal(report.network.outputs['postgres'], 'refused');
    }
    assert.equal(connections, 0, 'a block reached the listener on the host loopback');
  },
);

test('the block sees only descriptors 0 to 3', { skip: NEEDS_BWRAP }, async () => {
  const result = await runBash(`maml_output fds "\\"$(${LIST_FDS})\\""`);
  assert.equal(String(outputsOf('bash', result)['fds']).trim(), '0 1 2 3');
});

test(
  'under root the code directory belongs to root and the sandbox group, mode 0750',
  { skip: NEEDS_BWRAP || (!isRoot && 'not root') },
  async () => {
    const identity = sandboxIdentity();
    assert.equal(identity.mode, 'setpriv');
    const result = await runBash('maml_output code "\\"$(stat -c "%u %g %a" /maml)\\""; maml_output me "$(id -u)"');
    const outputs = outputsOf('bash', result);
    assert.equal(outputs['code'], `0 ${identity.mode === 'setpriv' ? identity.gid : -1} 750`);
    assert.equal(outputs['me'], identity.uid);
  },
);

test('a block cannot see the gateway environment (database URL, key passphrase), sandboxed or not', async (t) => {
  const saved = { ...process.env };
  process.env['DATABASE_URL'] = 'postgres://maml:db-secret@127.0.0.1:5432/maml';
  process.env['MAML_KEY_PASSPHRASE'] = 'passphrase-secret';
  t.after(() => {
    process.env = saved;
  });
  const executor = executorFor('bash');
  assert.ok(executor);
  for (const unsafeNoSandbox of NEEDS_BWRAP ? [true] : [false, true]) {
    const result = await executor.run(
      taskSpec({
        blockId: 'env',
        lang: 'bash',
        source: 'env; cat /proc/self/environ | tr "\\0" "\\n"',
        unsafeNoSandbox,
      }),
      {},
    );
    assert.doesNotMatch(result.stdout, /db-secret|passphrase-secret|DATABASE_URL|MAML_KEY_PASSPHRASE/);
    assert.match(result.stdout, /MAML_INPUTS_FILE=/);
  }
});

test('no host process shows a block input on its command line', { skip: NEEDS_BWRAP }, async () => {
  const secret = `input-secret-${process.pid}-${Date.now()}`;
  const executor = executorFor('bash');
  assert.ok(executor);
  const controller = new AbortController();
  let settled = false;
  const running = executor
    .run(
      taskSpec({
        blockId: 'argv-probe',
        lang: 'bash',
        source: 'while :; do sleep 1; done',
        inputs: { token: secret },
        limits: { timeoutMs: 120_000 },
      }),
      { signal: controller.signal },
    )
    .catch((error: unknown) => error)
    .finally(() => (settled = true));
  const cmdlines = (): string[] =>
    readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .map((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8');
        } catch {
          return '';
        }
      });
  // Wait for the block's shell (its argv names the block), then look at every command line on the machine.
  let seen: string[] = [];
  while (!settled && !(seen = cmdlines()).some((c) => c.includes('block-argv-probe')))
    await new Promise((r) => setTimeout(r, 50));
  controller.abort();
  const outcome = await running;
  assert.ok(outcome instanceof MamlError && outcome.code === 'cancelled', String(outcome));
  assert.deepEqual(
    seen.filter((c) => c.includes(secret)),
    [],
  );
  // bwrap's own command line carries only --args and the command.
  const bwrapLine = seen.find((c) => c.includes('--args') && c.includes('block-argv-probe'));
  assert.ok(bwrapLine, 'bwrap was not found running with --args');
  assert.doesNotMatch(bwrapLine, /--setenv|MAML_INPUTS/);
});

test(
  'MAML_SANDBOX_USER: root and uid 0 are refused; another unprivileged user is used',
  { skip: NEEDS_BWRAP || (!isRoot && 'not root') },
  async (t) => {
    const setHostTools = withHostTools(t, {});
    for (const value of ['root', '0']) {
      setHostTools({ sandboxUser: value });
      assert.throws(sandboxIdentity, (error: unknown) => {
        assert.ok(error instanceof MamlError);
        assert.match(error.message, /never run as root/);
        return true;
      });
      const failed = await runBash('echo ran');
      assert.ok('error' in failed && /never run as root/.test(failed.error), JSON.stringify(failed));
    }
    setHostTools({ sandboxUser: 'no-such-user-maml' });
    assert.throws(sandboxIdentity, /not a user on this machine/);
    setHostTools({ sandboxUser: String(UNPRIVILEGED) });
    // Python lives under /root (pyenv) on some machines: the bind must still be reachable by the sandbox user.
    const python = executorFor('python');
    assert.ok(python);
    const result = await python.run(
      taskSpec({ blockId: 'who', lang: 'python', source: 'import os\nmaml.output("uid", os.getuid())' }),
      {},
    );
    assert.equal(result.outputs['uid'], UNPRIVILEGED);
  },
);

test(
  'x32 system calls kill the block',
  { skip: NEEDS_BWRAP || (process.arch !== 'x64' && 'x86_64 only') },
  async () => {
    const python = executorFor('python');
    assert.ok(python);
    // getpid with the x32 bit: harmless if it ran; the filter kills the process instead (SIGSYS, status 159).
    const source = 'import ctypes\nctypes.CDLL(None).syscall(0x40000000 + 39)\nprint("survived")';
    await assert.rejects(python.run(taskSpec({ blockId: 'x32', lang: 'python', source }), {}), (error: unknown) => {
      assert.ok(error instanceof MamlError);
      assert.equal(error.code, 'block_failed');
      assert.match(error.message, /status 159|SIGSYS/);
      assert.doesNotMatch(error.message, /survived/);
      return true;
    });
  },
);

test('maml run: an attack block run end to end through the CLI is contained', { skip: NEEDS_BWRAP }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-attack-run-'));
  const doc = join(dir, 'attack.maml.md');
  writeFileSync(
    doc,
    [
      '---',
      'maml_version: "1.0"',
      'id: "urn:uuid:0b7e4a61-54a1-4cf2-8d0f-3f2d1e6c9a10"',
      'type: workflow',
      'origin: "agent://local/sandbox-test"',
      'created_at: "2026-01-01T00:00:00Z"',
      'permissions:',
      '  execute: ["agent://local"]',
      '  network: false',
      '---',
      '',
      '## Intent',
      '',
      'Try to leave the sandbox.',
      '',
      '## Code_Blocks',
      '',
      '```bash {#escape}',
      'st() { sed -n "s/^$1:[[:space:]]*//p" /proc/self/status; }',
      'if (exec 4>>/proc/sys/kernel/core_pattern) 2>/dev/null; then r=opened; else r=denied; fi',
      'maml_output core_pattern "\\"$r\\""',
      'maml_output uid "$(st Uid | cut -f1)"',
      'maml_output seccomp "$(st Seccomp)"',
      'maml_output cap_eff "\\"$(st CapEff)\\""',
      `maml_output fds "\\"$(${LIST_FDS})\\""`,
      'maml_output passphrase "\\"${MAML_KEY_PASSPHRASE:-unset}\\""',
      '```',
      '',
    ].join('\n'),
  );
  const r = runCli(['run', doc, '--json', '--no-write', '--allow-risk', '--heads', 'quantum:1,ai:1'], {
    env: {
      MAML_STATE_DIR: join(dir, 'state'),
      DATABASE_URL: '',
      MAML_KEY_PASSPHRASE: 'cli-passphrase-secret',
    },
  });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const outputs = (JSON.parse(r.stdout) as { outputs: Record<string, unknown> }).outputs;
  assert.equal(outputs['core_pattern'], 'denied');
  assert.equal(outputs['seccomp'], 2);
  assert.equal(outputs['cap_eff'], '0000000000000000');
  assert.equal(outputs['passphrase'], 'unset');
  assert.notEqual(outputs['uid'], 0);
  // The head's own descriptors (its channel to the scheduler among them) stay out of the block.
  assert.equal(String(outputs['fds']).trim(), '0 1 2 3');
});

after(() => rmSync(fakeHome, { recursive: true, force: true }));
