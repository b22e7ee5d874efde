// node:http read as a CommonJS module object, not through an ESM import: an ESM import of a
// built-in reads every one of its exports, and node:http's WebSocket, CloseEvent and
// MessageEvent getters then load Node's own undici (a second HTTP client beside @qhc/kube's,
// never used here): about 13 MiB of RSS from startup on. test/startup-memory.test.ts holds it.
export const { createServer } = process.getBuiltinModule('node:http');
