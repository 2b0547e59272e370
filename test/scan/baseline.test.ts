// The known-good baseline: documents close to a known one pass and name it, an unrelated one is an outlier, the
// default threshold is the lowest leave-one-out similarity of the known documents, and the outlier weighs in the
// score with a diagnostic that names the nearest document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASELINE_WEIGHT, buildBaseline, nearestKnown, scanDocument } from '../../src/scan/index.js';
import { FIXTURES } from './fixtures.js';

const benign = readdirSync(join(FIXTURES, 'benign'))
  .filter((n) => n.endsWith('.maml.md'))
  .sort()
  .map((name) => ({ name, text: readFileSync(join(FIXTURES, 'benign', name), 'utf8') }));

test('a copy of a known document is at similarity 1 and names it; an edit stays near', () => {
  const profile = buildBaseline(benign);
  const bell = benign.find((d) => d.name === 'bell-pair.maml.md');
  assert.ok(bell);
  const same = nearestKnown(profile, bell.text);
  assert.equal(same.nearest, 'bell-pair.maml.md');
  assert.ok(Math.abs(same.similarity - 1) < 1e-5);
  const edited = nearestKnown(profile, bell.text.replace(/1024/g, '2048'));
  assert.equal(edited.nearest, 'bell-pair.maml.md');
  assert.ok(edited.similarity > 0.9);
});

test('the default threshold is the lowest leave-one-out similarity, so every known document passes', () => {
  const profile = buildBaseline(benign);
  const loo = benign.map((d, i) =>
    nearestKnown(
      buildBaseline(
        benign.filter((_, j) => j !== i),
        0,
      ),
      d.text,
    ),
  );
  const lowest = Math.min(...loo.map((x) => x.similarity));
  assert.ok(Math.abs(profile.threshold - lowest) < 1e-6, `${profile.threshold} vs ${lowest}`);
  for (const d of benign) assert.ok(nearestKnown(profile, d.text).similarity >= profile.threshold);
  assert.equal(buildBaseline(benign.slice(0, 1)).threshold, 0.5, 'one document: the fixed default');
  assert.equal(buildBaseline(benign, 0.25).threshold, 0.25, 'an explicit threshold wins');
});

test('an unrelated text is an outlier: it weighs in the score and the diagnostic names the nearest document', () => {
  const profile = buildBaseline(benign);
  const text = 'Captain, the warp core is failing. Reroute auxiliary power to the forward shields and hail the ship.';
  const r = scanDocument(text, { baseline: profile, classifier: false });
  const s = r.signals.find((x) => x.signal === 'baseline');
  assert.ok(s && s.signal === 'baseline');
  assert.equal(s.weight, BASELINE_WEIGHT);
  assert.ok(s.similarity < profile.threshold);
  assert.ok(s.nearest !== null && benign.some((d) => d.name === s.nearest));
  assert.equal(r.score, BASELINE_WEIGHT);
  const d = r.diagnostics.find((x) => x.code === 'baseline_outlier');
  assert.ok(d && d.message.includes(s.nearest));
  // A known document under the same profile adds nothing.
  const known = scanDocument(benign[0]?.text ?? '', { baseline: profile, classifier: false });
  assert.equal(known.signals.find((x) => x.signal === 'baseline')?.weight, 0);
});
