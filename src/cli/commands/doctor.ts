/** `maml doctor`: what this machine has for running blocks, and the command that fixes each missing piece. */
import type { Command } from '../command.js';
import { defaultStateDir } from '../../runtime/index.js';
import { runDoctor } from '../../runtime/doctor/index.js';
import type { DoctorCheck } from '../../runtime/doctor/index.js';

const HELP = `Usage: maml doctor [--json] [--no-gpu]

Checks what blocks need on this machine and prints, for each missing piece, the command that installs it:
the Python interpreters (MAML_PYTHON, python3 on PATH, /usr/bin/python3; pyenv and virtual environments are
resolved to the real interpreter, whose packages the sandbox sees) with numpy and torch (on Debian:
apt-get install python3-torch python3-numpy), bubblewrap (the block sandbox), slirp4netns (blocks granted the
network), OCaml, a WebGPU adapter over Vulkan (backend=webgpu), and the run database (DATABASE_URL, else the
embedded one in MAML_STATE_DIR).

Exit status 1 when something blocks cannot run without is missing (the sandbox, the configured Python, an
unreachable DATABASE_URL), else 0.

Options:
  --json      print {"checks":[{"name","status","detail","fix","required"}],"ok"}
  --no-gpu    skip the WebGPU adapter check (it loads the GPU stack)
  -h, --help  show this help`;

function line(check: DoctorCheck, paint: (color: 'red' | 'green' | 'yellow', text: string) => string): string {
  const mark =
    check.status === 'ok'
      ? paint('green', 'ok     ')
      : check.status === 'missing'
        ? paint('red', 'missing')
        : paint('yellow', 'warning');
  return `${mark} ${check.name}: ${check.detail}${check.fix ? `\n        fix: ${check.fix}` : ''}`;
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check interpreters, torch/numpy, the sandbox, OCaml, GPU and database, with fixes',
  help: HELP,
  options: { json: { type: 'boolean' }, 'no-gpu': { type: 'boolean' } },
  async run(ctx) {
    const python = process.env['MAML_PYTHON'];
    const databaseUrl = process.env['DATABASE_URL'];
    const checks = await runDoctor(
      {
        ...(python ? { python } : {}),
        ...(databaseUrl ? { databaseUrl } : {}),
        stateDir: defaultStateDir(process.env),
      },
      { gpu: ctx.values['no-gpu'] !== true },
    );
    const ok = !checks.some((c) => c.required && c.status === 'missing');
    if (ctx.values['json'] === true) ctx.out.print(JSON.stringify({ checks, ok }, null, 2));
    else for (const check of checks) ctx.out.print(line(check, (color, text) => ctx.out.paint(color, text)));
    return ok ? 0 : 1;
  },
};
