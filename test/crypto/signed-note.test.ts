// C2SP signed-note: the specification's own Ed25519 example is the test of record; ML-DSA notes use the 0xff
// escape type and must round-trip and reject edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ed25519Keygen,
  ed25519NoteSigner,
  ed25519NoteVerifier,
  formatCheckpoint,
  mlDsaKeygen,
  mlDsaNoteSigner,
  mlDsaNoteType,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  signNote,
  verifierKey,
} from '../../src/crypto/index.js';

// c2sp.org/signed-note §Verifier keys, Example.
const SPEC_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const SPEC_NOTE =
  'This is an example message.\n\n' +
  '\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

test('the signed-note specification example verifies with its vkey', () => {
  const verifier = parseVerifierKey(SPEC_VKEY);
  assert.ok(verifier);
  const opened = openNote(SPEC_NOTE, [verifier]);
  assert.deepEqual(opened, { ok: true, text: 'This is an example message.\n', verifiedBy: ['example.com/foo'] });
});

test('the specification example is rejected when its text or signature changes', () => {
  const verifier = parseVerifierKey(SPEC_VKEY);
  assert.ok(verifier);
  assert.equal(openNote(SPEC_NOTE.replace('example message', 'example massage'), [verifier]).ok, false);
  assert.equal(openNote(SPEC_NOTE.replace('Uw2QOkn8', 'Uw2QOkn9'), [verifier]).ok, false);
  // A vkey whose ID does not match its name and key is refused outright.
  assert.equal(parseVerifierKey(SPEC_VKEY.replace('530d903a', '530d903b')), undefined);
});

test('Ed25519 and ML-DSA signatures on one checkpoint; unknown keys ignored, known bad key rejects', () => {
  const ed = ed25519Keygen();
  const pq = mlDsaKeygen('ml-dsa-65');
  const text = formatCheckpoint({
    origin: 'maml.dev/log/test',
    size: 3,
    rootHash: new Uint8Array(32).fill(7),
    extensions: [],
  });
  const note = signNote(text, [
    ed25519NoteSigner('maml.dev/log/test', ed.secretKey, ed.publicKey),
    mlDsaNoteSigner('maml.dev/log/test-pq', 'ml-dsa-65', pq.secretKey, pq.publicKey),
  ]);
  const pqVerifier = parseVerifierKey(verifierKey('maml.dev/log/test-pq', mlDsaNoteType('ml-dsa-65'), pq.publicKey));
  assert.ok(pqVerifier);
  const both = openNote(note, [ed25519NoteVerifier('maml.dev/log/test', ed.publicKey), pqVerifier]);
  assert.ok(both.ok);
  assert.deepEqual(both.ok && parseCheckpoint(both.text)?.size, 3);
  // Only the ML-DSA key trusted: the Ed25519 line is ignored, the note still opens.
  assert.ok(openNote(note, [pqVerifier]).ok);
  // No trusted key at all: rejected.
  assert.equal(openNote(note, [ed25519NoteVerifier('someone.else/log', ed.publicKey)]).ok, false);
  // A known key whose signature fails rejects the whole note.
  const other = mlDsaKeygen('ml-dsa-65');
  const swapped = signNote(text, [mlDsaNoteSigner('maml.dev/log/test-pq', 'ml-dsa-65', other.secretKey, pq.publicKey)]);
  assert.equal(openNote(swapped, [pqVerifier]).ok, false);
});

test('checkpoint text follows tlog-checkpoint: size without leading zeros, 32-byte root', () => {
  const root = new Uint8Array(32).fill(1);
  const text = formatCheckpoint({ origin: 'example.com/log', size: 20852163, rootHash: root, extensions: [] });
  assert.equal(text.split('\n')[1], '20852163');
  assert.deepEqual(parseCheckpoint(text)?.rootHash, root);
  assert.equal(parseCheckpoint(text.replace('20852163', '020852163')), undefined);
  assert.equal(parseCheckpoint('example.com/log\n1\nAAAA\n'), undefined);
});
