/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core, one browser for the whole file)
 * against a real gateway with real heads: the quickstart submitted through the Submit page runs to green with its
 * histogram; a failed run shows its error at the failing block; a long run is cancelled from the page after a
 * confirmation; the run list gains a new run without a reload; diagnostics appear at their lines; the audit page
 * checks an inclusion proof in the browser; block outputs and titles holding markup are shown as text; the
 * Content-Security-Policy is strict and enforced (Trusted Types refuse HTML strings). Every page is
 * photographed at 1280 px and at a phone's 390 px under test-artifacts/dashboard/ and must not scroll sideways.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DASHBOARD_CSP } from '../../src/server/dashboard.js';
import { NEEDS_CHROMIUM, launchChromium } from '../helpers/browser.js';
import { ROOT } from '../helpers/paths.js';
import { createGateway } from '../../src/server/index.js';
import { jwtVerifier } from '../../src/server/auth/jwt-verifier.js';
import { startIssuer } from '../server/jwks-server.js';
import { markdown, startGateway, type RunningGateway } from '../server/harness.js';

// Functions passed to page.evaluate run in the browser; these tests compile without the DOM library.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

const DASHBOARD = join(ROOT, 'dist/dashboard');
const ARTIFACTS = join(ROOT, 'test-artifacts/dashboard');
const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

let gw: RunningGateway;
let browser: Browser;
let context: BrowserContext;

const FRONT = (title: string): string =>
  `---\nmaml_version: "1.0"\nid: "urn:uuid:5b2f3c1d-7a4e-4f6b-8c9d-0e1f2a3b4c5d"\ntype: workflow\norigin: "agent://test"\ntitle: ${JSON.stringify(title)}\n---\n\n## Intent\n\nDashboard test.\n\n## Code_Blocks\n\n`;

const FAILING = `${FRONT('Fails in the middle')}\`\`\`javascript {#prepare}
maml.output('ready', true);
\`\`\`

\`\`\`javascript {#explode needs=prepare}
throw new Error('boom: the sensor table is empty');
\`\`\`

\`\`\`javascript {#report needs=explode}
maml.output('never', 1);
\`\`\`
`;

const MARKUP = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
const HOSTILE = `${FRONT('<img src=x onerror="window.__pwned = 3">')}\`\`\`javascript {#html}
maml.output('html', ${JSON.stringify(MARKUP)});
maml.output('rows', [{ name: ${JSON.stringify(MARKUP)}, n: 1 }, { name: 'plain', n: 2 }]);
\`\`\`
`;

const LONG = `${FRONT('Waits a long time')}\`\`\`bash {#wait timeout=2m}
sleep 90
maml_output waited true
\`\`\`

\`\`\`bash {#after needs=wait}
maml_output done true
\`\`\`
`;

before(async () => {
  if (NEEDS_CHROMIUM) return;
  assert.ok(existsSync(join(DASHBOARD, 'index.html')), 'the dashboard is not built: run `npm run build` first');
  mkdirSync(ARTIFACTS, { recursive: true });
  [gw, browser] = await Promise.all([startGateway({ dashboardDir: DASHBOARD }), launchChromium()]);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
});
after(async () => {
  await context?.close();
  await browser?.close();
  await gw?.gateway.close();
});

/** A page that fails the test on any script error or CSP violation, with a marker that a reload would lose. */
async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // The browser logs every API answer of 4xx (a refused run, the token check); those are expected here.
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()))
      problems.push(`console: ${m.text()}`);
  });
  (page as Page & { problems: string[] }).problems = problems;
  await page.goto(`${gw.url}${path}`);
  await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42));
  return page;
}

function problemsOf(page: Page): string[] {
  return (page as Page & { problems: string[] }).problems;
}

async function stillSamePage(page: Page): Promise<void> {
  assert.equal(
    await page.evaluate(() => (window as unknown as { __marker?: number }).__marker),
    42,
    'the page reloaded',
  );
}

