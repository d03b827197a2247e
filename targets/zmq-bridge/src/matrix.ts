import { ErrorCode, BridgeError } from './errors.js';

/**
 * The original bridge payload (validation.py): {schema_version: 1|2, matrix: int[][], model: {name, version[, author]}}.
 * Hand-checked rather than through ajv: six rules, and the error texts follow the original's.
 */

function bad(message: string): never {
  throw new BridgeError(ErrorCode.BadRequest, message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

export interface MatrixReply {
  status: 'success';
  matrix_sum: number;
  model_checked: string;
  schema_version_used: number;
  timestamp: number;
  matrix_shape: number[];
  data_type: 'float64';
}

export function handleMatrix(payload: Record<string, unknown>, now: number): MatrixReply {
  for (const key of ['schema_version', 'matrix', 'model']) {
    if (!(key in payload)) bad(`'${key}' is a required property`);
  }
  const { schema_version: version, matrix, model } = payload;
  if (typeof version !== 'number' || !Number.isInteger(version)) bad(`${JSON.stringify(version)} is not of type 'integer'`);
  if (version !== 1 && version !== 2) bad(`Unsupported schema version: ${version}`);
  if (!Array.isArray(matrix)) bad("'matrix' is not of type 'array'");
  if (!isObject(model)) bad("'model' is not of type 'object'");
  for (const key of ['name', 'version']) {
    if (!(key in model)) bad(`'${key}' is a required property`);
    if (typeof model[key] !== 'string') bad(`'${key}' is not of type 'string'`);
  }
  if (version === 2 && 'author' in model && typeof model.author !== 'string') bad("'author' is not of type 'string'");

  let sum = 0;
  let cols = -1;
  for (const row of matrix) {
    if (!Array.isArray(row)) bad(`${JSON.stringify(row)} is not of type 'array'`);
    if (cols === -1) cols = row.length;
    else if (row.length !== cols) bad('Matrix rows must all have the same length');
    for (const x of row) {
      if (typeof x !== 'number' || !Number.isInteger(x)) bad(`${JSON.stringify(x)} is not of type 'integer'`);
      sum += x;
    }
  }
  return {
    status: 'success',
    matrix_sum: sum,
    model_checked: model.name as string,
    schema_version_used: version,
    timestamp: now,
    // numpy's shape: (0,) for an empty matrix, (r, c) otherwise.
    matrix_shape: matrix.length === 0 ? [0] : [matrix.length, cols],
    data_type: 'float64',
  };
}
