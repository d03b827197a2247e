/**
 * Where a process's CPU went, from a V8 .cpuprofile (node --cpu-prof): busy time, self time by
 * function, and by origin — the workspace's own code, each npm package, Node's internals, GC and
 * native ("program"). Written by hand: the field's viewers (DevTools, speedscope) are interactive,
 * and a note needs the same few lines from every process of a run (a pool and its workers).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  name: string;
  /** Self time, ms. */
  ms: number;
  /** Of the busy time, %. */
  pct: number;
}

export interface ProfileSummary {
  /** Sampled wall time and the part of it not idle, ms. */
  totalMs: number;
  busyMs: number;
  functions: Share[];
  origins: Share[];
}

/** `own`, `node:internal`, `gc`, `native`, or the npm package a script belongs to. */
export function originOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'gc';
  if (!url) return 'native';
  if (url.startsWith('node:')) return 'node:internal';
  const p = url.replace(/^file:\/\//, '');
  const i = p.lastIndexOf('/node_modules/');
  if (i >= 0) {
    const rest = p.slice(i + '/node_modules/'.length).split('/');
    // The kit's compiled targets live in <package>/node_modules/.cache/wirebench: own code.
    if (rest[0] === '.cache') return 'own';
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  return 'own';
}

const r1 = (x: number): number => Math.round(x * 10) / 10;

function shares(acc: Map<string, number>, busyUs: number, top: number): Share[] {
  return [...acc]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, ms: r1(us / 1000), pct: busyUs ? r1((100 * us) / busyUs) : 0 }));
}

export function summarizeProfile(p: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const fns = new Map<string, number>();
  const origins = new Map<string, number>();
  let total = 0;
  let busy = 0;
  // timeDeltas[i] is the time before sample i: sample i ran for timeDeltas[i + 1].
  for (let i = 0; i < p.samples.length; i++) {
    const d = p.timeDeltas[i + 1] ?? 0;
    total += d;
    const n = byId.get(p.samples[i]!);
    if (!n || n.callFrame.functionName === '(idle)') continue;
    busy += d;
    const { functionName, url, lineNumber } = n.callFrame;
    const key = `${functionName || '(anonymous)'} ${url ? `${path.basename(url)}:${lineNumber + 1}` : ''}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + d);
    const o = originOf(url, functionName);
    origins.set(o, (origins.get(o) ?? 0) + d);
  }
  return { totalMs: r1(total / 1000), busyMs: r1(busy / 1000), functions: shares(fns, busy, top), origins: shares(origins, busy, top) };
}

/** The summary as text, a block per profile file. */
export function formatProfileSummary(file: string, s: ProfileSummary): string {
  const lines = [`${path.basename(file)}: busy ${s.busyMs} ms of ${s.totalMs} ms sampled`, '  by origin (self time):'];
  for (const o of s.origins) lines.push(`    ${o.pct.toFixed(1).padStart(5)}%  ${o.ms.toFixed(1).padStart(9)} ms  ${o.name}`);
  lines.push('  top functions (self time):');
  for (const f of s.functions) lines.push(`    ${f.pct.toFixed(1).padStart(5)}%  ${f.ms.toFixed(1).padStart(9)} ms  ${f.name}`);
  return lines.join('\n');
}

export function summarizeProfileFile(file: string, top?: number): string {
  return formatProfileSummary(file, summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top));
}
