import { test } from 'node:test';
import assert from 'node:assert/strict';
import { originOf, summarizeProfile, type CpuProfile } from './cpu-profile-summary.js';

test('originOf: own code (the kit\'s compiled targets too), npm packages (scoped or not), Node internals, GC, native', () => {
  assert.equal(originOf('file:///w/targets/a/src/x.ts', 'f'), 'own');
  assert.equal(originOf('file:///w/targets/a/node_modules/.cache/wirebench/main-1.mjs', 'f'), 'own');
  assert.equal(originOf('file:///w/node_modules/@grpc/grpc-js/build/src/call.js', 'f'), '@grpc/grpc-js');
  assert.equal(originOf('/w/node_modules/protobufjs/src/reader.js', 'f'), 'protobufjs');
  assert.equal(originOf('node:internal/http2/core', 'f'), 'node:internal');
  assert.equal(originOf('', '(garbage collector)'), 'gc');
  assert.equal(originOf('', '(program)'), 'native');
});

test('summarizeProfile: self time per function and origin, idle left out of busy, shares of busy', () => {
  const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });
  const p: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 3, 4] },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('parse', 'file:///w/node_modules/protobufjs/src/a.js', 9) },
      { id: 4, callFrame: frame('handle', 'file:///w/src/h.ts', 41) },
    ],
    startTime: 0,
    endTime: 10_000,
    // sample i runs for timeDeltas[i + 1] µs: idle 4 ms, parse 3 ms, handle 1 ms
    samples: [2, 3, 4, 2],
    timeDeltas: [0, 4000, 3000, 1000],
  };
  const s = summarizeProfile(p);
  assert.equal(s.totalMs, 8);
  assert.equal(s.busyMs, 4);
  assert.deepEqual(s.functions, [{ name: 'parse a.js:10', ms: 3, pct: 75 }, { name: 'handle h.ts:42', ms: 1, pct: 25 }]);
  assert.deepEqual(s.origins, [{ name: 'protobufjs', ms: 3, pct: 75 }, { name: 'own', ms: 1, pct: 25 }]);
});
