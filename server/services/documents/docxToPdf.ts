/**
 * Word (DOCX) → PDF for 区分处理, by LibreOffice run headless as a separate process (MPL-2.0; it is
 * executed, never linked into the server). Each conversion gets its own temporary directory holding
 * the input, the output and a private LibreOffice profile (`-env:UserInstallation`), so concurrent
 * conversions never share a profile lock; a hard timeout kills the whole process group, at most
 * `concurrency` conversions run at once, and the directory is removed whatever happens.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { defaults } from "@govinfo/config/defaults";
import { BadRequest, ServiceUnavailable, UnsupportedMediaType } from "../../errors.ts";
import { detectType } from "../../security/fileTypes.ts";

/** Settings of a converter; everything but the binary has a default in `defaults`. */
export interface DocxConverterOptions {
  /** The `soffice` binary: a name looked up on PATH, or an absolute path. */
  soffice: string;
  timeoutMs?: number;
  /** Conversions running at once; more wait in a short queue. */
  concurrency?: number;
  /** Conversions allowed to wait for a slot; past it the request answers 503 with Retry-After. */
  maxQueued?: number;
  /** Parent of the per-conversion temporary directories (the OS temp dir by default). */
  tmpDir?: string;
}

/** A converted file and the wall time the conversion took (waiting for a slot excluded). */
export interface ConvertedPdf {
  pdf: Buffer;
  ms: number;
}

/** Converts DOCX bytes to PDF bytes; refuses with a Chinese message when it cannot. */
export interface DocxConverter {
  readonly soffice: string;
  convert(docx: Buffer): Promise<ConvertedPdf>;
}

/** What the converter says of itself in the provenance of a converted file. */
export const CONVERTER_NAME = "LibreOffice (soffice --headless --convert-to pdf)";

const SAVE_AS_PDF = "请先将该文件另存为 PDF 后重新上传，再进行区分处理";

/**
 * The private profile's settings. A DOCX can link images by URL (http: or file:); LibreOffice would
 * fetch them while converting — a request from the server to any address the file names, or a picture
 * from the server's disk in the PDF. BlockUntrustedRefererLinks refuses every link made by a document
 * outside LibreOffice's trusted locations (there are none). Macros are off as well.
 */
