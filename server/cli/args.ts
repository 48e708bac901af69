/**
 * A small argument parser for the administrator's command line: `--name value`, `--name=value`,
 * `-h`/`--help`, and positionals. Unknown options are errors, so a typo never passes silently.
 */

/** Parsed arguments: option values by name, positionals in order, and whether help was asked for. */
export interface ParsedArgs {
  options: Map<string, string>;
  positionals: string[];
  help: boolean;
}

/** A mistake in the command line; the CLI prints it with the usage and exits with code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * Parses `argv` against the options a command accepts.
 * @param known option names (without `--`) that take a value.
 */
export function parseArgs(argv: readonly string[], known: readonly string[]): ParsedArgs {
  const options = new Map<string, string>();
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "-h" || arg === "--help") {
      help = true;
      continue;
    }
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const match = /^--([a-z][a-z-]*)(?:=(.*))?$/.exec(arg);
    const name = match?.[1];
    if (!match || !name || !known.includes(name)) {
      throw new UsageError(`未知选项 ${arg}（unknown option）`);
    }
    let value = match[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--"))
        throw new UsageError(`选项 --${name} 需要一个值（--${name} needs a value）`);
      value = next;
      i++;
    }
    if (options.has(name)) throw new UsageError(`选项 --${name} 重复（--${name} given twice）`);
    options.set(name, value);
  }
  return { options, positionals, help };
}

/** The value of a required option, or a usage error naming it. */
export function required(args: ParsedArgs, name: string): string {
  const value = args.options.get(name)?.trim();
  if (!value) throw new UsageError(`缺少必填选项 --${name}（missing required option --${name}）`);
  return value;
}
