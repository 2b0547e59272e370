// NIST ACVP known-answer tests (internalProjection files: each test group's parameters plus, per case, the
// inputs and the expected outputs or `testPassed`). Every case runs through the product's own wrappers; cases
// for interfaces the product does not offer are counted as skipped with a reason, and a guard requires a
// substantial number of executed cases per file so a moved or emptied file cannot pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aesGcmOpen,
  aesGcmSeal,
  bytesToHex,
  isMlDsaAlg,
  mlDsaKeygen,
  mlDsaVerify,
  mlKemCheckPublicKey,
  mlKemCheckSecretKey,
  mlKemDecapsulate,
  mlKemEncapsulate,
  mlKemKeygen,
  type MlKemAlg,
} from '../../src/crypto/index.js';
import { hex, loadAcvp, type AcvpGroup } from './vectors.js';

class Tally {
  executed = 0;
  readonly skipped = new Map<string, number>();
  skip(reason: string, n: number): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + n);
  }
  /** The guard: this many cases must actually have run. */
  require(min: number, what: string): void {
    assert.ok(this.executed >= min, `${what}: executed ${this.executed} cases, need at least ${min}`);
  }
}

const eqHex = (actual: Uint8Array | undefined, expected: unknown, where: string): void =>
  assert.equal(actual ? bytesToHex(actual) : undefined, String(expected).toLowerCase(), where);

function mlDsaAlg(group: AcvpGroup): 'ml-dsa-44' | 'ml-dsa-65' | 'ml-dsa-87' {
  const alg = String(group['parameterSet']).toLowerCase();
  assert.ok(isMlDsaAlg(alg), `unexpected parameter set ${alg}`);
  return alg;
}

function mlKemAlg(group: AcvpGroup): MlKemAlg {
  const alg = String(group['parameterSet']).toLowerCase();
  assert.ok(alg === 'ml-kem-512' || alg === 'ml-kem-768' || alg === 'ml-kem-1024', `unexpected ${alg}`);
  return alg;
}

test('ACVP ML-DSA keyGen (FIPS 204)', () => {
  const tally = new Tally();
  for (const group of loadAcvp('ML-DSA-keyGen-FIPS204.internalProjection.json.gz')) {
    const alg = mlDsaAlg(group);
    for (const t of group.tests) {
      const pair = mlDsaKeygen(alg, hex(t['seed']));
      eqHex(pair.publicKey, t['pk'], `tc ${String(t['tcId'])} pk`);
      eqHex(pair.secretKey, t['sk'], `tc ${String(t['tcId'])} sk`);
      tally.executed++;
    }
  }
  tally.require(75, 'ML-DSA keyGen');
});

test('ACVP ML-DSA sigVer (FIPS 204): external interface, pure, with context', () => {
  const tally = new Tally();
  let rejected = 0;
  for (const group of loadAcvp('ML-DSA-sigVer-FIPS204.internalProjection.json.gz')) {
    const alg = mlDsaAlg(group);
    if (group['signatureInterface'] !== 'external') {
      tally.skip(
        'internal interface (ML-DSA.Verify_internal / external mu): not offered by the product',
        group.tests.length,
      );
      continue;
    }
    if (group['preHash'] !== 'pure') {
      tally.skip('HashML-DSA (pre-hash): the product signs pure ML-DSA only', group.tests.length);
      continue;
    }
    for (const t of group.tests) {
      const ok = mlDsaVerify(alg, hex(t['pk']), hex(t['message']), hex(t['signature']), hex(t['context'] ?? ''));
      assert.equal(ok, t['testPassed'], `tc ${String(t['tcId'])} (${String(t['reason'])})`);
      if (!ok) rejected++;
      tally.executed++;
    }
  }
  tally.require(45, 'ML-DSA sigVer');
  assert.ok(rejected >= 20, `only ${rejected} invalid signatures exercised`);
  assert.equal(
    [...tally.skipped.values()].reduce((a, b) => a + b, 0),
    135,
    'skipped cases are all accounted for',
  );
});

