// `qhc cluster …`: declared at start (commander only); each command loads its module when it runs.
import type { Command } from 'commander';
import { CliError, EXIT } from '../exit.ts';
import type { ClusterChangeInput, Target } from '../commands/cluster.ts';
import { configFlags, ingressFlags, type ConfigOptions } from '../commands/cluster-config.ts';
import { direct, limited, waits } from './options.ts';

type Global = () => { context?: string; output: string; noHeaders: boolean };
type ToTarget = (options: Record<string, unknown>) => Target;
type Change = (name: string, c: ClusterChangeInput, options: Record<string, unknown>) => Promise<void>;

export function registerClusterCommands(program: Command, global: Global): void {
  const cluster = program.command('cluster').description('Qdrant clusters, through the control plane (--region) or directly (--kubeconfig)');
  const target: ToTarget = (options) => ({ ...global(), ...options }) as Target;
  const change: Change = (name, c, options) => import('../commands/cluster.ts').then((m) => m.clusterChange(name, c, options, target(options)));
  basics(cluster, target);
  specChanges(cluster, change);
  maintenance(cluster, change, target);
}

/** create, list, get, scale, describe. */
function basics(cluster: Command, target: ToTarget): void {
  configFlags(
    waits(direct(cluster.command('create <name>').description('create a cluster')))
      .option('-f, --file <file>', 'a QdrantCluster spec (YAML or JSON)')
      .option('--version <v>', 'Qdrant version, e.g. v1.16.2')
      .option('--size <n>', 'nodes')
      .option('--cpu <q>', 'CPU per node')
      .option('--memory <q>', 'memory per node')
      .option('--storage <q>', 'storage per node')
      .option('--package <name|id>', 'the package (node size) to use, through the control plane (default: the smallest with --cpu and --memory)')
      .option('--dry-run', 'print what would be sent'),
  ).action(async (name: string, options) => (await import('../commands/cluster.ts')).clusterCreate(name, options, target(options)));
  limited(direct(cluster.command('list').alias('ls').description('list clusters'))).action(async (options) =>
    (await import('../commands/cluster.ts')).clusterList(options, target(options)),
  );
  direct(cluster.command('get <name>').description('show a cluster')).action(async (name: string, options) =>
    (await import('../commands/cluster.ts')).clusterGet(name, target(options)),
  );
  waits(direct(cluster.command('scale <name>').description('set the number of nodes')))
    .requiredOption('--replicas <n>', 'nodes')
    .action(async (name: string, options) => (await import('../commands/cluster.ts')).clusterScale(name, options, target(options)));
  direct(cluster.command('describe <name>').description('phase, conditions, nodes, endpoint and recent events')).action(async (name: string, options) =>
    (await import('../commands/cluster.ts')).clusterDescribe(name, target(options)),
  );
}

/** Resources, version, restart, suspend and resume. */
function specChanges(cluster: Command, change: Change): void {
  waits(direct(cluster.command('set-resources <name>').description('CPU, memory and storage per node (a rolling change; storage only grows)')))
    .option('--cpu <q>', 'CPU per node')
    .option('--memory <q>', 'memory per node')
    .option('--storage <q>', 'storage per node')
    .option('--dry-run', 'print the new spec')
    .action(async (name: string, options: { cpu?: string; memory?: string; storage?: string }) =>
      change(
        name,
        {
          what: 'resources changed',
          configuration: async (c, api, environmentId) => {
            const { additionalDisk, choosePackage, packagesOf } = await import('../commands/cluster-packages.ts');
            const packages = await packagesOf(api, environmentId);
            const current = packages.find((p) => p.id === c.packageId);
            const cpuOrMemory = options.cpu || options.memory;
            const pkg = cpuOrMemory || !current ? choosePackage(packages, options) : current;
            const disk = additionalDisk(pkg, options.storage);
            return { ...c, packageId: pkg.id, ...(options.storage ? { additionalResources: { disk } } : {}) };
          },
          spec: (spec) => ({
            ...spec,
            resources: {
              ...spec.resources,
              ...(options.cpu ? { cpu: options.cpu } : {}),
              ...(options.memory ? { memory: options.memory } : {}),
              ...(options.storage ? { storage: options.storage } : {}),
            },
          }),
        },
        options,
      ),
    );
  waits(direct(cluster.command('upgrade <name>').description('roll to another Qdrant version, one node at a time')))
    .requiredOption('--version <v>', 'the Qdrant version, e.g. v1.16.3')
    .option('--dry-run', 'print the new spec')
    .action(async (name: string, options: { version: string }) =>
      change(
        name,
        {
          what: `upgrading to ${options.version}`,
          spec: (spec) => ({ ...spec, version: options.version }),
          configuration: (c) => ({ ...c, version: options.version }),
        },
        options,
      ),
    );
  waits(direct(cluster.command('restart <name>').description('restart every node, one at a time'))).action(async (name: string, options) =>
    change(name, { what: 'restart requested', restart: true, action: 'restart' }, options),
  );
  direct(cluster.command('suspend <name>').description('stop every node, keeping the volumes'))
    .option('--dry-run', 'print the new spec')
    .action(async (name: string, options) => change(name, { what: 'suspending', spec: (spec) => ({ ...spec, suspend: true }), action: 'suspend' }, options));
  waits(direct(cluster.command('resume <name>').description('start a suspended cluster again')))
    .option('--dry-run', 'print the new spec')
    .action(async (name: string, options) => change(name, { what: 'resuming', spec: (spec) => ({ ...spec, suspend: false }), action: 'unsuspend' }, options));
}

