// `qhc account …`: commander only; each action loads its command module when it runs.
import type { Command } from 'commander';
import type { Global } from '../commands/region.ts';
import { limited } from './options.ts';

const account = () => import('../commands/account-cloud.ts');
const billing = () => import('../commands/billing-cloud.ts');

const companyFlags = (cmd: Command) => cmd.option('--company-name <name>', "the company's name").option('--company-domain <domain>', "the company's domain");

export function registerAccountCommands(program: Command, global: () => Global): void {
  const a = program.command('account').description('accounts: list, switch, company and billing information, access requests and their approval');
  a.command('list')
    .alias('ls')
    .description('the accounts you belong to (a key: its own)')
    .action(async () => (await account()).accountList(global()));
  a.command('get [account]')
    .description("an account by id or name (default: the context's)")
    .action(async (ref: string | undefined) => (await account()).accountGet(ref, global()));
  companyFlags(a.command('create <name>').description('create an account')).action(async (name: string, o) =>
    (await account()).accountCreate(name, o, global()),
  );
  companyFlags(a.command('update [account]').description("rename an account or change its company (default: the context's)"))
    .option('--name <name>', 'the new name')
    .action(async (ref: string | undefined, o) => (await account()).accountUpdate(ref, o, global()));
  a.command('delete <account>')
    .description('delete an account')
    .option('-y, --yes', 'do not ask')
    .action(async (ref: string, o) => (await account()).accountDelete(ref, o, global()));
  a.command('leave [account]')
    .description("leave an account (default: the context's)")
    .option('-y, --yes', 'do not ask')
    .action(async (ref: string | undefined, o) => (await account()).accountLeave(ref, o, global()));
  a.command('switch <account>')
    .description("make the context act in another account (by id or name); a user's session switches too")
    .action(async (ref: string) => (await account()).accountSwitch(ref, global()));
  a.command('access [account-id]')
    .description("an account's access state: pending, approved or rejected, and why (default: the context's)")
    .action(async (id: string | undefined) => (await account()).accountAccess(id, global()));
  limited(a.command('requests').description('access requests of every account (instance administrators)'))
    .option('--status <status>', 'only pending, approved or rejected ones')
    .action(async (o) => (await account()).accountRequests(o, global()));
  a.command('approve <account-id>')
    .description("approve an account's access request (instance administrators)")
    .action(async (id: string) => (await account()).accountApprove(id, global()));
  a.command('reject <account-id>')
    .description("reject an account's access request (instance administrators)")
    .requiredOption('--reason <text>', 'why: the account sees it')
    .action(async (id: string, o) => (await account()).accountReject(id, o, global()));
  const b = a.command('billing').description("the context's account's company and billing information");
  b.command('get')
    .description('show it')
    .action(async () => (await billing()).billingGet(global()));
  b.command('set')
    .description('change the fields named; the others stay')
    .option('--company-name <name>', 'the company name')
    .option('--address-line1 <text>', 'address, first line')
    .option('--address-line2 <text>', 'address, second line')
    .option('--postal-code <code>', 'postal code')
    .option('--city <city>', 'city')
    .option('--country <country>', 'country (ISO 3166-1 alpha-2, e.g. DE)')
    .option('--tax-id <id>', 'tax id / VAT number')
    .option('--billing-email <email>', 'where invoices go')
    .action(async (o) => (await billing()).billingSet(o, global()));
}
