/**
 * Reads the State Council's yearly holiday notice (国务院办公厅关于某年部分节假日安排的通知) as pasted
 * text into calendar days: every day of a "…至…放假" range is a holiday, every date of a sentence
 * saying "上班" is a make-up working day, each named after the holiday whose item it stands in
 * ("一、元旦：…"). Pure; the admin shows the days for checking before anything is saved.
 */
import { addDays, type IsoDate } from "./date.ts";

/** One parsed day. */
export interface NoticeDay {
  date: IsoDate;
  kind: "holiday" | "workday";
  name: string;
}

/** What the parser found: the year, the days in date order, and text it could not place. */
export interface ParsedNotice {
  year: number | null;
  days: NoticeDay[];
  /** Sentences mentioning 放假 or 上班 from which no date could be read. */
  unread: string[];
}

const DATE = "(?:(\\d{4})年)?(\\d{1,2})月(\\d{1,2})日(?:（[^）]*）|\\([^)]*\\))?";
const RANGE = new RegExp(
  `${DATE}(?:至(?:(?:(\\d{4})年)?(\\d{1,2})月)?(\\d{1,2})日(?:（[^）]*）|\\([^)]*\\))?)?`,
  "g",
);
const ANY_DATE = new RegExp(DATE, "g");

/**
 * Parses a pasted notice.
 * @param text the notice as pasted (title included or not).
 * @param fallbackYear the year when the text names none ("关于2027年部分节假日安排").
 */
export function parseHolidayNotice(text: string, fallbackYear?: number): ParsedNotice {
  const titled = /(\d{4})年(?:部分)?节假日安排/.exec(text);
  const year = titled ? Number(titled[1]) : (fallbackYear ?? null);
  const days = new Map<IsoDate, NoticeDay>();
  const unread: string[] = [];
  if (year === null) return { year, days: [], unread: ["未能从通知中读出年份，请包含通知标题或选择年份"] };
  let name = "";
  for (const line of text.split(/\n+/)) {
    const heading = /^\s*[一二三四五六七八九十]+、\s*([^：:]+)[：:]/.exec(line);
    if (heading) name = (heading[1] ?? "").trim();
    const body = heading ? line.slice(heading[0].length) : line;
    for (const sentence of body.split(/[。；;]/)) {
      if (!/放假|上班/.test(sentence)) continue;
      const found = sentence.includes("放假")
        ? holidaysIn(sentence, year, name)
        : workdaysIn(sentence, year, name);
      if (found.length === 0) {
        if (heading || /\d+月\d+日/.test(sentence)) unread.push(sentence.trim());
        continue;
      }
      for (const day of found) days.set(day.date, day);
    }
  }
  return { year, days: [...days.values()].sort((a, b) => a.date.localeCompare(b.date)), unread };
}

function holidaysIn(sentence: string, year: number, name: string): NoticeDay[] {
  const days: NoticeDay[] = [];
  // Only the part before 放假 is the holiday; a trailing "…上班" clause in the same sentence is not.
  const part = sentence.slice(0, sentence.indexOf("放假"));
  for (const m of part.matchAll(RANGE)) {
    const startYear = m[1] ? Number(m[1]) : year;
    const start = isoDate(startYear, Number(m[2]), Number(m[3]));
    if (!start) continue;
    let end = start;
    if (m[6]) {
      const endMonth = m[5] ? Number(m[5]) : Number(m[2]);
      const endYear = m[4] ? Number(m[4]) : endMonth < Number(m[2]) ? startYear + 1 : startYear;
      end = isoDate(endYear, endMonth, Number(m[6])) ?? start;
    }
    for (let day = start, guard = 0; day <= end && guard < 31; day = addDays(day, 1), guard++)
      days.push({ date: day, kind: "holiday", name: name || "法定节假日" });
  }
  const rest = sentence.slice(sentence.indexOf("放假"));
  if (rest.includes("上班")) days.push(...workdaysIn(rest, year, name));
  return days;
}

function workdaysIn(sentence: string, year: number, name: string): NoticeDay[] {
  const days: NoticeDay[] = [];
  for (const m of sentence.matchAll(ANY_DATE)) {
    const date = isoDate(m[1] ? Number(m[1]) : year, Number(m[2]), Number(m[3]));
    if (date) days.push({ date, kind: "workday", name: `${name || "节假日"}调休上班` });
  }
  return days;
}

function isoDate(year: number, month: number, day: number): IsoDate | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const iso = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  const check = new Date(`${iso}T00:00:00Z`);
  return check.getUTCMonth() + 1 === month ? iso : null;
}
