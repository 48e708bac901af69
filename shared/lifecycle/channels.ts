/**
 * Application channels (申请渠道) and how each fixes the 收到申请之日 (Art. 31 of 《条例》).
 */

/** Channel keys, in the order the intake form lists them. */
export const channels = ["inPerson", "registeredMail", "ordinaryMail", "online", "fax", "email"] as const;

/** A channel an application arrived through. */
export type Channel = (typeof channels)[number];

/** Chinese channel names. */
export const channelLabels: Readonly<Record<Channel, string>> = {
  inPerson: "当面提交",
  registeredMail: "邮寄（需签收）",
  ordinaryMail: "平常信函",
  online: "互联网",
  fax: "传真",
  email: "电子邮件",
};

/** How the receipt date is fixed for each channel, shown next to the date field (Art. 31). */
export const receiptRules: Readonly<Record<Channel, string>> = {
  inPerson: "以提交之日为收到申请之日",
  registeredMail: "以行政机关签收之日为收到申请之日",
  ordinaryMail: "以政府信息公开工作机构与申请人确认之日为收到申请之日",
  online: "以双方确认之日为收到申请之日",
  fax: "以双方确认之日为收到申请之日",
  email: "以双方确认之日为收到申请之日",
};

/** Channels where an application first waits in 已提交待确认 until both sides confirm receipt. */
export const channelsNeedingConfirmation: readonly Channel[] = ["online", "fax", "email", "ordinaryMail"];
