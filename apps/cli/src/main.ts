// qhc: the command line. Only commander and the small modules load at start; each command
// loads what it needs (YAML, the Kubernetes client, the schemas) when it runs.
import { Command, Option } from 'commander';
import { CliError, EXIT } from './exit.ts';
import type { Target } from './commands/cluster.ts';
import { direct, limited, waits } from './program/options.ts';
import { registerClusterCommands } from './program/cluster-commands.ts';
import { registerAccountCommands } from './program/account-commands.ts';
import { registerPeopleCommands } from './program/people-commands.ts';

declare const __QHC_VERSION__: string | undefined;
const VERSION = typeof __QHC_VERSION__ === 'string' ? __QHC_VERSION__ : '0.0.0-dev';

const program = new Command('qhc')
  .description(
    "qhc's hybrid cloud for Qdrant: regions, clusters, backups, from a terminal.\nAgainst the control plane (qhc login) or, with --kubeconfig, straight against a Kubernetes cluster.",
  )
  .version(VERSION, '--client-version', 'print the client version')
  .option('--context <name>', 'the control-plane context (default: QHC_CONTEXT, then the current one)')
  .addOption(new Option('-o, --output <format>', 'table, wide, json, yaml or name').default('table'))
  .option('--no-headers', 'no header line in tables')
  .showSuggestionAfterError(true)
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

const g = () => program.opts<{ context?: string; output: string; headers: boolean }>();
const global = () => ({ context: g().context, output: g().output, noHeaders: !g().headers });

program
  .command('version')
  .description("print the client version (and the server's, when reachable)")
  .option('--client', 'the client only')
  .action(async (options: { client?: boolean }) => {
    process.stdout.write(`client: ${VERSION}\n`);
    if (options.client) return;
    const [{ resolveContext }, { scriptText }] = await Promise.all([import('./config.ts'), import('./commands/script.ts')]);
    try {
      const context = resolveContext(global());
      const doc = JSON.parse(await scriptText(new URL('/api/openapi.json', context.url).toString(), context.caFile)) as { info?: { version?: string } };
      process.stdout.write(`server: ${context.url} (API ${doc.info?.version ?? 'unknown'})\n`);
    } catch (error) {
      process.stdout.write(`server: unreachable (${error instanceof Error ? error.message : String(error)})\n`);
    }
  });

program
  .command('login <url>')
  .description('save a control-plane context (URL, account id, management key, CA) and make it current; the key is checked first')
  .option('--account-id <id>', 'the account (the control plane prints it at its first start); default QHC_ACCOUNT_ID')
  .option('--management-key <key>', 'a management key; default QHC_MANAGEMENT_KEY')
  .option('--ca-file <file>', 'the CA of a control plane behind a private CA')
  .option('--name <context>', "the context name (default: the URL's host)")
  .option('--email <email>', 'sign in as this user instead of with a key; the password from QHC_PASSWORD or stdin')
  .action(async (url: string, options) => {
    const commands = await import('./commands/context.ts');
    return options.email ? commands.loginUser(url, options) : commands.login(url, options);
  });

const context = program.command('context').description('control-plane contexts (in $XDG_CONFIG_HOME/qhc/config.json, mode 0600)');
context
  .command('list')
  .description('list contexts; * marks the current one')
  .action(async () => (await import('./commands/context.ts')).contextList(global()));
context
  .command('use <name>')
  .description('make a context current')
  .action(async (name: string) => (await import('./commands/context.ts')).contextUse(name));
context
  .command('add <name>')
  .description('add a context without checking it')
  .requiredOption('--url <url>', 'the control plane URL')
  .option('--account-id <id>', 'the account; default QHC_ACCOUNT_ID')
  .option('--management-key <key>', 'a management key; default QHC_MANAGEMENT_KEY')
  .option('--ca-file <file>', 'a CA bundle')
  .action(async (name: string, options) => (await import('./commands/context.ts')).contextAdd(name, options));
context
  .command('remove <name>')
  .description('remove a context')
  .action(async (name: string) => (await import('./commands/context.ts')).contextRemove(name));

const region = program.command('region').description('regions (hybrid cloud environments): Kubernetes clusters attached to the control plane');
const regionFields = (cmd: Command) =>
  cmd
    .option('-f, --file <file>', "the environment's configuration as YAML or JSON, in the API's shape (proto JSON field names)")
    .option('--namespace <ns>', 'the namespace qhc is installed in (immutable)')
    .option('--agent-version <v>', 'the agent version')
    .option('--operator-version <v>', 'the operator version');
