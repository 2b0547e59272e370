/**
 * Dangerous statements in SQL blocks (```` ```sql ````, `postgres`, `psql`), weighed like dangerous-code.ts: what
 * reaches the database server's operating system or files (`COPY … TO/FROM PROGRAM`, `pg_read_file`, large-object
 * import and export, functions in C or an untrusted procedural language), what changes the server or the session's
 * privileges (`ALTER SYSTEM`, `SET ROLE`, `SET SESSION AUTHORIZATION`, superuser roles), what reaches other
 * servers (`dblink`, foreign data wrappers) without `permissions.network`, what touches the gateway's own tables
 * (the `maml` schema: runs, events, the audit log, also through `search_path`), and what holds a connection for
 * long (`pg_sleep` of more than a minute). Comments are blanked first, so a comment between two keywords does not
 * hide a statement.
 */
import type { Finding, ScanRule } from '../rule.js';
import type { Segment } from '../segments.js';

const SQL_LANGS = new Set(['sql']);

interface Pattern {
  readonly re: RegExp;
  readonly code: string;
  readonly severity: Finding['severity'];
  readonly weight: number;
  readonly what: string;
  /** Only when the document does not declare `permissions.network`. */
  readonly unlessNetwork?: boolean;
}

// PostgreSQL's untrusted procedural languages (the `u` suffix) and C run code as the server's operating-system
// user (PostgreSQL docs, "Procedural Languages" and CREATE FUNCTION).
const UNTRUSTED_LANGUAGE = String.raw`(?:c|internal|plpythonu|plpython2u|plpython3u|plperlu|pltclu|plsh|plr|plluau|pljavau|plv8u)`;