async function submit(text: string): Promise<string> {
  const res = await gw.json<{ id: string }>('/v1/runs', markdown(text));
  assert.equal(res.status, 202, JSON.stringify(res.body));
  return res.body.id;
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const w of WIDTHS) {
    await page.setViewportSize({ width: w.width, height: w.height });
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${w.width}.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${name} scrolls sideways by ${overflow} px at ${w.width} px`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test(
  'the quickstart submitted through the Submit page runs to green live, with its histogram',
  { skip: NEEDS_CHROMIUM },
  async () => {
    const page = await open('/#/submit');
    await page.fill('#document', readFileSync(join(ROOT, 'examples/quickstart.maml.md'), 'utf8'));
    await page.locator('#diag-summary.good').waitFor();
    assert.equal(await page.textContent('#diag-summary'), 'No problems found.');
    // The input form comes from ## Input_Schema, with its default.
    assert.equal(await page.inputValue('#in-shots'), '1024');
    await shoot(page, 'submit');
    await page.click('button.primary');
    await page.waitForURL(/#\/runs\/[0-9a-f-]+$/);
    await page.locator('svg.dag g.node').first().waitFor();
    await page.waitForFunction(() => {
      const nodes = [...document.querySelectorAll('svg.dag g.node')];
      return nodes.length === 3 && nodes.every((n) => n.getAttribute('data-state') === 'succeeded');
    });
    await stillSamePage(page);
    await page.locator('svg.histogram g.bar').first().waitFor();
    const bars = await page.$$eval('svg.histogram g.bar', (gs) =>
      gs.map(
        (g: { getAttribute(n: string): string | null }) =>
          [g.getAttribute('data-outcome'), Number(g.getAttribute('data-count'))] as const,
      ),
    );
    assert.ok(bars.length > 0 && bars.every(([o]) => o === '00' || o === '11'), JSON.stringify(bars));
    assert.equal(
      bars.reduce((n, [, c]) => n + c, 0),
      1024,
    );
    await page.locator('.run-status .badge', { hasText: 'succeeded' }).waitFor();
    await page.click('tr[data-block="bell"] button');
    await page.locator('.block-detail .log li', { hasText: 'succeeded' }).waitFor();
    await shoot(page, 'run');
    assert.deepEqual(problemsOf(page), []);
    await page.close();
  },
);

test(
  'a failed run shows its error at the block that failed, and what was skipped after it',
  { skip: NEEDS_CHROMIUM },
  async () => {
    const id = await submit(FAILING);
    const page = await open(`/#/runs/${id}`);
    const row = page.locator('tr[data-block="explode"][data-state="failed"]');
    await row.waitFor();
    assert.match((await row.locator('.error-cell').textContent()) ?? '', /boom: the sensor table is empty/);
    await page.locator('tr[data-block="report"][data-state="skipped"]').waitFor();
    assert.equal(await page.getAttribute('g.node[data-block="prepare"]', 'data-state'), 'succeeded');
    assert.equal(await page.getAttribute('g.node[data-block="explode"]', 'data-state'), 'failed');
    await page.locator('g.node[data-block="explode"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('.block-detail .notice.error', { hasText: 'boom' }).waitFor();
    await page.locator('.run-status .badge', { hasText: 'failed' }).waitFor();
    await shoot(page, 'run-failed');
    assert.deepEqual(problemsOf(page), []);
    await page.close();
  },
);

