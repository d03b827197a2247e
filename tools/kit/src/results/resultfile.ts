import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { WbError } from '../errors.js';
import { RESULT_SCHEMA_MAJOR, ResultSchema, type Result } from './types.js';

const ajv = new Ajv({ allErrors: false, strict: false });
const check = ajv.compile<Result>(ResultSchema);

/** The JSON Schema of a result file, as shipped in `schema/result.schema.json`. */
export function resultJsonSchema(): object {
  return { $schema: 'http://json-schema.org/draft-07/schema#', $id: 'urn:wirebench:result:1', title: 'Wirebench scenario result', ...JSON.parse(JSON.stringify(ResultSchema)) };
}

export function validateResult(doc: unknown, source = 'result'): Result {
  const schema = (doc as { schema?: unknown } | null)?.schema;
  if (typeof schema === 'string') {
    const major = Number(/@(\d+)$/.exec(schema)?.[1]);
    if (major > RESULT_SCHEMA_MAJOR) {
      throw new WbError('WB_ERR_RESULT_NEWER', `${source} has schema ${schema}, newer than this kit reads (@${RESULT_SCHEMA_MAJOR}); update wirebench`);
    }
  }
  if (!check(doc)) {
    const e = check.errors?.[0];
    throw new WbError('WB_ERR_RESULT_SCHEMA', `${source} is not a wirebench result: ${e?.instancePath || '/'} ${e?.message ?? 'invalid'}`);
  }
  return doc;
}

/** Writes via a temp file and rename, so a reader never sees half a result. */
export function writeJsonAtomic(file: string, doc: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`);
  renameSync(tmp, file);
}

export function readResult(file: string): Result {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new WbError('WB_ERR_NOT_FOUND', `no result file at ${file}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new WbError('WB_ERR_RESULT_CORRUPT', `${file} is not valid JSON (truncated or corrupt): ${(err as Error).message}; re-run the scenario`);
  }
  return validateResult(doc, file);
}

/** A result file, or every result below a run folder (by scenario, sorted). */
export function readResults(target: string): Result[] {
  let st;
  try {
    st = statSync(target);
  } catch {
    throw new WbError('WB_ERR_NOT_FOUND', `no result file or run folder at ${target}`);
  }
  if (st.isFile()) return [readResult(target)];
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json') && !e.name.endsWith('.tmp')) files.push(p);
    }
  };
  walk(target);
  if (files.length === 0) throw new WbError('WB_ERR_NOT_FOUND', `no result files under ${target}`);
  return files.sort().map(readResult);
}