/** Pause, unpause, exposure, configuration, deletion. */
function maintenance(cluster: Command, change: Change, target: ToTarget): void {
  pauses(cluster, change);
  expose(cluster, change);
  configFlags(
    waits(
      direct(
        cluster
          .command('update <name>')
          .description("change the cluster's configuration: placement, exposure, volume snapshot class, log level, API keys, rebalancing"),
      ),
    ).option('--dry-run', 'print the new spec'),
  ).action(async (name: string, options: ConfigOptions) => {
    const { applyConfigFlags, describeConfigFlags } = await import('../commands/cluster-config.ts');
    const what = describeConfigFlags(options);
    if (what === 'nothing to change') throw new CliError('no configuration flag given', { code: EXIT.usage, hint: 'see `qhc cluster update --help`' });
    const { applyConfigFlagsToConfiguration } = await import('../commands/cluster-config-cloud.ts');
    return change(
      name,
      { what, spec: (spec) => applyConfigFlags(spec, options), configuration: (c) => applyConfigFlagsToConfiguration(c, options) },
      options as Record<string, unknown>,
    );
  });
  direct(cluster.command('delete <name>').description('delete a cluster'))
    .option('-y, --yes', 'do not ask')
    .option('--dry-run', 'say what would be deleted')
    .action(async (name: string, options) => (await import('../commands/cluster.ts')).clusterDelete(name, options, target(options)));
}

const extension = () => import('../commands/cluster-extension.ts');

/** Through the control plane: qhc.v1.ClusterExtensionService's pauses; directly: the spec's. */
function pauses(cluster: Command, change: Change): void {
  direct(cluster.command('pause <name>').description('stop the operator from changing the cluster (manual maintenance)'))
    .option('--reason <text>', 'why, shown in the status', 'paused with qhc')
    .option('--owner <name>', 'who pauses it; one pause per owner', 'qhc-cli')
    .option('--dry-run', 'print the new spec')
    .action(async (name: string, options: { reason: string; owner: string }) =>
      change(
        name,
        {
          what: 'paused',
          command: 'pause',
          extension: (await extension()).pauseCall(options.owner, options.reason),
          spec: (spec) => ({
            ...spec,
            pauses: [
              ...(spec.pauses ?? []).filter((p) => p.owner !== options.owner),
              { owner: options.owner, reason: options.reason, creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') },
            ],
          }),
        },
        options,
      ),
    );
  direct(cluster.command('unpause <name>').description('let the operator manage the cluster again'))
    .option('--owner <name>', 'whose pause to remove', 'qhc-cli')
    .option('--dry-run', 'print the new spec')
    .action(async (name: string, options: { owner: string }) =>
      change(
        name,
        {
          what: 'unpaused',
          command: 'unpause',
          extension: (await extension()).unpauseCall(options.owner),
          spec: (spec) => ({ ...spec, pauses: (spec.pauses ?? []).filter((p) => p.owner !== options.owner) }),
        },
        options,
      ),
    );
}

/** The Service type (the Cloud API's configuration) and the ingress (qhc.v1.ClusterExtensionService). */
function expose(cluster: Command, change: Change): void {
  ingressFlags(
    direct(cluster.command('expose <name>').description('how the cluster is reachable: its Service type and its ingress')).option(
      '--type <type>',
      'ClusterIP, NodePort or LoadBalancer',
    ),
  )
    .option('--dry-run', 'print the new spec')
    .action(async (name: string, options: ConfigOptions & { type?: string }) => {
      const { applyConfigFlags } = await import('../commands/cluster-config.ts');
      const { hasIngressFlags, ingressCall } = await extension();
      const ingress = hasIngressFlags(options);
      if (options.type === undefined && !ingress) throw new CliError('nothing to change', { code: EXIT.usage, hint: 'give --type or an --ingress… flag' });
      const serviceType = options.type;
      const what = [serviceType && `exposed as ${serviceType}`, ingress && 'ingress changed'].filter(Boolean).join(', ');
      return change(
        name,
        {
          what,
          spec: (spec) => applyConfigFlags(spec, { ...options, serviceType }),
          ...(serviceType !== undefined
            ? { configuration: async (c) => ({ ...c, serviceType: (await import('../commands/cluster-config-cloud.ts')).serviceType(serviceType) }) }
            : {}),
          ...(ingress ? { extension: ingressCall(options) } : {}),
        },
        options as Record<string, unknown>,
      );
    });
}
