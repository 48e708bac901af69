import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseHolidayNotice } from "@govinfo/shared/calendar/notice";

// The 2026 notice as the State Council published it (国办发明电〔2025〕7号), pasted from the web page.
const NOTICE_2026 = `国务院办公厅关于2026年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。`;

describe("parseHolidayNotice", () => {
  it("reads every holiday and make-up working day of the 2026 notice", () => {
    const parsed = parseHolidayNotice(NOTICE_2026);
    assert.equal(parsed.year, 2026);
    assert.deepEqual(parsed.unread, []);
    const holidays = parsed.days.filter((d) => d.kind === "holiday");
    const workdays = parsed.days.filter((d) => d.kind === "workday");
    assert.equal(holidays.length, 3 + 9 + 3 + 5 + 3 + 3 + 7);
    assert.deepEqual(
      workdays.map((d) => d.date),
      ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
    );
    assert.deepEqual(
      parsed.days.find((d) => d.date === "2026-02-23"),
      { date: "2026-02-23", kind: "holiday", name: "春节" },
    );
    assert.equal(parsed.days.find((d) => d.date === "2026-10-10")?.name, "国庆节调休上班");
    assert.deepEqual(
      parsed.days.map((d) => d.date),
      [...parsed.days.map((d) => d.date)].sort(),
    );
  });

  it("carries a range over the month and year end, and takes the year from the caller when untitled", () => {
    const parsed = parseHolidayNotice("一、元旦：12月31日（周四）至1月2日（周六）放假调休，共3天。", 2026);
    assert.deepEqual(
      parsed.days.map((d) => d.date),
      ["2026-12-31", "2027-01-01", "2027-01-02"],
    );
  });

  it("says what it could not read instead of guessing", () => {
    assert.equal(parseHolidayNotice("一、春节：放假安排另行通知。").year, null);
    const parsed = parseHolidayNotice("一、春节：2月30日至31日放假。", 2027);
    assert.deepEqual(parsed.days, []);
    assert.equal(parsed.unread.length, 1);
  });
});
