// Loaded with NODE_OPTIONS=--import by `wirebench profile --tool cpu-prof`, so every node process
// a target starts (a pool's workers too) profiles itself: node refuses --cpu-prof in NODE_OPTIONS.
// Plain JavaScript: it runs before any loader. The in-thread inspector session answers post()
// synchronously, so the profile can be taken in the 'exit' handler, after the target's own
// graceful shutdown.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.WB_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  // V8's default interval (1 ms) is coarse for µs-scale handlers; node --cpu-prof also uses 1 ms.
  session.post('Profiler.start');
  // A process without its own handler would die of the signal with no 'exit' event, and no
  // profile: stand in for the default (exit 128 + signal) only when ours is the sole listener.
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
    process.on(sig, () => {
      if (process.listenerCount(sig) === 1) process.exit(code);
    });
  }
  process.on('exit', () => {
    session.post('Profiler.stop', (err, res) => {
      if (err || !res) return;
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
      writeFileSync(path.join(dir, `CPU.${stamp}.${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