regionFields(region.command('create [name]').description('create a region'))
  .option('--dry-run', 'print what would be sent')
  .action(async (name: string | undefined, options) => (await import('./commands/region.ts')).regionCreate({ ...options, name }, global()));
limited(region.command('list').alias('ls').description('list regions')).action(async (options: { limit?: number }) =>
  (await import('./commands/region.ts')).regionList(options, global()),
);
region
  .command('get <name>')
  .description('show a region')
  .action(async (name: string) => (await import('./commands/region.ts')).regionGet(name, global()));
regionFields(region.command('update <name>').description('change a region (not its namespace)')).action(async (name: string, options) =>
  (await import('./commands/region.ts')).regionUpdate(name, options, global()),
);
region
  .command('delete <name>')
  .description('delete a region')
  .option('-y, --yes', 'do not ask')
  .option('--dry-run', 'say what would be deleted')
  .action(async (name: string, options) => (await import('./commands/region.ts')).regionDelete(name, options, global()));
region
  .command('install-command <name>')
  .description('a new installation command for the region (one-time token); --output-file saves the script')
  .option('--output-file <file>', 'write the installation script here instead')
  .option('--helm', "the Helm way: helm upgrade --install of the chart from the region's chart repository")
  .action(async (name: string, options) => (await import('./commands/region.ts')).regionInstallCommand(name, options, global()));

region
  .command('preflight [name]')
  .description(
    "the installation's preflight checks against a kubeconfig: cluster access, version, cluster-scope rights, storage, snapshots, the control plane; exit 1 when one fails",
  )
  .option('--kubeconfig <file>', 'the kubeconfig of the cluster to check (default: KUBECONFIG, then ~/.kube/config)')
  .option('--kube-context <name>', 'the kubeconfig context')
  .option('--control-plane-url <url>', "the control plane the agent will call (default: the current context's, when a region is named)")
  .option('-f, --file <file>', 'a region YAML/JSON (its operator settings, proxy and CA) when no region is named')
  .action(async (name: string | undefined, options) => (await import('./commands/preflight.ts')).regionPreflight(name, options, global()));

registerClusterCommands(program, global);
registerAccountCommands(program, global);
registerPeopleCommands(program, global);
const target = (options: Record<string, unknown>) => ({ ...global(), ...options }) as Target;

const backup = program.command('backup').description('backups (volume snapshots of every node), their schedules; through the control plane or directly');
waits(direct(backup.command('create <cluster>').description('back up a cluster now')))
  .option('--name <name>', "the backup's name (default: <cluster>-<time>)")
  .option('--retention <hours>', 'keep it this long, e.g. 72h (default: until deleted)')
  .action(async (clusterId: string, options) => (await import('./commands/backup.ts')).backupCreate(clusterId, options, target(options)));
limited(direct(backup.command('list').alias('ls').description('list backups')))
  .option('--cluster <name|id>', "only this cluster's")
  .action(async (options) => (await import('./commands/backup.ts')).backupList(options, target(options)));
direct(backup.command('delete <name>').description('delete a backup and its volume snapshots'))
  .option('-y, --yes', 'do not ask')
  .option('--dry-run', 'say what would be deleted')
  .action(async (name: string, options) => (await import('./commands/backup.ts')).backupDelete(name, options, target(options)));
const schedule = backup.command('schedule').description('backups on a cron schedule (UTC)');
direct(schedule.command('create <cluster>').description('back up a cluster on a schedule'))
  .requiredOption('--schedule <cron>', 'cron, in UTC, e.g. "0 2 * * *" or @daily')
  .requiredOption('--retention <hours>', 'how long each backup is kept, e.g. 168h')
  .option('--name <name>', "the schedule's name")
  .action(async (clusterId: string, options) => (await import('./commands/backup.ts')).scheduleCreate(clusterId, options, target(options)));
limited(direct(schedule.command('list').alias('ls').description('list schedules'))).action(async (options) =>
  (await import('./commands/backup.ts')).scheduleList(options, target(options)),
);
direct(schedule.command('delete <name>').description('delete a schedule (its backups stay)'))
  .option('-y, --yes', 'do not ask')
  .option('--dry-run', 'say what would be deleted')
  .action(async (name: string, options) => (await import('./commands/backup.ts')).scheduleDelete(name, options, target(options)));
