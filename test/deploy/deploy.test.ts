/**
 * The deployment files: the image's install script runs here (the Dockerfile runs nothing else to install), and
 * every Kustomize overlay under deploy/kubernetes renders (`kubectl kustomize`) into resources that validate
 * against the Kubernetes schemas (kubernetes-models), with what each overlay promises.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../helpers/paths.js';
import { needTool } from '../helpers/tools.js';

const KUBE = join(ROOT, 'deploy/kubernetes');
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const NEEDS_KUBECTL = needTool(
  kubectl.status === 0 ? false : 'kubectl is not installed (apt-get install kubernetes-client, or kubectl ≥ 1.21)',
);
const NEEDS_ROOT = process.getuid?.() === 0 ? false : 'the install script installs system packages as root';

interface Resource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly spec?: Record<string, unknown>;
}

function render(dir: string): Resource[] {
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return parseAllDocuments(r.stdout).map((d) => d.toJSON() as Resource);
}

/** The kubernetes-models class for a resource's apiVersion and kind. */
async function model(resource: Resource): Promise<new (data: unknown) => { validate(): void }> {
  const [group, version] = resource.apiVersion.includes('/')
    ? resource.apiVersion.split('/')
    : ['', resource.apiVersion];
  const module = (await import(`kubernetes-models/${group ? `${group}/` : ''}${version}`)) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  const found = module[resource.kind];
  assert.ok(found, `no schema for ${resource.apiVersion} ${resource.kind}`);
  return found;
}

async function validateAll(resources: readonly Resource[]): Promise<void> {
  for (const resource of resources) {
    const Model = await model(resource);
    assert.doesNotThrow(() => new Model(resource).validate(), `${resource.kind} ${resource.metadata.name}`);
  }
}

const overlays = readdirSync(join(KUBE, 'overlays'));

test('the install script runs here, and is the only install step of the Dockerfile', { skip: NEEDS_ROOT }, () => {
  const r = spawnSync('bash', [join(ROOT, 'scripts/install-runtime.sh')], { encoding: 'utf8', timeout: 600_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /installed; users maml-sandbox and maml exist/);
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  assert.match(dockerfile, /^COPY scripts\/install-runtime\.sh \/usr\/local\/sbin\/install-runtime\.sh$/m);
  assert.match(dockerfile, /^RUN bash \/usr\/local\/sbin\/install-runtime\.sh$/m);
  assert.doesNotMatch(dockerfile, /apt-get|apk |yum /, 'system packages are installed by the script only');
  assert.match(dockerfile, /^USER maml$/m);
});

test(
  'every overlay renders and every resource validates against the Kubernetes schemas',
  { skip: NEEDS_KUBECTL },
  async () => {
    assert.deepEqual(overlays.sort(), ['dev', 'production']);
    for (const overlay of ['base', ...overlays.map((o) => `overlays/${o}`)]) {
      const resources = render(join(KUBE, overlay));
      assert.deepEqual(
        resources.map((r) => r.kind).sort(),
        ['ConfigMap', 'Deployment', 'Deployment', 'HorizontalPodAutoscaler', 'Secret', 'Secret', 'Service'],
        overlay,
      );
      await validateAll(resources);
    }
  },
);

test('the production overlay is the seeds’ replicas=6; dev has one small worker', { skip: NEEDS_KUBECTL }, () => {
  const production = render(join(KUBE, 'overlays/production'));
  const byName = (rs: Resource[], kind: string, name: string): Resource => {
    const found = rs.find((r) => r.kind === kind && r.metadata.name === name);
    assert.ok(found, `${kind} ${name}`);
    return found;
  };
  const worker = byName(production, 'Deployment', 'maml-worker');
  assert.equal(worker.spec?.['replicas'], 6);
  assert.equal(byName(production, 'HorizontalPodAutoscaler', 'maml-worker').spec?.['minReplicas'], 6);
  const text = JSON.stringify(worker);
  assert.match(text, /registry\.example\.com\/maml-gateway:0\.1\.0/);
  assert.match(text, /"secretKeyRef":\{"key":"url","name":"maml-database"\}/);
  const gateway = JSON.stringify(byName(production, 'Deployment', 'maml-gateway'));
  assert.match(gateway, /--no-local-heads/);
  assert.match(gateway, /"name":"maml-config-[a-z0-9]+"/, 'the generated ConfigMap, by its hashed name');
  const dev = render(join(KUBE, 'overlays/dev'));
  assert.equal(byName(dev, 'Deployment', 'dev-maml-worker').spec?.['replicas'], 1);
});

test('the validator refuses what Kubernetes would', { skip: NEEDS_KUBECTL }, async () => {
  const [deployment] = render(join(KUBE, 'base')).filter((r) => r.kind === 'Deployment');
  assert.ok(deployment);
  const bad = { ...deployment, spec: { ...deployment.spec, replicas: 'six' } };
  const Model = await model(bad);
  assert.throws(() => new Model(bad).validate());
  const noSelector = { ...deployment, spec: { ...deployment.spec, selector: undefined } };
  assert.throws(() => new Model(noSelector).validate());
});
