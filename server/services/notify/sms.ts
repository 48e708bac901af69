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

/** A sender that logs (masked number) and remembers recent messages, for development and tests. */
export class LogSmsSender implements SmsSender {
  readonly sent: { phone: string; text: string; at: Date }[] = [];
  private readonly logger: Logger | null;

  constructor(logger: Logger | null = null) {
    this.logger = logger;
  }

  async send(phone: string, text: string): Promise<void> {
    this.sent.push({ phone, text, at: new Date() });
    if (this.sent.length > 100) this.sent.shift();
    // Development only: no real phone receives these, so the code in the log is how a developer logs in.
    this.logger?.info({ phone: maskPhone(phone), text }, "sms (development sender)");
  }

  /** The latest message sent to a number. */
  lastTo(phone: string): string | undefined {
    return this.sent.filter((message) => message.phone === phone).at(-1)?.text;
  }
}
