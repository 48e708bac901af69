/**
 * Downloads a file the API serves: on H5 through fetch (the bearer token cannot ride on a link) and a
 * saved blob; on weapp with Taro.downloadFile and Taro.openDocument.
 */
import Taro from "@tarojs/taro";
import { errorText } from "./components/PageShell";
import { session } from "./stores/session";

/** Downloads `url` and saves or opens it as `filename`. */
export async function downloadFile(url: string, filename: string): Promise<void> {
  const token = session.token();
  const header: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  if (process.env.TARO_ENV === "h5") {
    const response = await fetch(url, { headers: header });
    if (!response.ok) throw new Error(`下载失败（${response.status}）`);
    saveBlob(await response.blob(), filename);
    return;
  }
  const result = await Taro.downloadFile({ url, header });
  if (result.statusCode !== 200) throw new Error(`下载失败（${result.statusCode}）`);
  await Taro.openDocument({ filePath: result.tempFilePath, showMenu: true });
}

/** H5: hands `blob` to the browser as a download named `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = href;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked later: the browser reads the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** Downloads like `downloadFile`; a failure is shown as a toast (what every download button does). */
export async function downloadOrToast(url: string, filename: string): Promise<void> {
  try {
    await downloadFile(url, filename);
  } catch (error) {
    Taro.showToast({ title: errorText(error), icon: "none" });
  }
}
