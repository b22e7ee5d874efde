// `qhc member|invite|role|key|audit …`: commander only; each action loads its command module when it runs.
import type { Command } from 'commander';
import type { Global } from '../commands/region.ts';
import { collect, limited } from './options.ts';

const member = () => import('../commands/member-cloud.ts');
const role = () => import('../commands/role-cloud.ts');
const key = () => import('../commands/key-cloud.ts');

function registerMembers(program: Command, global: () => Global): void {
  const m = program.command('member').description("the account's members, their roles, and invites");
  m.command('list')
    .alias('ls')
    .description('list members')
    .action(async () => (await member()).memberList(global()));
  m.command('get <user>')
    .description('a member by user id or email')
    .action(async (ref: string) => (await member()).memberGet(ref, global()));
  m.command('remove <user>')
    .description('remove a member from the account')
    .option('-y, --yes', 'do not ask')
    .action(async (ref: string, o) => (await member()).memberRemove(ref, o, global()));
  m.command('roles <user>')
    .description("a member's roles; --add and --remove change them (role names or ids)")
    .option('--add <role>', 'give this role (repeatable)', collect)
    .option('--remove <role>', 'take this role away (repeatable)', collect)
    .action(async (ref: string, o) => (await member()).memberRoles(ref, o, global()));
  m.command('invite <email>')
    .description('invite someone by email address, with roles')
    .option('--role <role>', 'a role (name or id) the invitee gets on accepting (repeatable)', collect)
    .action(async (email: string, o) => (await member()).memberInvite(email, o, global()));
  m.command('invites')
    .description("the account's invites")
    .option('--status <status>', 'only pending, accepted, rejected or canceled ones')
    .action(async (o) => (await member()).memberInvites(o, global()));
  m.command('cancel-invite <invite-id>')
    .description('cancel an invite')
    .action(async (id: string) => (await member()).memberCancelInvite(id, global()));

  const i = program.command('invite').description('invites you received (a user context: qhc login --email)');
  i.command('list')
    .alias('ls')
    .description('invites to you')
    .action(async () => (await member()).inviteList(global()));
  i.command('accept <invite-id>')
    .description('join the inviting account')
    .action(async (id: string) => (await member()).inviteAnswer(id, 'accept', global()));
  i.command('reject <invite-id>')
    .description('decline an invite')
    .action(async (id: string) => (await member()).inviteAnswer(id, 'reject', global()));
}

function registerRoles(program: Command, global: () => Global): void {
  const r = program.command('role').description("the account's roles: built-in ones and custom ones from the permission catalogue");
  r.command('list')
    .alias('ls')
    .description('list roles')
    .action(async () => (await role()).roleList(global()));
  r.command('get <role>')
    .description('a role by name or id')
    .action(async (ref: string) => (await role()).roleGet(ref, global()));
  r.command('create <name>')
    .description('create a custom role')
    .option('--permission <permission>', 'a permission, e.g. read:clusters (repeatable)', collect)
    .option('--description <text>', 'what the role is for')
    .action(async (name: string, o) => (await role()).roleCreate(name, o, global()));
  r.command('update <role>')
    .description('change a custom role')
    .option('--name <name>', 'a new name')
    .option('--description <text>', 'a new description')
    .option('--permission <permission>', 'the permissions, replacing the current ones (repeatable)', collect)
    .option('--add-permission <permission>', 'add a permission (repeatable)', collect)
    .option('--remove-permission <permission>', 'remove a permission (repeatable)', collect)
    .action(async (ref: string, o) => (await role()).roleUpdate(ref, o, global()));
  r.command('delete <role>')
    .description('delete a custom role')
    .option('-y, --yes', 'do not ask')
    .action(async (ref: string, o) => (await role()).roleDelete(ref, o, global()));
  r.command('permissions')
    .description('the permission catalogue')
    .action(async () => (await role()).rolePermissions(global()));
}

function registerKeysAndAudit(program: Command, global: () => Global): void {
  const k = program.command('key').description("the account's management keys");
  k.command('list')
    .alias('ls')
    .description('list keys (their prefixes and roles, never the keys)')
    .action(async () => (await key()).keyList(global()));
  k.command('create')
    .description('create a key, printed once to stdout; with --role, of those roles (default: your own roles)')
    .option('--role <role>', 'a role (name or id) of the key (repeatable)', collect)
    .action(async (o) => (await key()).keyCreate(o, global()));
  k.command('delete <key>')
    .description('delete a key by id or prefix')
    .option('-y, --yes', 'do not ask')
    .action(async (ref: string, o) => (await key()).keyDelete(ref, o, global()));
  const a = program.command('audit').description("the account's audit log: every change, who made it, from where");
  limited(a.command('list').alias('ls').description('audit events, newest first'))
    .option('--since <time>', 'from this time (RFC 3339) or this long ago (e.g. 2h, 7d)')
    .option('--until <time>', 'until this time (RFC 3339) or this long ago')
    .option('--actor <actor>', 'a user (id or email) or a management key (id)')
    .option('--object-type <type>', 'e.g. cluster, hybrid_cloud_environment, role')
    .option('--object-id <id>', "the object's id")
    .option('--method <method>', 'the rpc, e.g. CreateCluster or qdrant.cloud.cluster.v1.ClusterService/CreateCluster')
    .action(async (o) => (await import('../commands/audit-cloud.ts')).auditList(o, global()));
}

export function registerPeopleCommands(program: Command, global: () => Global): void {
  registerMembers(program, global);
  registerRoles(program, global);
  registerKeysAndAudit(program, global);
}
