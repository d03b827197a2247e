import { spawnSync } from 'node:child_process';

/**
 * How a target gets a process group of its own (so that stop and kill reach its children)
 * without a session of its own.
 *
 * Node's only way to a process group, `detached`, calls setsid(): a new session, and with the
 * kernel's scheduler autogroups (on by default here) a scheduling group of its own. The
 * scheduler then shares CPU between groups before threads, so a broker and two workers each in a
 * group of its own, on 2 cores beside the generator, ran the zmq pipeline ~30% slower (10–11k/s
 * against 14–15k/s) than the same processes started from one shell: the figure measured the
 * launcher. setpgid() alone keeps targets in the generator's session and group, as a shell
 * script starting them would. Node has no call for it; perl is Essential on Debian and does it in
 * one line before exec (the pid, and so the group id, stay the target's).
 */
// A failed exec dies with Node's own wording (`spawn <file> ENOENT: …`), so errors read the same either way.
const SETPGID = [
  'setpgrp(0, 0) or die "setpgrp: $!\\n";',
  'exec { $ARGV[0] } @ARGV;',
  'my ($code) = grep { $!{$_} } keys %!;',
  'die "spawn $ARGV[0] $code: $!\\n";',
].join(' ');

let perlWorks: boolean | null = null;

function havePerl(): boolean {
  perlWorks ??= spawnSync('perl', ['-e', 'exit 0'], { stdio: 'ignore' }).status === 0;
  return perlWorks;
}

export interface GroupSpawn {
  file: string;
  args: string[];
  /** Whether Node must make the group itself (setsid), for lack of perl. */
  detached: boolean;
  /** Said in results when targets did get sessions (and scheduling groups) of their own. */
  note: string | null;
}

export function inOwnGroup(file: string, args: readonly string[]): GroupSpawn {
  if (havePerl()) return { file: 'perl', args: ['-e', SETPGID, file, ...args], detached: false, note: null };
  return {
    file,
    args: [...args],
    detached: true,
    note: 'targets ran in sessions of their own (no perl for setpgid): with scheduler autogroups each got a CPU share of its own, which can slow a multi-process target',
  };
}
