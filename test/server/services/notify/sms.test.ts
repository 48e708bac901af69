/**
 * The logging SMS sender: development reads one-time codes from the log; in production the text is
 * withheld, because a code in the log lets whoever reads the logs log in as the citizen.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLogger } from "../../../../server/logger.ts";
import { LogSmsSender } from "../../../../server/services/notify/sms.ts";

function capturedLogger(): { logger: ReturnType<typeof createLogger>; text: () => string } {
  const lines: string[] = [];
  const logger = createLogger({ level: "debug", destination: { write: (line: string) => lines.push(line) } });
  return { logger, text: () => lines.join("") };
}

const phone = "13912345678";
const message = "您的登录验证码为 482913，5分钟内有效。";

describe("LogSmsSender", () => {
  it("logs the text in development, with the number masked", async () => {
    const log = capturedLogger();
    await new LogSmsSender(log.logger).send(phone, message);
    assert.match(log.text(), /482913/);
    assert.doesNotMatch(log.text(), /13912345678/);
  });

  it("withholds the text in production and says no provider is configured", async () => {
    const log = capturedLogger();
    const sender = new LogSmsSender(log.logger, { showText: false });
    await sender.send(phone, message);
    assert.doesNotMatch(log.text(), /482913/);
    assert.doesNotMatch(log.text(), /13912345678/);
    assert.match(log.text(), /no SMS provider is configured/);
    assert.equal(sender.lastTo(phone), message, "tests can still read what was sent");
  });
});
