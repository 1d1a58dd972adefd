// Progress on stderr for long work: count, rate, ETA. One rewritten line on a terminal, a line every few seconds
// otherwise (logs), nothing on stdout.
import { log } from '../core/log.ts';

export class Progress {
  private readonly started = Date.now();
  private last = 0;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(private readonly unit: string) {}

  update(done: number, total: number, note?: string): void {
    const now = Date.now();
    if (now - this.last < (this.tty ? 200 : 5000) && !note) return;
    this.last = now;
    const secs = (now - this.started) / 1000;
    const rate = done / Math.max(secs, 0.001);
    const eta = rate > 0 && total > done ? `, ETA ${Math.ceil((total - done) / rate)} s` : '';
    const line = `${done}/${total} ${this.unit}, ${rate.toFixed(1)}/s${eta}${note ? ` — ${note}` : ''}`;
    // A terminal's line is rewritten in place, which a line logger cannot do; logs get one line per update.
    if (this.tty) process.stderr.write(`\r\x1b[K${line}`);
    else log.info(line);
  }

  finish(): void {
    if (this.tty) process.stderr.write('\n');
  }
}
