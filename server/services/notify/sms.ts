/**
 * Text messages to applicants (one-time codes, status changes). The default sender writes to the log,
 * which is what development and tests need; a deployment plugs in its provider here.
 */
import { maskPhone } from "@govinfo/shared/identity";
import type { Logger } from "../../logger.ts";

/** Sends one text message. */
export interface SmsSender {
  send(phone: string, text: string): Promise<void>;
}

/**
 * A sender that logs (masked number) and remembers recent messages, for development and tests. In
 * production (`showText: false`) it withholds the text: a one-time code in the log would let anyone
 * who reads the logs log in as the citizen.
 */
export class LogSmsSender implements SmsSender {
  readonly sent: { phone: string; text: string; at: Date }[] = [];
  private readonly logger: Logger | null;
  private readonly showText: boolean;

  constructor(logger: Logger | null = null, options: { showText?: boolean } = {}) {
    this.logger = logger;
    this.showText = options.showText ?? true;
  }

  async send(phone: string, text: string): Promise<void> {
    this.sent.push({ phone, text, at: new Date() });
    if (this.sent.length > 100) this.sent.shift();
    if (this.showText) {
      // Development only: no real phone receives these, so the code in the log is how a developer logs in.
      this.logger?.info({ phone: maskPhone(phone), text }, "sms (development sender)");
    } else {
      this.logger?.warn({ phone: maskPhone(phone) }, "sms not sent: no SMS provider is configured");
    }
  }

  /** The latest message sent to a number. */
  lastTo(phone: string): string | undefined {
    return this.sent.filter((message) => message.phone === phone).at(-1)?.text;
  }
}
