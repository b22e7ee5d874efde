import type { Command } from 'commander';
import { CliError, EXIT } from '../exit.ts';

/** Each command path with its subcommands and flags, from commander's own tree: completion never drifts from the CLI. */
function tree(program: Command): Map<string, { subcommands: string[]; flags: string[] }> {
  const map = new Map<string, { subcommands: string[]; flags: string[] }>();
  const walk = (cmd: Command, path: string) => {
    const visible = cmd.commands.filter((c) => !(c as Command & { _hidden?: boolean })._hidden);
    map.set(path, { subcommands: visible.map((c) => c.name()), flags: cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f))) });
    for (const sub of visible) walk(sub, path ? `${path} ${sub.name()}` : sub.name());
  };
  walk(program, '');
  return map;
}

/** The words after which a cluster name is completed. */
const CLUSTER_VERBS = ['get', 'describe', 'scale', 'delete', 'set-resources', 'upgrade', 'restart', 'suspend', 'resume', 'pause', 'unpause', 'expose'];

export function completion(program: Command, shell: string): string {
  const commands = tree(program);
  const cases = [...commands.entries()].map(([path, c]) => `    "${path}") words="${[...c.subcommands, ...c.flags].join(' ')}" ;;`).join('\n');
  if (shell === 'bash' || shell === 'zsh') {
    return `# qhc completion for ${shell}: source <(qhc completion ${shell})
${shell === 'zsh' ? 'autoload -U +X bashcompinit && bashcompinit\n' : ''}_qhc() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" w i extra=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in
      --region|--kubeconfig|--kube-context|-n|--namespace|--context) extra="$extra $w \${COMP_WORDS[i+1]}"; i=$((i + 1)); continue ;;
      -*) continue ;;
    esac
    if [ -z "$path" ]; then path="$w"; else path="$path $w"; fi
  done
  local words=""
  case "$path" in
${cases}
  esac
  case "$path" in
    ${CLUSTER_VERBS.map((v) => `"cluster ${v}"`).join('|')})
      if [[ "$cur" != -* ]]; then words="$words $(qhc __complete clusters $extra 2>/dev/null || true)"; fi ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _qhc qhc kubectl-qhc
`;
  }
  if (shell === 'fish') {
    const lines = ['# qhc completion for fish: qhc completion fish | source', 'complete -c qhc -f'];
    for (const [path, c] of commands) {
      const condition = path ? `__fish_seen_subcommand_from ${path.split(' ').at(-1)}` : '__fish_use_subcommand';
      for (const sub of c.subcommands) lines.push(`complete -c qhc -n '${condition}' -a ${sub}`);
    }
    lines.push(`complete -c qhc -n '__fish_seen_subcommand_from ${CLUSTER_VERBS.join(' ')}' -a '(qhc __complete clusters 2>/dev/null)'`);
    return `${lines.join('\n')}\n`;
  }
  throw new CliError(`no completion for "${shell}"`, { code: EXIT.usage, hint: 'use bash, zsh or fish' });
}
