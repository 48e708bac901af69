/**
 * 查询办理进度 by 查询码, without logging in: the code (from the 登记回执 or its QR code) and the
 * applicant's name or the phone's last four digits show the state, the timeline, the working days left
 * and the letters issued to the applicant. A logged-in applicant may link the application to the
 * account (the server checks the phone on file) to follow it under 我的申请 and get notices.
 */
import { lookupApi } from "@govinfo/shared/api/routes/lookup";
import { formatQueryCode, type LookupResultDto } from "@govinfo/shared/schemas/lookup";
import { Button, Input, Text, View } from "@tarojs/components";
import Taro, { useRouter } from "@tarojs/taro";
import { useState } from "react";
import { api } from "../../api";
import { PageShell } from "../../components/PageShell";
import { saveBlob } from "../../download";
import { chineseDate } from "../../logic/timeline";
import { useSession } from "../../stores/session";
import "./index.scss";

type Proof = { code: string; name?: string; phoneLast4?: string };

/** The lookup page. */
export default function LookupPage() {
  const { isLoggedIn } = useSession();
  const [code, setCode] = useState(decodeURIComponent(useRouter().params.code ?? ""));
  const [who, setWho] = useState("");
  const [result, setResult] = useState<LookupResultDto | null>(null);
  const [proof, setProof] = useState<Proof | null>(null);
  const [error, setError] = useState("");
  const [notice, setNotice] = useState("");
  const [busy, setBusy] = useState(false);

  const handleLookup = async () => {
    const typed = who.trim();
    const next: Proof = /^\d{4}$/.test(typed) ? { code, phoneLast4: typed } : { code, name: typed };
    setBusy(true);
    setError("");
    setNotice("");
    try {
      setResult(await api.call(lookupApi.lookup, { body: next }));
      setProof(next);
    } catch (e) {
      setResult(null);
      setError(e instanceof Error ? e.message : "查询失败，请稍后重试");
    } finally {
      setBusy(false);
    }
  };

  const handleLink = async () => {
    if (!proof) return;
    try {
      await api.call(lookupApi.link, { body: proof });
      setNotice("已关联到您的账户，可在“我的申请”中查看，并接收办理进度提醒");
      setResult((now) => (now ? { ...now, linked: true } : now));
    } catch (e) {
      setNotice(e instanceof Error ? e.message : "关联失败，请稍后重试");
    }
  };

  const handleLetter = async (id: string, filename: string) => {
    if (!proof) return;
    try {
      await downloadByCode(
        api.url(lookupApi.letter, { params: { docId: id }, body: proof }),
        proof,
        filename,
      );
    } catch (e) {
      setNotice(e instanceof Error ? e.message : "下载失败，请稍后重试");
    }
  };

  return (
    <PageShell>
      <View className="card lookup-form">
        <Text className="card-title">凭查询码查询</Text>
        <Text className="muted">查询码印在登记回执上；当面、邮寄等方式提出的申请也可查询。</Text>
        <Text className="lookup-label">查询码</Text>
        <Input
          className="lookup-input"
          aria-label="查询码"
          placeholder="例如 ABCD-EFGH-JKMN"
          value={code}
          maxlength={20}
          onInput={(e) => setCode(e.detail.value)}
        />
        <Text className="lookup-label">申请人姓名或手机号码后4位</Text>
        <Input
          className="lookup-input"
          aria-label="申请人姓名或手机号码后4位"
          placeholder="姓名，或登记电话的后4位"
          value={who}
          maxlength={50}
          onInput={(e) => setWho(e.detail.value)}
        />
        <Button
          className="primary-btn lookup-submit"
          disabled={busy || code.trim() === "" || who.trim() === ""}
          onClick={handleLookup}
        >
          查询
        </Button>
        {error ? (
          <Text className="lookup-error" aria-live="polite">
            {error}
          </Text>
        ) : null}
      </View>
      {result ? (
        <View className="card lookup-result" aria-live="polite">
          <Text className="card-title">{result.serialNo}</Text>
          <Text className="muted">{result.agencyName}</Text>
          <View className="kv">
            <Text className="kv-key">办理状态</Text>
            <Text className="kv-value lookup-state">{result.stateLabel}</Text>
          </View>
          {result.workingDaysLeft !== null && result.dueDate ? (
            <View className="kv">
              <Text className="kv-key">答复期限</Text>
              <Text className="kv-value lookup-days">
                {result.overdue
                  ? `已超过答复期限（${chineseDate(result.dueDate)}）`
                  : `还剩 ${result.workingDaysLeft} 个工作日（${chineseDate(result.dueDate)}前）`}
                {result.paused ? "，期限暂停计算" : ""}
              </Text>
            </View>
          ) : null}
          <View className="kv">
            <Text className="kv-key">申请内容</Text>
            <Text className="kv-value">{result.description}</Text>
          </View>
          {(result.transfers ?? []).map((link) => (
            <View key={link.serialNo} className="kv lookup-transfer">
              <Text className="kv-key">{link.direction === "to" ? "已转办至" : "转办自"}</Text>
              <Text className="kv-value">
                {link.agencyName}（{link.serialNo}，{link.stateLabel}），查询码{" "}
                {formatQueryCode(link.queryCode)}
              </Text>
            </View>
          ))}
          <Text className="section-title">办理过程</Text>
          {result.timeline.map((step) => (
            <View key={`${step.type}-${step.date}-${step.summary}`} className="lookup-step">
              <Text className="lookup-step-title">
                {chineseDate(step.date)} {step.label}
              </Text>
              <Text className="muted">{step.summary}</Text>
            </View>
          ))}
          {result.letters.length > 0 ? <Text className="section-title">文书</Text> : null}
          {result.letters.map((letter) => (
            <View
              key={letter.id}
              className="kv lookup-letter"
              aria-role="button"
              aria-label={`下载${letter.title}`}
              onClick={() => handleLetter(letter.id, letter.filename)}
            >
              <Text className="kv-value link">{letter.title}</Text>
            </View>
          ))}
          {isLoggedIn && !result.linked ? (
            <Button className="primary-btn lookup-link" onClick={handleLink}>
              关联到我的账户
            </Button>
          ) : null}
          {!isLoggedIn && !result.linked ? (
            <Text className="muted">
              以登记的手机号码登录后，可将本申请关联到您的账户并接收办理进度提醒。
            </Text>
          ) : null}
          {notice ? (
            <Text className="lookup-notice" aria-live="polite">
              {notice}
            </Text>
          ) : null}
        </View>
      ) : null}
      {!isLoggedIn ? (
        <Button className="plain-btn lookup-login" onClick={() => Taro.switchTab({ url: "/pages/me/index" })}>
          登录
        </Button>
      ) : null}
    </PageShell>
  );
}

/** Downloads a letter by 查询码 (a POST: the code and name must not sit in a URL or a log). */
async function downloadByCode(url: string, proof: Proof, filename: string): Promise<void> {
  if (process.env.TARO_ENV === "h5") {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(proof),
    });
    if (!response.ok) throw new Error(`下载失败（${response.status}）`);
    saveBlob(await response.blob(), filename);
    return;
  }
  const response = await Taro.request({ url, method: "POST", data: proof, responseType: "arraybuffer" });
  if (response.statusCode !== 200) throw new Error(`下载失败（${response.statusCode}）`);
  const filePath = `${Taro.env.USER_DATA_PATH}/${filename}`;
  Taro.getFileSystemManager().writeFileSync(filePath, response.data as ArrayBuffer);
  await Taro.openDocument({ filePath, showMenu: true });
}
