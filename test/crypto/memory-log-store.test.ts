// The in-memory LogStore against the shared conformance suite.
import { MemoryLogStore } from '../../src/crypto/index.js';
import { runLogStoreConformance } from './log-store.case.js';

runLogStoreConformance('MemoryLogStore', () => Promise.resolve(new MemoryLogStore()));
