// Shared imports for the quantum tests.
export * from '../../src/quantum/index.js';
export interface MamlErrorLike {
  readonly code: string;
  readonly message: string;
}