/** Every expression starts at a keyword and reads a bounded stretch after it, so each is linear in the block. */
const PATTERNS: readonly Pattern[] = [
  {
    re: /\b(?:TO|FROM)\s+PROGRAM\b/gi,
    code: 'sql_program_execution',
    severity: 'error',
    weight: 50,
    what: 'runs an operating-system command from the database server (COPY … PROGRAM)',
  },
  {
    re: new RegExp(String.raw`\bLANGUAGE\s+['"]?${UNTRUSTED_LANGUAGE}['"]?(?![\w$])`, 'gi'),
    code: 'sql_untrusted_language',
    severity: 'error',
    weight: 45,
    what: 'defines code in C or an untrusted procedural language, which runs as the database server',
  },
  {
    re: /\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:TRUSTED\s+)?(?:PROCEDURAL\s+)?LANGUAGE\b/gi,
    code: 'sql_untrusted_language',
    severity: 'error',
    weight: 45,
    what: 'installs a procedural language',
  },
  {
    re: /\b(?:pg_read_file|pg_read_binary_file|pg_ls_dir|pg_stat_file|pg_ls_logdir|pg_ls_waldir|pg_ls_tmpdir|pg_file_write|pg_file_rename|pg_file_unlink|lo_import|lo_export|lo_from_bytea)\s*\(/gi,
    code: 'sql_server_file_access',
    severity: 'error',
    weight: 40,
    what: "reads or writes the database server's files",
  },
  {
    re: /\bCOPY\b[^;]{0,200}?\b(?:TO|FROM)\s+E?'/gi,
    code: 'sql_server_file_access',
    severity: 'error',
    weight: 40,
    what: "copies between a table and a file on the database server (COPY … TO/FROM 'file')",
  },
  {
    re: /\bALTER\s+SYSTEM\b|\bpg_reload_conf\s*\(/gi,
    code: 'sql_server_configuration',
    severity: 'error',
    weight: 40,
    what: "changes the database server's configuration",
  },
  {
    re: /\bSET\s+(?:SESSION\s+|LOCAL\s+)?(?:ROLE|SESSION\s+AUTHORIZATION)\b/gi,
    code: 'sql_role_change',
    severity: 'error',
    weight: 35,
    what: 'switches to another database role',
  },
  {
    re: /\b(?:CREATE|ALTER)\s+(?:ROLE|USER)\b[^;]{0,200}?\b(?:SUPERUSER|BYPASSRLS|REPLICATION|CREATEROLE)\b/gi,
    code: 'sql_privilege_escalation',
    severity: 'error',
    weight: 40,
    what: 'creates or alters a role with superuser-like rights',
  },
  {
    re: /\bGRANT\b[^;]{0,200}?\bpg_(?:read_server_files|write_server_files|execute_server_program)\b/gi,
    code: 'sql_privilege_escalation',
    severity: 'error',
    weight: 40,
    what: "grants the roles that reach the server's files or programs",
  },
  {
    re: /\b(?:pg_terminate_backend|pg_cancel_backend)\s*\(/gi,
    code: 'sql_session_kill',
    severity: 'error',
    weight: 35,
    what: "ends other sessions' queries or connections",
  },
  {
    re: /(?<![\w$."])"?maml"?\s*\.\s*"?[a-z_]|\bsearch_path\b[^;]{0,200}?\bmaml\b/gi,
    code: 'sql_gateway_tables',
    severity: 'error',
    weight: 45,
    what: "touches the gateway's own tables (schema maml: runs, events, the audit log)",
  },
  {
    re: /\bCREATE\s+EXTENSION\b/gi,
    code: 'sql_create_extension',
    severity: 'warning',
    weight: 25,
    what: 'installs a database extension',
  },
  {
    re: /\b(?:dblink(?:_connect(?:_u)?|_exec|_open|_send_query)?|postgres_fdw|CREATE\s+SERVER|CREATE\s+FOREIGN\s+TABLE|IMPORT\s+FOREIGN\s+SCHEMA)\b/gi,
    code: 'sql_network_access',
    severity: 'warning',
    weight: 25,
    what: 'connects from the database to another server',
    unlessNetwork: true,
  },
  {
    re: /\bDROP\s+(?:DATABASE|SCHEMA|ROLE|USER|OWNED)\b/gi,
    code: 'sql_destructive',
    severity: 'warning',
    weight: 20,
    what: 'drops a database, schema or role',
  },
];

/** `pg_sleep(seconds)`, `pg_sleep_for('interval')`, `pg_sleep_until(…)`: flagged above a minute, or unknown. */
const SLEEP = /\bpg_sleep(_for|_until)?\s*\(\s*([^)]{0,40})\)?/gi;
const LONG_SLEEP_SECONDS = 60;
const UNIT_SECONDS: Readonly<Record<string, number>> = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
};

/** Seconds a sleep asks for, or undefined when it cannot be read (a column, a parameter, an expression). */
function sleepSeconds(kind: string | undefined, argument: string): number | undefined {
  const arg = argument.trim();
  if (kind === '_until') return Infinity;
  if (kind === '_for') {
    const m = /^'\s*([\d.]+)\s*([a-z]+)?\s*'/i.exec(arg);
    if (!m) return undefined;
    const unit = UNIT_SECONDS[(m[2] ?? 's').toLowerCase()];
    return unit === undefined ? undefined : Number(m[1]) * unit;
  }
  const n = /^[\d.]+(?:e\d+)?$/i.test(arg) ? Number(arg) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Replaces `-- …` and `/* … *\/` comments with spaces, keeping every offset. */
function blankComments(sql: string): string {
  if (!sql.includes('--') && !sql.includes('/*')) return sql;
  let out = '';
  let i = 0;
  let quote = 0;
  while (i < sql.length) {
    const c = sql.charCodeAt(i);
    if (quote !== 0) {
      out += sql[i];
      if (c === quote) quote = 0;
      i++;
    } else if (c === 39 || c === 34) {
      quote = c;
      out += sql[i];
      i++;
    } else if (c === 45 && sql.charCodeAt(i + 1) === 45) {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += sql[i];
      i++;
    }
  }
  return out;
}

function blockFindings(seg: Segment, network: boolean): Finding[] {
  const out: Finding[] = [];
  const sql = blankComments(seg.text);
  for (const p of PATTERNS) {
    if (p.unlessNetwork && network) continue;
    p.re.lastIndex = 0;
    const m = p.re.exec(sql);
    if (!m) continue;
    out.push({
      code: p.code,
      severity: p.severity,
      message: `SQL ${p.what} ("${m[0].replace(/\s+/g, ' ').trim().slice(0, 60)}")${p.unlessNetwork ? ' but the document does not declare permissions.network' : ''}`,
      offset: seg.offset + m.index,
      length: m[0].length,
      weight: p.weight,
    });
  }
  for (const m of sql.matchAll(SLEEP)) {
    const seconds = sleepSeconds(m[1], m[2] ?? '');
    if (seconds !== undefined && seconds <= LONG_SLEEP_SECONDS) continue;
    out.push({
      code: 'sql_long_sleep',
      // A length only known at run time (an input, an expression) is noted, not weighed.
      severity: seconds === undefined ? 'info' : 'warning',
      message: `SQL sleeps ${seconds === undefined ? 'for a time only known when it runs' : seconds === Infinity ? 'until a given time' : `${seconds} s`}, holding a database connection ("${m[0].trim().slice(0, 60)}"); keep sleeps under ${LONG_SLEEP_SECONDS} s`,
      offset: seg.offset + m.index,
      length: m[0].length,
      weight: seconds === undefined ? 0 : 20,
    });
    break;
  }
  return out;
}

export const dangerousSql: ScanRule = {
  id: 'dangerous-sql',
  run(ctx) {
    const network = ctx.permissions.network === true;
    const findings: Finding[] = [];
    for (const seg of ctx.segments) {
      if (seg.kind === 'code' && SQL_LANGS.has(seg.lang)) for (const f of blockFindings(seg, network)) findings.push(f);
    }
    return findings;
  },
};