test('a long run is cancelled from its page after a confirmation', { skip: NEEDS_CHROMIUM }, async () => {
  const id = await submit(LONG);
  const page = await open(`/#/runs/${id}`);
  await page.locator('tr[data-block="wait"][data-state="running"]').waitFor();
  const dialogs: string[] = [];
  page.once('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.click('button.danger');
  await page.waitForFunction(() => document.querySelector('.block-detail') !== null);
  assert.equal(dialogs.length, 1);
  assert.equal((await gw.json(`/v1/runs/${id}`)).body['status'], 'running', 'dismissing the dialog cancels nothing');
  page.once('dialog', (d) => void d.accept());
  await page.click('button.danger');
  await page.locator('.run-status .badge', { hasText: 'cancelled' }).waitFor();
  await page.locator('tr[data-block="wait"][data-state="cancelled"]').waitFor();
  await page.locator('tr[data-block="after"][data-state="skipped"]').waitFor();
  assert.equal((await gw.json(`/v1/runs/${id}`)).body['status'], 'cancelled');
  assert.equal(await page.isDisabled('button.danger'), true);
  await stillSamePage(page);
  assert.deepEqual(problemsOf(page), []);
  await page.close();
});

test(
  'markup in outputs and titles is shown as text; the page cannot be made to run it',
  { skip: NEEDS_CHROMIUM },
  async () => {
    const id = await submit(HOSTILE);
    const runs = await open('/#/runs');
    await runs.locator(`tr[data-run-id="${id}"]`).waitFor();
    assert.equal(
      await runs.locator(`tr[data-run-id="${id}"] a`).textContent(),
      '<img src=x onerror="window.__pwned = 3">',
    );
    const page = await open(`/#/runs/${id}`);
    await page.locator('.run-status .badge', { hasText: 'succeeded' }).waitFor();
    await page.getByText(MARKUP, { exact: true }).first().waitFor();
    assert.equal(await page.locator('main img, main script').count(), 0);
    const table = page.locator('table.data');
    assert.equal(await table.locator('td', { hasText: MARKUP }).count(), 1);
    for (const p of [runs, page]) {
      assert.equal(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      assert.deepEqual(problemsOf(p), []);
    }
    // Trusted Types: even the page's own code could not put an HTML string into the document.
    const refused = await page.evaluate(() => {
      try {
        document.body.insertAdjacentHTML('beforeend', '<b>x</b>');
        return false;
      } catch (e) {
        return e instanceof TypeError;
      }
    });
    assert.equal(refused, true);
    await runs.close();
    await page.close();
  },
);

test('the run list gains a new run and its end without a reload', { skip: NEEDS_CHROMIUM }, async () => {
  const page = await open('/#/runs');
  await page.locator('table.runs').waitFor();
  await page.locator('.live.on').waitFor();
  await page.waitForFunction(() => document.querySelector('.empty, tr[data-run-id]') !== null);
  const id = await submit(FAILING);
  await page.locator(`tr[data-run-id="${id}"]`).waitFor();
  await page.locator(`tr[data-run-id="${id}"][data-status="failed"]`).waitFor();
  await stillSamePage(page);
  await page.selectOption('#f-status', 'failed');
  await page.click('form.filters button');
  await page.waitForFunction(() =>
    [...document.querySelectorAll('tr[data-run-id]')].every((r) => r.getAttribute('data-status') === 'failed'),
  );
  await page.selectOption('#f-status', '');
  await page.click('form.filters button');
  await page.locator('tr[data-run-id][data-status="succeeded"]').first().waitFor();
  await shoot(page, 'runs');
  assert.deepEqual(problemsOf(page), []);
  await page.close();
});

test(
  'diagnostics appear under the lines they are about; bad inputs are refused at their field',
  { skip: NEEDS_CHROMIUM },
  async () => {
    const page = await open('/#/submit');
    const text = `${FRONT('Broken')}\`\`\`javascript {#a needs=ghost}\nmaml.output('x', 1);\n\`\`\`\n\n## Input_Schema\n\n\`\`\`json\n{"type":"object","required":["n"],"properties":{"n":{"type":"integer"}}}\n\`\`\`\n`;
    const fence = text.split('\n').findIndex((l) => l.startsWith('```javascript')) + 1;
    await page.fill('#document', text);
    await page.locator('#diag-summary.bad').waitFor();
    const line = await page.locator('li.diag.error').first().getAttribute('data-line');
    assert.equal(Number(line), fence);
    const atLine = page.locator('ol.annotated-lines > li.has-diag');
    assert.equal(await atLine.first().getAttribute('value'), String(fence));
    await page.fill('#in-n', '2.5');
    await page.click('button.primary');
    await page.locator('.field-msg', { hasText: 'whole number' }).waitFor();
    assert.equal(await page.getAttribute('#in-n', 'aria-invalid'), 'true');
    await page.fill('#in-n', '2');
    await page.click('button.primary');
    await page.locator('.notice.error', { hasText: 'invalid_document' }).waitFor();
    await stillSamePage(page);
    await shoot(page, 'submit-diagnostics');
    assert.deepEqual(problemsOf(page), []);
    await page.close();
  },
);

test(
  'the audit page checks an inclusion proof in the browser; heads are listed',
  { skip: NEEDS_CHROMIUM },
  async () => {
    const size = Number((await gw.json('/v1/audit/checkpoint')).body['size']);
    assert.ok(size > 0, 'earlier tests logged tickets');
    const page = await open(`/#/audit/${size - 1}`);
    await page.locator('[data-verdict="ok"]').waitFor();
    assert.equal(await page.locator('.checks li.ok').count(), 3);
    await page.fill('#ticket', '0');
    await page.click('form.inline button');
    await page.locator('.verdict', { hasText: 'Entry 0 is in the log' }).waitFor();
    await shoot(page, 'audit');
    await page.goto(`${gw.url}/#/heads`);
    await page.locator('tr[data-head="quantum-1"]').waitFor();
    assert.equal(await page.locator('tr[data-head]').count(), 3);
    await shoot(page, 'heads');
    assert.deepEqual(problemsOf(page), []);
    await page.close();
  },
);

test(
  'every dashboard answer carries the strict CSP; the HTML has no inline script or style',
  { skip: NEEDS_CHROMIUM },
  async () => {
    const res = await gw.request('/');
    const html = await res.text();
    assert.equal(res.headers.get('content-security-policy'), DASHBOARD_CSP);
    for (const directive of [
      "script-src 'self'",
      "default-src 'none'",
      "require-trusted-types-for 'script'",
      "frame-ancestors 'none'",
    ])
      assert.ok(DASHBOARD_CSP.includes(directive), directive);
    assert.doesNotMatch(DASHBOARD_CSP, /unsafe-inline|unsafe-eval|\*/);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    for (const m of html.matchAll(/<script\b[^>]*>/g)) assert.match(m[0], /\bsrc="\/ui\//);
    assert.doesNotMatch(html, /<script\b[^>]*>[^<]+<\/script>/);
    assert.doesNotMatch(html, /\son[a-z]+=|\sstyle=|<style/i);
    const js = await gw.request('/ui/ui/main.js');
    assert.equal(js.headers.get('content-security-policy'), DASHBOARD_CSP);
    assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal((await gw.request('/ui/../package.json')).status, 404);
    assert.equal((await gw.request('/ui/ui/nothing.js')).status, 404);
    // The API's own answers keep the API's policy.
    assert.equal(
      (await gw.request('/v1/runs')).headers.get('content-security-policy'),
      "default-src 'none'; frame-ancestors 'none'",
    );
  },
);

test(
  'with --auth jwt the page asks for a bearer token, sends it, and keeps it out of cookies',
  { skip: NEEDS_CHROMIUM },
  async () => {
    const issuer = await startIssuer();
    const verify = await jwtVerifier({ jwks: issuer.jwksUrl, issuer: issuer.issuer, audience: issuer.audience });
    // The same heads and database as the other tests, behind token auth.
    const secured = await createGateway({
      auth: { mode: 'jwt', verify },
      services: gw.gateway.services,
      dashboardDir: DASHBOARD,
    });
    try {
      const url = await secured.listen(0, '127.0.0.1');
      const page = await context.newPage();
      await page.goto(`${url}/#/runs`);
      await page.locator('.notice.error', { hasText: 'needs a bearer token' }).waitFor();
      const token = await issuer.token({ sub: 'agent://local', scope: 'maml:read maml:run maml:validate' });
      await page.click('details.token summary');
      await page.fill('#token', token);
      await page.click('.token-form button');
      await page.locator('tr[data-run-id]').first().waitFor();
      await page.locator('.live.on').waitFor();
      assert.equal(await page.locator('.notice.error').count(), 0);
      const identities = await page.$$eval('tr[data-run-id] td:nth-child(3)', (tds: { textContent: string }[]) =>
        tds.map((t) => t.textContent),
      );
      assert.ok(identities.every((i) => i === 'agent://local'));
      assert.deepEqual(await context.cookies(url), []);
      const readOnly = await issuer.token({ sub: 'agent://local', scope: 'maml:validate' });
      await page.fill('#token', readOnly);
      await page.click('.token-form button');
      await page.locator('.notice.error', { hasText: 'maml:read' }).waitFor();
      await page.close();
    } finally {
      await secured.close();
      await issuer.close();
    }
  },
);
