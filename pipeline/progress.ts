// Progress on stderr for long work: count, rate, ETA. One rewritten line on a terminal, a line every few seconds
// otherwise (logs), nothing on stdout.
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
    process.stderr.write(this.tty ? `\r\x1b[K${line}` : `${line}\n`);
  }

  finish(): void {
    if (this.tty) process.stderr.write('\n');
  }
}
