/**
 * A one-line spinner for a terminal, and plain log lines that print above it. When the
 * stream is not a terminal the spinner stays silent and lines are printed as they are.
 */
const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export class Progress {
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;
  private label = "";

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly tty: boolean,
  ) {}

  start(label: string): void {
    this.label = label;
    if (!this.tty || this.timer) return;
    this.timer = setInterval(() => this.draw(), 80);
    this.timer.unref();
    this.draw();
  }

  update(label: string): void {
    this.label = label;
    if (this.timer) this.draw();
  }

  /** Prints a line above the spinner: on a terminal, or anywhere when `always`. */
  log(line: string, always = false): void {
    if (!this.tty && !always) return;
    this.clear();
    this.out.write(`${line}\n`);
    if (this.timer) this.draw();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  private draw(): void {
    const text = this.label.length > 70 ? `${this.label.slice(0, 69)}…` : this.label;
    this.out.write(`\r\x1b[2K${FRAMES[this.frame++ % FRAMES.length]} ${text}`);
  }

  private clear(): void {
    if (this.tty) this.out.write("\r\x1b[2K");
  }
}