test('ACVP ML-KEM keyGen (FIPS 203)', () => {
  const tally = new Tally();
  for (const group of loadAcvp('ML-KEM-keyGen-FIPS203.internalProjection.json.gz')) {
    const alg = mlKemAlg(group);
    for (const t of group.tests) {
      const seed = new Uint8Array([...hex(t['d']), ...hex(t['z'])]);
      const pair = mlKemKeygen(alg, seed);
      eqHex(pair.publicKey, t['ek'], `tc ${String(t['tcId'])} ek`);
      eqHex(pair.secretKey, t['dk'], `tc ${String(t['tcId'])} dk`);
      tally.executed++;
    }
  }
  tally.require(75, 'ML-KEM keyGen');
});

test('ACVP ML-KEM encapDecap (FIPS 203): encapsulation, decapsulation, key checks', () => {
  const tally = new Tally();
  const perFunction = new Map<string, number>();
  for (const group of loadAcvp('ML-KEM-encapDecap-FIPS203.internalProjection.json.gz')) {
    const alg = mlKemAlg(group);
    const fn = String(group['function']);
    for (const t of group.tests) {
      const where = `tg ${group.tgId} tc ${String(t['tcId'])} ${fn}`;
      switch (fn) {
        case 'encapsulation': {
          const out = mlKemEncapsulate(alg, hex(t['ek']), hex(t['m']));
          eqHex(out?.cipherText, t['c'], `${where} c`);
          eqHex(out?.sharedSecret, t['k'], `${where} k`);
          break;
        }
        case 'decapsulation':
          // Modified ciphertexts must give the implicit-rejection key, which the vector also lists as k.
          eqHex(mlKemDecapsulate(alg, hex(t['c']), hex(t['dk'])), t['k'], where);
          break;
        case 'encapsulationKeyCheck':
          assert.equal(mlKemCheckPublicKey(alg, hex(t['ek'])), t['testPassed'], where);
          break;
        case 'decapsulationKeyCheck':
          assert.equal(mlKemCheckSecretKey(alg, hex(t['dk'])), t['testPassed'], where);
          break;
        default:
          assert.fail(`unknown ML-KEM function ${fn}`);
      }
      perFunction.set(fn, (perFunction.get(fn) ?? 0) + 1);
      tally.executed++;
    }
  }
  tally.require(150, 'ML-KEM encapDecap');
  for (const fn of ['encapsulation', 'decapsulation', 'encapsulationKeyCheck', 'decapsulationKeyCheck'])
    assert.ok((perFunction.get(fn) ?? 0) >= 10, `${fn}: only ${perFunction.get(fn) ?? 0} cases`);
});

test('ACVP AES-GCM (SP 800-38D): 96-bit IV, 128-bit tag', () => {
  const tally = new Tally();
  let failures = 0;
  for (const group of loadAcvp('ACVP-AES-GCM-1.0.internalProjection.json.gz')) {
    if (group['ivLen'] !== 96 || group['tagLen'] !== 128) {
      tally.skip('IV other than 96 bits or tag other than 128 bits: the product never uses them', group.tests.length);
      continue;
    }
    for (const t of group.tests) {
      const where = `tg ${group.tgId} tc ${String(t['tcId'])}`;
      const [key, iv, aad, ct, tag] = [hex(t['key']), hex(t['iv']), hex(t['aad']), hex(t['ct']), hex(t['tag'])];
      if (group['direction'] === 'encrypt') {
        eqHex(aesGcmSeal(key, iv, hex(t['pt']), aad), `${String(t['ct'])}${String(t['tag'])}`, where);
      } else {
        const pt = aesGcmOpen(key, iv, new Uint8Array([...ct, ...tag]), aad);
        if (t['testPassed'] === false) {
          assert.equal(pt, undefined, `${where}: forged tag must be rejected`);
          failures++;
        } else eqHex(pt, t['pt'], where);
      }
      tally.executed++;
    }
  }
  tally.require(30, 'AES-GCM');
  assert.ok(failures >= 1, 'no authentication failure case exercised');
  assert.equal(tally.skipped.size, 1);
});
