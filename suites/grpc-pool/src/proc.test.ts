import assert from 'node:assert/strict';
import { test } from 'node:test';
import { float32Vector } from './payload-drivers.js';
import { cpuSecondsOf, parseCpuSeconds, parseVmRssMb, rssMbOf, rssSeries } from './proc.js';

test('/proc parsers: VmRSS in MiB; utime+stime after a comm holding spaces and parens', () => {
  assert.equal(parseVmRssMb('Name:\tnode\nVmRSS:\t   51200 kB\nVmData:\t1 kB\n'), 50);
  assert.equal(parseVmRssMb('Name:\tzombie\n'), null);
  const stat = '4242 (odd (name) x) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 1 0 100 1000 500';
  assert.equal(parseCpuSeconds(stat), 3);
});

test('this process: a real RSS and CPU reading; a pid that is gone gives null', () => {
  assert.ok((rssMbOf(process.pid) ?? 0) > 1);
  assert.ok((cpuSecondsOf(process.pid) ?? -1) >= 0);
  assert.equal(rssMbOf(2 ** 30), null);
});

test('RSS series: mean and peak per key; keys without samples left out', () => {
  const s = rssSeries(new Map([['worker_1', [10, 20, 30]], ['worker_2', []]]));
  assert.deepEqual([...s.keys()], ['worker_1']);
  assert.equal(s.get('worker_1')!.mean, 20);
  assert.equal(s.get('worker_1')!.max, 30);
});

test('float32 vector: the JSON list carries the very values of the bytes, and the same sum', () => {
  const v = float32Vector(4096);
  assert.equal(v.bytes.length, 4096 * 4);
  const back = JSON.parse(JSON.stringify(v.values)) as number[];
  const f = new Float32Array(new Uint8Array(v.bytes).buffer);
  let fromBytes = 0;
  let fromJson = 0;
  for (let i = 0; i < f.length; i++) {
    fromBytes += f[i]!;
    fromJson += back[i]!;
  }
  assert.equal(fromBytes, v.sum);
  assert.equal(fromJson, v.sum);
});
