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

/**
 * SIGKILL to each pid, then waits until every one has ended. They are not this process's
 * children, so no 'exit' event tells: /proc is read again every 10 ms until they are gone.
 */
export async function killAndWait(pids: number[], timeoutMs = 10_000): Promise<void> {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (!pids.every(ended)) {
    if (Date.now() > deadline) throw new Error(`processes ${pids.filter((pid) => !ended(pid)).join(', ')} still run ${timeoutMs} ms after SIGKILL`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
