/**
 * Dangerous patterns in code blocks, weighed against the document's declared permissions: network calls without
 * `permissions.network`, reading credentials (SSH keys, cloud credentials, the MAML keyring), shell escapes,
 * running downloaded or decoded code, reverse shells and destructive commands. Combinations (credentials plus
 * network, network plus eval) weigh more than their parts.
 */
import type { Finding, ScanRule } from '../rule.js';
import type { Segment } from '../segments.js';

const NET =
  /\brequests\.(?:get|post|put|patch|request|Session)\b|\burllib\.request\b|\burlopen\(|\bhttp\.client\b|\bhttpx\.|\baiohttp\b|\bsocket\.(?:socket|create_connection)\(|\bfetch\(|\baxios\b|\bXMLHttpRequest\b|\bnew\s+WebSocket\(|\bnet\.connect\(|\bhttps?\.(?:get|request)\(|\bcurl\s|\bwget\s|\bInvoke-WebRequest\b|\bsmtplib\b|\bftplib\b|\bparamiko\b|\bUrlFetch\b/g;
const CRED_FILES =
  /~\/\.ssh\b|\.ssh\/|\bid_(?:rsa|ed25519|ecdsa)\b|\.aws\/credentials|\.netrc\b|\.kube\/config|\.gnupg\b|\/etc\/shadow|\/etc\/passwd|maml\/keyring|MAML_KEY_PASSPHRASE|\.docker\/config\.json|\.git-credentials|Login Data|Cookies\.sqlite/g;
const CRED_ENV =
  /(?:os\.environ|process\.env|getenv|os\.getenv)[^\n]{0,40}(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)/gi;
const SHELL =
  /\bos\.system\(|\bsubprocess\.\w+\(|\bchild_process\b|\bexecSync\(|\bspawnSync\(|\bPopen\(|\bpty\.spawn\(|Runtime\.getRuntime\(\)\.exec|\bshell\s*=\s*True\b|\bos\.popen\(|\bos\.exec[lv]p?e?\(/g;
const DYNAMIC =
  /(?<![.\w])eval\(|(?<![.\w])exec\(|\bnew\s+Function\(|\b__import__\(|\bpickle\.loads?\(|\bmarshal\.loads\(|\bvm\.runIn\w+\(/g;
const DECODE =
  /\bb64decode\(|\batob\(|\bbytes\.fromhex\(|Buffer\.from\([^)\n]{0,200}['"](?:base64|hex)['"]|\bcodecs\.decode\(/g;
/** A pipe into a shell; the download before it is looked for separately (see `pipeToShell`). */
const PIPE_INTO_SHELL = /\|\s*(?:sudo\s+)?(?:ba|z|k)?sh\b/gi;
const DOWNLOADER = /\b(?:curl|wget)\b/i;
const OTHER_PIPE_SHELL = /\bInvoke-Expression\b|\biex\s*\(|\bIEX\s*\(\s*New-Object/gi;
const OUTPUT_FLAG = /-O|-o|>/;
const MAKE_EXECUTABLE = /\bchmod\s+(?:\+x|[0-7]*[1357][0-7]{0,2})\b/g;
const DESTRUCTIVE =
  /\brm\s+-(?:rf|fr)\s+(?:\/|~|\$HOME|\/\*)(?=\s|$|["'])|\bshutil\.rmtree\(\s*['"](?:\/|~)['"]|\bmkfs\.\w+|:\(\)\s*\{\s*:\|:&\s*\};:/g;
const DD_TO_DISK = /\bdd\s+if=/g;
const DISK_DEVICE = /of=\/dev\/[sh]d/g;
const REVERSE = /\/dev\/tcp\/|\bnc\s+(?:-\w+\s+){0,8}-e\b|\bos\.dup2\([^)\n]{0,200}fileno/g;

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'zsh', 'console', 'powershell', 'ps1']);

/** Quoted code in a message, cut to a readable length. */
function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

function first(re: RegExp, text: string): RegExpMatchArray | undefined {
  re.lastIndex = 0;
  return text.match(new RegExp(re.source, re.flags.replace('g', ''))) ?? undefined;
}

/**
 * Every pattern here finds its first match in time linear in the text. Patterns that join two parts of a line
 * (`curl … | sh`, `dd if=… of=/dev/sda`) are not written as one expression with a `[^\n]*` gap: that gap would be
 * rescanned from every occurrence of the first part, which is quadratic on a long line full of them. Instead the
 * second part is found first and the first part looked for in the stretch before it, each stretch once.
 */

/** A match found by hand, shaped like a regex match for `add`. */
function matchAt(text: string, start: number, end: number): RegExpMatchArray {
  const m = [text.slice(start, end)] as RegExpMatchArray;
  m.index = start;
  return m;
}

/** The line holding `offset`: [start, end) without its terminator. */
function lineAround(text: string, offset: number): [number, number] {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const nl = text.indexOf('\n', offset);
  return [start, nl === -1 ? text.length : nl];
}

/**
 * `curl|wget …` then `| sh` with no `|`, `;` or line break between them (what
 * `/\b(?:curl|wget)\b[^\n|;]*\|\s*(?:sudo\s+)?(?:ba|z|k)?sh\b/i` matches), or a PowerShell download-and-run.
 */
export function pipeToShell(text: string): RegExpMatchArray | undefined {
  let found: RegExpMatchArray | undefined;
  PIPE_INTO_SHELL.lastIndex = 0;
  for (const pipe of text.matchAll(PIPE_INTO_SHELL)) {
    // The stretch before this pipe back to the previous `|`, `;` or line break.
    let from = pipe.index;
    while (from > 0) {
      const c = text.charCodeAt(from - 1);
      if (c === 124 || c === 59 || c === 10) break;
      from--;
    }
    const download = DOWNLOADER.exec(text.slice(from, pipe.index));
    if (download) {
      found = matchAt(text, from + download.index, pipe.index + pipe[0].length);
      break;
    }
  }
  const other = first(OTHER_PIPE_SHELL, text);
  if (other && (!found || (other.index ?? 0) < (found.index ?? 0))) return other;
  return found;
}

/** A download to a file (`curl … -o f`, `wget … -O f`, `> f`) and, within 200 characters after its line, `chmod +x`. */
export function downloadAndExecute(text: string): RegExpMatchArray | undefined {
  let lineEnd = -1;
  for (const chmod of text.matchAll(MAKE_EXECUTABLE)) {
    // Downloads on the lines that end at most 200 characters before the chmod, each line read once overall.
    const windowStart = Math.max(0, chmod.index - 200);
    let at = Math.max(windowStart, lineEnd + 1);
    while (at < chmod.index) {
      const [start, end] = lineAround(text, at);
      lineEnd = end;
      const line = text.slice(start, Math.min(end, chmod.index));
      const download = DOWNLOADER.exec(line);
      if (download && OUTPUT_FLAG.test(line.slice(download.index)))
        return matchAt(text, start + download.index, chmod.index + chmod[0].length);
      at = end + 1;
    }
  }
  return undefined;
}

/** The last match of `re` (global) in `text`, or undefined: what a greedy `[^\n]*` before it would reach. */
function lastMatch(re: RegExp, text: string): RegExpMatchArray | undefined {
  let last: RegExpMatchArray | undefined;
  for (const m of text.matchAll(re)) last = m;
  return last;
}

/**
 * Destructive commands; `dd if=… of=/dev/sdX` by line (`\bdd\s+if=[^\n]*of=\/dev\/[sh]d`, up to the line's last
 * device), each line read once.
 */
export function destructive(text: string): RegExpMatchArray | undefined {
  const direct = first(DESTRUCTIVE, text);
  let lineEnd = -1;
  for (const dd of text.matchAll(DD_TO_DISK)) {
    if (direct && (direct.index ?? 0) < dd.index) break;
    const from = dd.index + dd[0].length;
    if (from <= lineEnd) continue;
    const [, end] = lineAround(text, from);
    lineEnd = end;
    const device = lastMatch(DISK_DEVICE, text.slice(from, end));
    if (device) return matchAt(text, dd.index, from + (device.index ?? 0) + device[0].length);
  }
  return direct;
}

/** A socket, then `subprocess`, then `stdin` on one line (a Python reverse shell), or the patterns in REVERSE. */
export function reverseShell(text: string): RegExpMatchArray | undefined {
  const direct = first(REVERSE, text);
  const socket = /\bsocket\b/g;
  let lineEnd = -1;
  for (const m of text.matchAll(socket)) {
    if (direct && (direct.index ?? 0) < m.index) break;
    if (m.index <= lineEnd) continue;
    const [, end] = lineAround(text, m.index);
    lineEnd = end;
    const rest = text.slice(m.index, end);
    // Greedy gaps: the match runs to the line's last `stdin` that follows a `subprocess`.
    const sub = /\bsubprocess\b/.exec(rest);
    const after = sub ? sub.index + sub[0].length : 0;
    const stdin = sub ? lastMatch(/\bstdin/g, rest.slice(after)) : undefined;
    if (stdin) return matchAt(text, m.index, m.index + after + (stdin.index ?? 0) + stdin[0].length);
  }
  return direct;
}

function blockFindings(seg: Segment, network: boolean): Finding[] {
  const out: Finding[] = [];
  const add = (
    m: RegExpMatchArray | undefined,
    code: string,
    severity: Finding['severity'],
    weight: number,
    message: string,
  ): void => {
    if (!m) return;
    out.push({ code, severity, message, offset: seg.offset + (m.index ?? 0), length: m[0].length, weight });
  };
  const net = first(NET, seg.text);
  const credFile = first(CRED_FILES, seg.text);
  const credEnv = first(CRED_ENV, seg.text);
  const dynamic = first(DYNAMIC, seg.text);
  const decode = first(DECODE, seg.text);
  if (net && !network)
    add(
      net,
      'undeclared_network',
      'warning',
      25,
      `network call "${net[0].trim()}" but the document does not declare permissions.network: true`,
    );
  add(credFile, 'credential_access', 'error', 35, `reads credentials or keys ("${credFile?.[0] ?? ''}")`);
  if (!credFile) add(credEnv, 'secret_from_environment', 'info', 5, 'reads a secret from the environment');
  if (!SHELL_LANGS.has(seg.lang)) {
    const shell = first(SHELL, seg.text);
    add(shell, 'shell_escape', 'warning', 20, `starts a shell or process ("${shell?.[0] ?? ''}")`);
  }
  if (dynamic && net)
    add(
      dynamic,
      'remote_code_execution',
      'error',
      45,
      `evaluates code ("${dynamic[0]}") in a block that also downloads data`,
    );
  else if (dynamic && decode)
    add(dynamic, 'obfuscated_execution', 'error', 40, `evaluates decoded data ("${decode[0]}" then "${dynamic[0]}")`);
  else add(dynamic, 'dynamic_code', 'warning', 15, `evaluates code built at run time ("${dynamic?.[0] ?? ''}")`);
  // An API key from the environment sent over a declared network is the normal way to call a service; secret
  // files sent anywhere, or secrets sent over an undeclared network, are not.
  if (net && (credFile || (credEnv && !network)))
    add(net, 'credential_exfiltration', 'error', 30, 'reads secrets and talks to the network in the same block');
  const pipe = pipeToShell(seg.text);
  add(pipe, 'pipe_to_shell', 'error', 45, `runs downloaded code ("${clip(pipe?.[0].trim() ?? '')}")`);
  if (!pipe)
    add(
      downloadAndExecute(seg.text),
      'download_and_execute',
      'error',
      40,
      'downloads a file, makes it executable and runs it',
    );
  const wipe = destructive(seg.text);
  add(wipe, 'destructive_command', 'error', 40, `destructive command ("${clip(wipe?.[0] ?? '')}")`);
  add(reverseShell(seg.text), 'reverse_shell', 'error', 50, 'opens a reverse shell');
  return out;
}

export const dangerousCode: ScanRule = {
  id: 'dangerous-code',
  run(ctx) {
    const network = ctx.permissions.network === true;
    const findings: Finding[] = [];
    for (const seg of ctx.segments) {
      if (seg.kind === 'code') for (const f of blockFindings(seg, network)) findings.push(f);
      else if (seg.kind === 'prose') {
        // Prose can still tell a person or model to paste a one-liner.
        const pipe = pipeToShell(seg.text);
        if (pipe)
          findings.push({
            code: 'pipe_to_shell',
            severity: 'error',
            message: `text tells the reader to run downloaded code ("${clip(pipe[0].trim())}")`,
            offset: seg.offset + (pipe.index ?? 0),
            length: pipe[0].length,
            weight: 40,
          });
      }
    }
    return findings;
  },
};
