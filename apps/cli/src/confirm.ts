import { CliError, EXIT } from './exit.ts';

/**
 * Destructive commands: on a terminal, ask; otherwise `--yes` is required, so a script never
 * deletes by accident and never hangs on a prompt.
 */
export async function confirmOrExit(question: string, options: { yes?: boolean }): Promise<void> {
  if (options.yes) return;
  if (!process.stdin.isTTY || !process.stdout.isTTY)
    throw new CliError(`${question} — refusing without a terminal to ask on`, {
      code: EXIT.usage,
      hint: 'add --yes to confirm, or --dry-run to see what would happen',
    });
  const { default: confirm } = await import('@inquirer/confirm');
  if (!(await confirm({ message: question, default: false }))) throw new CliError('cancelled', { code: EXIT.error });
}
