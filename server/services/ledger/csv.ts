/**
 * CSV as spreadsheets write it (RFC 4180: quoted fields with doubled quotes, CRLF, line breaks inside
 * quotes). Reading accepts UTF-8 with or without BOM and falls back to GB18030, which is what Excel
 * saves on Chinese Windows; writing emits UTF-8 with BOM so Excel opens it correctly.
 */

/** Decodes CSV bytes to text: UTF-8 (BOM stripped) when valid, otherwise GB18030. */
export function decodeCsv(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder("gb18030").decode(bytes);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses CSV text into records of fields; a trailing line break adds no record. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let inQuotes = false;
  let fieldStarted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += c;
      continue;
    }
    if (c === '"' && !fieldStarted) {
      inQuotes = true;
      fieldStarted = true;
    } else if (c === ",") {
      record.push(field);
      field = "";
      fieldStarted = false;
    } else if (c === "\r" || c === "\n") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      fieldStarted = false;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (fieldStarted || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** Formats records as CSV with a UTF-8 BOM and CRLF line ends. */
export function formatCsv(records: readonly (readonly string[])[]): Buffer {
  const lines = records.map((record) => record.map(quoteField).join(","));
  return Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8");
}

/**
 * A value a spreadsheet would run as a formula (=, +, -, @) gets a leading apostrophe on export, so a
 * citizen's text can never execute in the clerk's Excel; import removes it again.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Reverses `neutralizeFormula`. */
export function restoreFormula(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

function quoteField(value: string): string {
  const safe = neutralizeFormula(value);
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
