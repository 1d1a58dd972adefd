// What every `nianbao <name>` command module exports as default (pipeline/commands/<name>.ts).
export interface Command {
  usage: string;
  /** Returns the exit code. Throw UsageError for wrong usage (2), anything else for failed work (1). */
  run(argv: string[]): Promise<number>;
}
