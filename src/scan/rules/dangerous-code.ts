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
  /\bb64decode\(|\batob\(|\bbytes\.fromhex\(|Buffer\.from\([^)]*['"](?:base64|hex)['"]|\bcodecs\.decode\(/g;
const PIPE_SHELL =
  /\b(?:curl|wget)\b[^\n|;]*\|\s*(?:sudo\s+)?(?:ba|z|k)?sh\b|\bInvoke-Expression\b|\biex\s*\(|\bIEX\s*\(\s*New-Object/gi;
const DOWNLOAD_EXECUTE =
  /\b(?:wget|curl)\b[^\n]*(?:-O|-o|>)\s*\S+[\s\S]{0,200}?\bchmod\s+(?:\+x|[0-7]*[1357][0-7]{0,2})\b/g;
const DESTRUCTIVE =
  /\brm\s+-(?:rf|fr)\s+(?:\/|~|\$HOME|\/\*)(?=\s|$|["'])|\bshutil\.rmtree\(\s*['"](?:\/|~)['"]|\bmkfs\.\w+|\bdd\s+if=[^\n]*of=\/dev\/[sh]d|:\(\)\s*\{\s*:\|:&\s*\};:/g;
const REVERSE =
  /\/dev\/tcp\/|\bnc\s+(?:-\w+\s+)*-e\b|\bos\.dup2\([^)]*fileno|\bsocket\b[^\n]*\bsubprocess\b[^\n]*\bstdin/g;

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'zsh', 'console', 'powershell', 'ps1']);

function first(re: RegExp, text: string): RegExpMatchArray | undefined {
  re.lastIndex = 0;
  return text.match(new RegExp(re.source, re.flags.replace('g', ''))) ?? undefined;
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
  const pipe = first(PIPE_SHELL, seg.text);
  add(pipe, 'pipe_to_shell', 'error', 45, `runs downloaded code ("${pipe?.[0].trim() ?? ''}")`);
  const fetched = first(DOWNLOAD_EXECUTE, seg.text);
  if (!pipe) add(fetched, 'download_and_execute', 'error', 40, 'downloads a file, makes it executable and runs it');
  const destructive = first(DESTRUCTIVE, seg.text);
  add(destructive, 'destructive_command', 'error', 40, `destructive command ("${destructive?.[0] ?? ''}")`);
  const reverse = first(REVERSE, seg.text);
  add(reverse, 'reverse_shell', 'error', 50, 'opens a reverse shell');
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
        const pipe = first(PIPE_SHELL, seg.text);
        if (pipe)
          findings.push({
            code: 'pipe_to_shell',
            severity: 'error',
            message: `text tells the reader to run downloaded code ("${pipe[0].trim()}")`,
            offset: seg.offset + (pipe.index ?? 0),
            length: pipe[0].length,
            weight: 40,
          });
      }
    }
    return findings;
  },
};