const LOCKED_DOWN_SETTINGS = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
`;

/** Creates a converter with its own concurrency limit (one per app). */
export function createDocxConverter(options: DocxConverterOptions): DocxConverter {
  const timeoutMs = options.timeoutMs ?? defaults.docxConversionTimeoutMs;
  const slots = limiter(
    options.concurrency ?? defaults.docxConversionConcurrency,
    options.maxQueued ?? defaults.docxConversionMaxQueued,
  );
  return {
    soffice: options.soffice,
    convert: async (docx) => {
      const type = detectType(docx);
      if (!type?.extensions.includes("docx")) {
        throw UnsupportedMediaType("该文件的内容不是有效的 Word（DOCX）文件，无法转换为 PDF");
      }
      return slots(() => convertOnce(docx, options.soffice, timeoutMs, options.tmpDir ?? tmpdir()));
    },
  };
}

/**
 * Conversions under way in this process: their directory and LibreOffice's process group. When the
 * process exits (a shutdown that did not wait for them, `process.exit`) they are killed and removed
 * synchronously, so no soffice outlives the server and no copy of a Word file stays in /tmp.
 */
const running = new Map<string, { pid: number | undefined }>();
let exitHookInstalled = false;

function cleanUpOnExit(): void {
  for (const [dir, { pid }] of running) {
    if (pid !== undefined) killGroup(pid);
    rmSync(dir, { recursive: true, force: true });
  }
  running.clear();
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // The group is already gone.
  }
}

async function convertOnce(
  docx: Buffer,
  soffice: string,
  timeoutMs: number,
  parent: string,
): Promise<ConvertedPdf> {
  if (!exitHookInstalled) {
    process.once("exit", cleanUpOnExit);
    exitHookInstalled = true;
  }
  const work = await mkdtemp(join(parent, "govinfo-docx-"));
  const entry: { pid: number | undefined } = { pid: undefined };
  running.set(work, entry);
  try {
    const input = join(work, "source.docx");
    const outDir = join(work, "out");
    const profile = join(work, "profile");
    await mkdir(outDir);
    await mkdir(join(profile, "user"), { recursive: true });
    await writeFile(join(profile, "user", "registrymodifications.xcu"), LOCKED_DOWN_SETTINGS);
    await writeFile(input, docx, { mode: 0o600 });
    const started = performance.now();
    const run = await runProcess(
      soffice,
      [
        `-env:UserInstallation=${pathToFileURL(profile).href}`,
        "--headless",
        "--invisible",
        "--nologo",
        "--nodefault",
        "--norestore",
        "--nolockcheck",
        // Always the DOCX import filter: LibreOffice must not sniff the bytes as some other format.
        "--infilter=MS Word 2007 XML",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        outDir,
        input,
      ],
      // LibreOffice writes caches under $HOME: keep them inside the directory that is removed.
      { ...process.env, HOME: work },
      timeoutMs,
      (pid) => {
        entry.pid = pid;
      },
    );
    const ms = performance.now() - started;
    if (run.kind === "missing") {
      throw UnsupportedMediaType(
        `本系统未安装 Word 转换组件（LibreOffice），暂不能将 Word（DOCX）文件转换为 PDF，${SAVE_AS_PDF}`,
      );
    }
    if (run.kind === "timeout") {
      throw BadRequest(
        `该 Word（DOCX）文件在 ${Math.round(timeoutMs / 1000)} 秒内未能转换为 PDF，${SAVE_AS_PDF}`,
      );
    }
    // soffice exits 0 even when it cannot load the file; only a PDF in the output directory counts.
    const pdf = await readFile(join(outDir, "source.pdf")).catch(() => null);
    if (!pdf || !detectType(pdf)?.extensions.includes("pdf")) {
      throw BadRequest(`该 Word（DOCX）文件已损坏或无法转换为 PDF，${SAVE_AS_PDF}`);
    }
    return { pdf, ms };
  } finally {
    await rm(work, { recursive: true, force: true, maxRetries: 3 });
    running.delete(work);
  }
}

type RunResult = { kind: "exited"; code: number | null } | { kind: "timeout" } | { kind: "missing" };

/**
 * Runs a program in its own process group; on timeout the whole group is killed (soffice is a
 * wrapper that starts `soffice.bin`), and so are stragglers after a normal exit.
 */
function runProcess(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  onSpawn: (pid: number) => void,
): Promise<RunResult> {
  return new Promise((resolve) => {
    let settled = false;
    const child = spawn(file, args, { detached: true, stdio: "ignore", env });
    if (child.pid !== undefined) onSpawn(child.pid);
    const finish = (result: RunResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.pid !== undefined) killGroup(child.pid);
      resolve(result);
    };
    const timer = setTimeout(() => finish({ kind: "timeout" }), timeoutMs);
    child.once("error", (error: NodeJS.ErrnoException) => {
      // ENOENT: no such binary; EACCES: not executable. Either way there is no converter.
      finish(
        error.code === "ENOENT" || error.code === "EACCES"
          ? { kind: "missing" }
          : { kind: "exited", code: null },
      );
    });
    child.once("exit", (code) => finish({ kind: "exited", code }));
  });
}

/** At most `max` tasks at once, at most `maxQueued` waiting; more are refused with 503. */
function limiter(max: number, maxQueued: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active < max) active++;
    else if (waiting.length >= maxQueued) throw ServiceUnavailable(defaults.retryAfterSeconds);
    // A finishing task hands its slot straight to the first waiter, so `active` stays the same.
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
