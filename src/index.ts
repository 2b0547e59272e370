// Public API of the package, by area. Node-only areas (runtime, server, cli) are reached through their own paths.
export * from './shared/index.js';
