/**
 * The list of scheduled jobs, the one place to add one (the outbox dispatcher, the annual-report
 * draft): write a `Job` (idempotent, `run(now)`) or a factory over `JobDeps`, and add it to
 * `jobFactories` below. `main.ts` starts the scheduler over `createJobs(deps)`.
 */
import type { Logger } from "../logger.ts";
import { draftLastYearReportsJob } from "../reports/draftJob.ts";
import { createReportDriftJob } from "../reports/drift.ts";
import { createPersonalDataCipher } from "../security/personalData.ts";
import type { WechatSettings } from "../services/applicantLogin.ts";
import { LogSmsSender, type SmsSender } from "../services/notify/sms.ts";
import { createOutboxJob } from "../services/outbox.ts";
import { expireCorrectionsJob } from "./expireCorrections.ts";
import { expireFeesJob } from "./expireFees.ts";
import { remindDueSoonJob } from "./remindDueSoon.ts";
import type { Job } from "./scheduler.ts";

/** What job factories may use; built once by `main.ts`. */
export interface JobDeps {
  logger: Logger;
  /** AES-256-GCM key for personal data at rest (a sender needs the applicant's phone in the clear). */
  dataKey: Buffer;
  /** WeChat subscribe-message settings (the outbox dispatcher). */
  wechat: WechatSettings;
  /** Text message sender; defaults to the logging one, as the app's does. */
  sms?: SmsSender;
}

/** Builds a job from the process's dependencies. */
export type JobFactory = (deps: JobDeps) => Job;

/** Every job, in the order a tick runs them: closures first, so reminders skip what they closed. */
export const jobFactories: readonly JobFactory[] = [
  () => expireCorrectionsJob,
  () => expireFeesJob,
  () => remindDueSoonJob,
  () => draftLastYearReportsJob,
  (deps) => createReportDriftJob(deps.logger),
  (deps) =>
    createOutboxJob({
      cipher: createPersonalDataCipher(deps.dataKey),
      sms: deps.sms ?? new LogSmsSender(deps.logger),
      logger: deps.logger,
      wechat: deps.wechat,
    }),
];

/**
 * The jobs of this process.
 * @param deps the logger and keys the jobs need.
 */
export function createJobs(deps: JobDeps): Job[] {
  return jobFactories.map((factory) => factory(deps));
}
