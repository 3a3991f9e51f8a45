// Bash completion for hanfs-wizard, rendered from the help source (help-source.ts): the commands, each
// command's verbs (from its usage line, help-verbs.ts), each command's options, the --demo= scenarios
// and the values of options that name a file or a directory.
// Installed as /usr/share/bash-completion/completions/hanfs-wizard (loaded on demand by bash-completion);
// works without bash-completion too (plain compgen), using its _filedir when present (~, quoting).
// test/commands/bash-completion.test.ts runs it in a real bash.
import { COMMAND_HELP, PROGRAM, type HelpOption, type ValueKind } from './help-source.js';
import { usageVerbs } from './help-verbs.js';

/** What completes an option's value: explicit, else FILE/DIR args complete paths, others nothing. */
export function valueKind(o: HelpOption): ValueKind | null {
  if (o.arg === undefined) return null;
  if (o.value) return o.value;
  if (o.arg === 'FILE') return 'file';
  if (o.arg === 'DIR') return 'dir';
  return 'none';
}

const VALUE_ACTION: Record<ValueKind, string> = {
  file: '_hanfs_wizard_paths -f',
  dir: '_hanfs_wizard_paths -d',
  scenario: 'mapfile -t COMPREPLY < <(compgen -W "$scenarios" -- "$cur")',
  // USER@HOST, fingerprints, NODE:DISK, seconds: nothing sensible to offer.
  node: 'COMPREPLY=()',
  none: 'COMPREPLY=()',
};

function q(words: string[]): string {
  return words.join(' ');
}

/** The script; `scenarios` are the demo lab's scenario folders at build time. */
export function renderBashCompletion(scenarios: string[]): string {
  const fn = `_${PROGRAM.replace(/-/g, '_')}`;
  const commands = COMMAND_HELP.filter((c) => c.name !== 'wizard').map((c) => c.name);
  // The script in the order bash runs it: the path helper, then the completion function's parts (which
  // command, an option's value, a command's verb, the options), each rendered from the help source.
  return PATHS_HELPER + commandWordPart(fn, scenarios, commands) + valuePart(valueCases()) + verbPart(verbCases()) + optionsPart(fn, commands, optionCases());
}

/** `case` arms: each command's options (a switch with an optional value also as "--opt="). */
function optionCases(): string[] {
  return COMMAND_HELP.map((c) => {
    const words = c.options.flatMap((o) => (o.optionalArg ? [o.flag, `${o.flag}=`] : [o.flag]));
    return `    ${c.name}) opts='${q([...words, '--help'])}' ;;`;
  });
}

/** `case` arms: the verbs of the commands whose usage line starts with one. */
function verbCases(): string[] {
  return COMMAND_HELP.flatMap((c) => {
    const verbs = usageVerbs(c);
    return verbs.length ? [`    ${c.name}) verbs='${q(verbs)}' ;;`] : [];
  });
}

/** `case` arms: "command:--option" to what completes its value. */
function valueCases(): string[] {
  const valueCase: string[] = [];
  for (const c of COMMAND_HELP) {
    for (const o of c.options) {
      const kind = valueKind(o);
      if (kind === null) continue;
      valueCase.push(`    ${c.name}:${o.flag}) ${VALUE_ACTION[kind]} ;;`);
    }
  }
  return valueCase;
}

const PATHS_HELPER = `# bash completion for ${PROGRAM}                                 -*- shell-script -*-
# Generated from src/commands/help-source.ts by scripts/gen-man-completion.mjs: edit that, not this file.

# Paths for an option's value (-f files, -d directories): bash-completion's _filedir when loaded.
_hanfs_wizard_paths() {
  if declare -F _filedir >/dev/null; then
    if [[ $1 == -d ]]; then _filedir -d; else _filedir; fi
    return
  fi
  compopt -o filenames 2>/dev/null
  mapfile -t COMPREPLY < <(compgen "$1" -- "$cur")
}

`;

function commandWordPart(fn: string, scenarios: string[], commands: string[]): string {
  return `${fn}() {
  local cur prev opt prefix='' cmd='' ci=0 i opts verbs='' w
  local scenarios='${q(scenarios)}'
  COMPREPLY=()
  cur=\${COMP_WORDS[COMP_CWORD]}
  prev=''
  ((COMP_CWORD > 0)) && prev=\${COMP_WORDS[COMP_CWORD - 1]}

  # The command word, if one was typed; none means the wizard.
  for ((i = 1; i < COMP_CWORD; i++)); do
    case \${COMP_WORDS[i]} in
      ${commands.join('|')}|wizard|help) cmd=\${COMP_WORDS[i]} ci=$i; break ;;
    esac
  done

  if [[ $cmd == help ]]; then
    mapfile -t COMPREPLY < <(compgen -W '${q(commands)}' -- "$cur")
    return 0
  fi

`;
}

function valuePart(valueCase: string[]): string {
  return `  # An option's value: "--opt VALUE", "--opt=VALUE" (bash splits at "=" by default: --opt, =, VALUE)
  # and "--opt=VALUE" as one word (COMP_WORDBREAKS without "=").
  opt=''
  if [[ $cur == = && $prev == --* ]]; then
    opt=$prev cur=''
  elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
    opt=\${COMP_WORDS[COMP_CWORD - 2]}
  elif [[ $cur == --*=* ]]; then
    prefix=\${cur%%=*}= opt=\${cur%%=*} cur=\${cur#*=}
  elif [[ $prev == --* ]]; then
    opt=$prev
  fi
  if [[ -n $opt ]]; then
    local matched=1
    case \${cmd:-wizard}:$opt in
${valueCase.join('\n')}
      *) matched=0 ;;
    esac
    if ((matched)); then
      [[ -n $prefix ]] && ((\${#COMPREPLY[@]})) && COMPREPLY=("\${COMPREPLY[@]/#/$prefix}")
      return 0
    fi
    # No value to complete: after "=" nothing fits; after a switch, the options follow.
    [[ $opt == "$prev" ]] || return 0
  fi

`;
}

function verbPart(verbsCase: string[]): string {
  return `  # A command that takes a verb first (snapshot list, disk replace, maintenance on): the verbs until one
  # is typed; after it, the options.
  case $cmd in
${verbsCase.join('\n')}
  esac
  if [[ -n $verbs && $cur != -* ]] && ((ci > 0)); then
    for ((i = ci + 1; i < COMP_CWORD; i++)); do
      for w in $verbs; do
        [[ \${COMP_WORDS[i]} == "$w" ]] && verbs=''
      done
    done
    if [[ -n $verbs ]]; then
      mapfile -t COMPREPLY < <(compgen -W "$verbs" -- "$cur")
      return 0
    fi
  fi

`;
}

function optionsPart(fn: string, commands: string[], optsCase: string[]): string {
  return `  case \${cmd:-wizard} in
${optsCase.join('\n')}
  esac
  if [[ -z $cmd && $COMP_CWORD -eq 1 ]]; then
    opts="$opts --version"
    [[ $cur != -* ]] && opts="${q(commands)} help"
  fi
  mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
  # "--demo=" is completed without a space after it, so the scenario can follow.
  if [[ \${#COMPREPLY[@]} -eq 1 && \${COMPREPLY[0]} == *= ]]; then compopt -o nospace 2>/dev/null; fi
  return 0
}
complete -F ${fn} ${PROGRAM}
`;
}
