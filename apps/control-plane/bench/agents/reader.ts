// bench/agents.ts's read load in its own process: the K simulated agents' process is busy with
// their long-polls, and the read load's own timing (an open loop at `rps`) must not wait on them.
// Started by `readLoadApart`; gets its work over IPC, answers readLoad's figures, exits.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readLoad } from './measure.ts';
import { clientsOf, type World } from './seed.ts';

interface Work {
  urls: string[];
  world: World;
  accountId: string;
  options: object;
  rps: number;
  seconds: number;
}
type Figures = Awaited<ReturnType<typeof readLoad>>;

/** readLoad, run in a child process of its own. */
export function readLoadApart(work: Work): Promise<Figures> {
  const child = fork(fileURLToPath(import.meta.url), ['reader'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (figures) => resolve(figures as Figures));
    child.once('exit', (code) => reject(new Error(`the read load's process exited (${code}) without its figures`)));
    child.send(work);
  });
}

if (process.argv[2] === 'reader')
  process.once('message', (message) => {
    const { urls, world, accountId, options, rps, seconds } = message as Work;
    void readLoad(world, urls.map(clientsOf), accountId, options, rps, seconds).then((figures) => process.send!(figures, () => process.exit(0)));
  });
