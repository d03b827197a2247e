import { cpuPerOp } from '../process/cpu-meter.js';
import type { Result } from '../results/types.js';

/**
 * The standard cost figures of a scenario's result measurement: µs of CPU per completed operation,
 * of all targets together and of each, and of the generator. A figure the scenario computed
 * itself (a plan's, under the same name) is kept.
 */
export function cpuMetrics(cpuS: Record<string, number>, ops: number, have: Result['metrics'], driverCpuS?: number): Result['metrics'] {
  const c = cpuPerOp(cpuS, ops);
  const out: Result['metrics'] = {};
  const put = (name: string, value: number | null, note: string): void => {
    if (value !== null && !have[name]) out[name] = { value, unit: 'us/op', better: 'lower', note };
  };
  put('cpu_us_per_op', c.targetsUs, 'CPU time of every target per completed operation over the measured stages (µs)');
  put('generator_cpu_us_per_op', c.generatorUs, 'CPU time of the generator (this process) per completed operation (µs)');
  if (driverCpuS !== undefined && ops > 0) put('generator_driver_cpu_us_per_op', Math.round((driverCpuS * 1e8) / ops) / 100, "CPU time of the generator's driver threads per completed operation (µs): without the kit's ticker thread, and without its main thread when the load ran in worker threads");
  for (const [role, us] of Object.entries(c.byRole)) put(`cpu_us_per_op_${role.replace(/[^A-Za-z0-9]+/g, '_')}`, us, `CPU time of ${role} per completed operation (µs)`);
  return out;
}
