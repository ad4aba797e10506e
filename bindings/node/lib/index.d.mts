// Types of the ES module entry point: the CommonJS declarations, plus the
// default export (the whole module, as lib/index.mjs exports it).
import * as vectorpin from './index.js';

export * from './index.js';
export default vectorpin;
