// Linux process facts from /proc, for fault tests that must kill a server's every process at
// once: PostgreSQL puts each backend in a session of its own (setsid), so a signal to the
// postmaster's process group does not reach them.
import { readdirSync, readFileSync } from 'node:fs';

/** The pid's state letter and parent pid, or undefined once it is gone. */
function stat(pid: number): { state: string; ppid: number } | undefined {
  try {
    // `pid (comm) S ppid …`: comm may hold spaces and parentheses, so read after the last ')'.
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** The processes whose parent is `pid` now. */
export function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((child) => stat(child)?.ppid === pid);
}

/** Gone or a zombie: it runs no more code and holds no memory or sockets. */
const ended = (pid: number) => ['Z', 'X', undefined].includes(stat(pid)?.state);

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/**
 * Waits until every pid has ended. They are not this process's children, so no 'exit' event
 * tells: /proc is read again every 10 ms, for up to 10 s.
 */
async function allEnded(pids: number[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!pids.every(ended)) {
    if (Date.now() > deadline) throw new Error(`processes ${pids.filter((pid) => !ended(pid)).join(', ')} still run 10 s after SIGKILL`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * SIGKILL to `root` and to every child it has, as an OOM kill does to a whole server; resolves
 * once each has ended (a zombie at most). Call it while nothing makes the root fork: a child
 * forked between the listing and the root's kill would be missed. Not stopping the root first
 * (SIGSTOP) is deliberate: runuser, PostgreSQL's parent when the tests run as root, then stops
 * itself too, as su does for job control, and left the root unreaped when tried.
 */
export async function killTree(root: number): Promise<void> {
  const children = childPids(root);
  for (const pid of [root, ...children]) signal(pid, 'SIGKILL');
  await allEnded([root, ...children]);
}
