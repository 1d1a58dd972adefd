// Ctrl-C and SIGTERM for the commands that run work (demo, reextract, worker): the first signal asks the work to
// stop (jobs not yet started stay undone, running ones finish or are handed back); a second one exits at once. The
// command then throws InterruptedError, which cli.ts reports in one line with exit code 130 (SIGINT) or 143 (SIGTERM).
import { NianbaoError } from '../core/errors.ts';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** 128 + the signal number, as shells report a process stopped by it. */
export const exitCodeOf = (signal: StopSignal): number => (signal === 'SIGINT' ? 130 : 143);

/** The run was stopped by a signal; the message says what was done before it stopped. */
export class InterruptedError extends NianbaoError {
  override name = 'InterruptedError';
  // Interrupted work is not broken work: running it again continues it.
  readonly permanent = false;
  constructor(
    readonly signal: StopSignal,
    message: string,
  ) {
    super(message);
  }
}

export interface Interrupt {
  /** Aborted on the first SIGINT/SIGTERM; `reason` is the signal's name. */
  readonly signal: AbortSignal;
  /** The signal received, or null. */
  readonly received: StopSignal | null;
  /** Throws InterruptedError(message) when a signal was received. */
  check(message: () => string): void;
  /** Removes the listeners (the command is done). */
  dispose(): void;
}

/**
 * Listens for SIGINT and SIGTERM until disposed. Persistent listeners (not once): signal-exit, pulled in by
 * dependencies, re-raises a signal when it finds itself the only listener, which would kill the process before the
 * current jobs are handed back.
 */
export function trapInterrupts(log: (message: string) => void, exit: (code: number) => void = process.exit): Interrupt {
  const controller = new AbortController();
  let received: StopSignal | null = null;
  const handlerFor = (signal: StopSignal) => () => {
    if (received) {
      log(`${signal} again: exiting now`);
      exit(exitCodeOf(signal));
      return;
    }
    received = signal;
    log(`${signal}: stopping (running jobs finish or are handed back; ${signal} again exits at once)`);
    controller.abort(signal);
  };
  const onInt = handlerFor('SIGINT');
  const onTerm = handlerFor('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    check(message) {
      if (received) throw new InterruptedError(received, message());
    },
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