const restore = program.command('restore').description('restore a backup into a new or an existing cluster');
waits(direct(restore.command('create <backup>').description('restore a backup')))
  .requiredOption('--to <cluster>', 'the cluster to restore into')
  .option('--new', 'create that cluster (default: restore the existing one in place)')
  .option('--name <name>', "the restore's name")
  .action(async (backupName: string, options) => (await import('./commands/backup.ts')).restoreCreate(backupName, options, target(options)));
limited(direct(restore.command('list').alias('ls').description('list restores'))).action(async (options) =>
  (await import('./commands/backup.ts')).restoreList(options, target(options)),
);
direct(restore.command('get <name>').description('show a restore')).action(async (name: string, options) =>
  (await import('./commands/backup.ts')).restoreGet(name, target(options)),
);
direct(
  program
    .command('status')
    .description('health of each region (phase, operator, agent, applied revision, last contact); with --kubeconfig, of the components in the namespace'),
).action(async (options) => (await import('./commands/status.ts')).status(target(options)));
program
  .command('completion <shell>')
  .description('shell completion for bash, zsh or fish: source <(qhc completion bash)')
  .action(async (shell: string) => {
    process.stdout.write((await import('./commands/completion.ts')).completion(program, shell));
  });
direct(program.command('__complete', { hidden: true }).argument('<what>')).action(async (_what: string, options) =>
  (await import('./commands/status.ts')).completeClusters(target(options)).catch(() => undefined),
);

program
  .command('validate <files...>')
  .description(
    'check operator settings, regions and qdrant.io resources (told apart by content); prints file:line:col: path: message, exit 1 when any is invalid',
  )
  .action(async (files: string[]) => {
    process.exitCode = (await import('./commands/validate.ts')).validate(files);
  });

program
  .command('mirror')
  .description("copy a release's images and Helm chart into a private OCI registry (for regions that may pull only from there)")
  .requiredOption('--to <registry>', 'where images go, e.g. registry.internal:5000/qhc')
  .option('--charts-to <repository>', 'where the chart goes (default: <to>/charts)')
  .option('--from <registry>', "where the release's images are (default: the public registry)")
  .option('--charts-from <repository>', "where the release's chart is (default: the public chart repository)")
  .option('--release <version>', "the release to copy (default: this client's version)")
  .option('--qdrant <versions>', 'also copy these Qdrant database images (comma-separated tags, e.g. v1.16.2,v1.15.5) to <to>/qdrant')
  .option('--qdrant-from <repository>', 'where the Qdrant images are', 'docker.io/qdrant/qdrant')
  .option('--settings <file>', 'operator settings YAML whose clusterManager.image names the cluster manager image')
  .option('--plain-http', 'talk HTTP, not HTTPS, to the registry copied to (--to, --charts-to)')
  .option('--source-plain-http', 'talk HTTP, not HTTPS, to the registries copied from')
  .option('--dry-run', 'only check that every artifact exists at the source')
  .option('--region-file <file>', "write the environment configuration pointing at the mirror, in the API's shape (for qhc region create/update -f)")
  .addHelpText(
    'after',
    '\nCredentials come from docker login, podman login or helm registry login (their auth files).\nRe-running copies only what is missing; the tag is written last, so a cut-off copy is never half visible.',
  )
  .action(async (options) =>
    (await import('./commands/mirror.ts')).mirror({ ...options, release: options.release ?? VERSION, output: g().output, noHeaders: !g().headers }),
  );

const render = program.command('render').description('print, offline, the Kubernetes objects that would be applied (like helm template)');
render
  .command('cluster <file>')
  .description('the objects the operator makes for a QdrantCluster')
  .option('--settings <file>', 'operator settings YAML (default: the documented defaults)')
  .action(async (file: string, options) =>
    (await import('./commands/render.ts')).renderCluster(file, { ...options, output: g().output === 'table' ? 'yaml' : g().output }),
  );
render
  .command('install <region-file>')
  .description("the objects a region's installation applies")
  .option('--control-plane-url <url>', 'the control plane the agent will call', 'https://control-plane.example.com')
  .option('--bootstrap-token <token>', 'the bootstrap token to embed', 'qhc_b_REPLACE_ME')
  .action(async (file: string, options) =>
    (await import('./commands/render.ts')).renderInstall(file, { ...options, output: g().output === 'table' ? 'yaml' : g().output }),
  );

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CliError) {
    process.stderr.write(`error: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ''}`);
    process.exitCode = error.code;
  } else if ((error as { name?: string }).name === 'QhcSchemaError') {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exitCode = EXIT.usage;
  } else if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exitCode = EXIT.usage;
  } else {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT.error;
  }
}
