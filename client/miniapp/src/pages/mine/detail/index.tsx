/**
 * One of my applications: state and deadline, the event timeline in plain Chinese, the 补正 answer
 * form when a correction was requested, fee information, withdraw, and downloads of every letter
 * and delivered file.
 */
import { documentsApi } from "@govinfo/shared/api/routes/documents";
import { requestsApi } from "@govinfo/shared/api/routes/requests";
import type { DocumentTextDto } from "@govinfo/shared/schemas/documents";
import { Button, Input, Text, Textarea, View } from "@tarojs/components";
import Taro, { useRouter } from "@tarojs/taro";
import { useEffect, useState } from "react";
import { api } from "../../../api";
import { errorText, PageShell } from "../../../components/PageShell";
import { StateTag } from "../../../components/StateTag";
import { downloadOrToast } from "../../../download";
import { useLoader } from "../../../hooks/useLoader";
import { chineseDate, daysLeftText, feeInfo, timelineLines } from "../../../logic/timeline";
import "./index.scss";
import { formatQueryCode } from "@govinfo/shared/schemas/lookup";
import { Aftercare } from "./Aftercare";

/** The detail page. */
export default function MyRequestPage() {
  const id = useRouter().params.id ?? "";
  const detail = useLoader(api, (client) => client.call(requestsApi.detail, { params: { id } }), [id]);
  const [description, setDescription] = useState("");
  const [documentNumber, setDocumentNumber] = useState("");
  const [message, setMessage] = useState("");
  const [isBusy, setBusy] = useState(false);
  // The fields mount with their loaded values: on H5 a value set in the same tick as the field mounts
  // reaches Taro's Input before its inner <input> exists and throws in the console.
  const [isFormReady, setFormReady] = useState(false);
  const [reading, setReading] = useState<({ id: string } & DocumentTextDto) | null>(null);
  const data = detail.data;

  useEffect(() => {
    if (!data) return;
    setDescription(data.description);
    setDocumentNumber(data.documentNumber);
    setFormReady(true);
  }, [data]);

  const canCorrect = data?.abilities.events.includes("receiveCorrection") ?? false;
  const canWithdraw = data?.abilities.events.includes("withdraw") ?? false;
  const correctionNotice = data
    ? [...data.timeline].reverse().find((entry) => entry.type === "requestCorrection")
    : undefined;
  const fee = data ? feeInfo(data) : null;

  const handleCorrection = async () => {
    if (description.trim() === "") {
      setMessage("请填写补正后的申请内容");
      return;
    }
    setBusy(true);
    setMessage("");
    try {
      await api.call(requestsApi.correction, {
        params: { id },
        body: {
          description: description.trim(),
          documentNumber: documentNumber.trim(),
          expectedVersion: data?.version,
        },
      });
      Taro.showToast({ title: "补正已提交", icon: "success" });
      detail.reload();
    } catch (error) {
      setMessage(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  const handleWithdraw = async () => {
    const answer = await Taro.showModal({
      title: "撤回申请",
      content: "撤回后行政机关将不再办理本申请，确定撤回吗？",
      confirmText: "确定撤回",
      cancelText: "再想想",
    });
    if (!answer.confirm) return;
    try {
      await api.call(requestsApi.withdraw, { params: { id }, body: { expectedVersion: data?.version } });
      Taro.showToast({ title: "已撤回", icon: "success" });
      detail.reload();
    } catch (error) {
      Taro.showToast({ title: errorText(error), icon: "none" });
    }
  };

  // A letter read on the phone: its paragraphs, shown under it (the DOCX stays a download).
  const handleRead = async (docId: string) => {
    if (reading?.id === docId) {
      setReading(null);
      return;
    }
    try {
      const text = await api.call(documentsApi.document, { params: { id, docId }, query: { view: "text" } });
      // With view=text the answer is always the letter's text (a file is only ever downloaded).
      if (text) setReading({ id: docId, ...text });
    } catch (error) {
      Taro.showToast({ title: errorText(error), icon: "none" });
    }
  };

  const handleDownload = (docId: string, filename: string) =>
    downloadOrToast(api.url(documentsApi.document, { params: { id, docId } }), filename);

  return (
    <PageShell needsLogin isLoading={detail.isLoading} error={detail.error} onRetry={detail.reload}>
      {data ? (
        <View>
          <View className="card">
            <View className="row" style={{ justifyContent: "space-between" }}>
              <Text className="muted">{data.serialNo}</Text>
              <StateTag label={data.stateLabel} tone={data.stateTone} />
            </View>
            <Text className="card-title">{data.agency.name}</Text>
            <Text className="block detail-days">{daysLeftText(data)}</Text>
            {data.extendedBadge ? <Text className="block muted">{data.extendedBadge}</Text> : null}
            {data.outcomePlain ? (
              <Text className="block detail-outcome">答复结果：{data.outcomePlain}</Text>
            ) : null}
            <View className="kv">
              <Text className="kv-key">所需信息</Text>
              <Text className="kv-value">{data.description}</Text>
            </View>
            {data.queryCode ? (
              <View className="kv detail-query-code">
                <Text className="kv-key">查询码</Text>
                <Text className="kv-value">{formatQueryCode(data.queryCode)}</Text>
              </View>
            ) : null}
            <View className="kv">
              <Text className="kv-key">形式与方式</Text>
              <Text className="kv-value">
                {data.infoFormLabel} · {data.deliveryLabel}
              </Text>
            </View>
            {data.receiptDate ? (
              <View className="kv">
                <Text className="kv-key">收到申请</Text>
                <Text className="kv-value">{chineseDate(data.receiptDate)}</Text>
              </View>
            ) : null}
          </View>

          {canCorrect ? (
            <View className="card notice-card correction-card">
              <Text className="section-title">补正申请</Text>
              {correctionNotice?.correctionItems?.length ? (
                <View className="correction-items">
                  <Text className="block">行政机关一次性告知您补正以下事项：</Text>
                  {correctionNotice.correctionItems.map((item, i) => (
                    <Text key={item} className="block correction-item">
                      {i + 1}. {item}
                    </Text>
                  ))}
                </View>
              ) : (
                <Text>{correctionNotice?.summary ?? "行政机关告知您补正申请内容"}</Text>
              )}
              {data.clock.correctionDeadline ? (
                <Text className="muted">
                  请于{chineseDate(data.clock.correctionDeadline)}
                  前补正；无正当理由逾期不补正的，视为放弃申请。
                </Text>
              ) : null}
              {isFormReady ? (
                <>
                  <Text className="field-label">补正后的申请内容</Text>
                  <Textarea
                    className="field-textarea correction-description"
                    maxlength={2000}
                    value={description}
                    onInput={(e) => setDescription(e.detail.value)}
                  />
                  <Text className="field-label">文号（选填）</Text>
                  <Input
                    className="field-input correction-docno"
                    value={documentNumber}
                    onInput={(e) => setDocumentNumber(e.detail.value)}
                  />
                </>
              ) : null}
              {message ? <Text className="field-error">{message}</Text> : null}
              {/* Not `loading`: on H5 its spinner breaks Taro's Button rendering (a console error). */}
              <Button className="primary-btn correction-submit" disabled={isBusy} onClick={handleCorrection}>
                {isBusy ? "正在提交…" : "提交补正"}
              </Button>
            </View>
          ) : null}

          {fee ? (
            <View className={`card fee-card ${fee.status === "unpaid" ? "notice-card" : "fee-settled"}`}>
              <View className="row" style={{ justifyContent: "space-between" }}>
                <Text className="section-title">信息处理费</Text>
                <Text className={`fee-status fee-status-${fee.status}`}>
                  {fee.status === "paid" ? "已缴费" : fee.status === "expired" ? "逾期未缴" : "待缴费"}
                </Text>
              </View>
              <View className="kv">
                <Text className="kv-key">收费通知</Text>
                <Text className="kv-value">{chineseDate(fee.noticeDate)}</Text>
              </View>
              {fee.methodLabel ? (
                <View className="kv">
                  <Text className="kv-key">计费方式</Text>
                  <Text className="kv-value fee-method">{fee.methodLabel}</Text>
                </View>
              ) : null}
              {fee.amount !== null ? (
                <View className="kv">
                  <Text className="kv-key">金额</Text>
                  <Text className="kv-value fee-amount">{fee.amount}元</Text>
                </View>
              ) : null}
              <View className="kv">
                <Text className="kv-key">{fee.status === "paid" ? "缴费情况" : "缴费期限"}</Text>
                <Text className="kv-value fee-status-text">{fee.statusText}</Text>
              </View>
              <View className="kv">
                <Text className="kv-key">收费依据</Text>
                <Text className="kv-value fee-basis">{fee.legalBasis}</Text>
              </View>
            </View>
          ) : null}

          {data.documents.length > 0 ? (
            <View className="card">
              <Text className="section-title">文书和文件</Text>
              {data.documents.map((doc) => (
                <View key={doc.id} className="doc-item">
                  <Text className="doc-title">{doc.title}</Text>
                  <Text className="muted">
                    {doc.filename} · {chineseDate(doc.issuedAt)}
                  </Text>
                  <View className="row doc-actions">
                    {doc.filename.endsWith(".docx") ? (
                      <Text className="link doc-read" onClick={() => handleRead(doc.id)}>
                        在线阅读
                      </Text>
                    ) : null}
                    <Text className="link doc-download" onClick={() => handleDownload(doc.id, doc.filename)}>
                      下载
                    </Text>
                  </View>
                  {reading?.id === doc.id ? (
                    <View className="letter-text">
                      <Text className="block letter-title">{reading.title}</Text>
                      {reading.paragraphs.map((paragraph) => (
                        <Text
                          key={`${reading.paragraphs.indexOf(paragraph)}-${paragraph}`}
                          className="block letter-paragraph"
                        >
                          {paragraph}
                        </Text>
                      ))}
                    </View>
                  ) : null}
                </View>
              ))}
            </View>
          ) : null}

          {data.transfers?.from || data.transfers?.to ? (
            <View className="card transfer-card">
              <Text className="section-title">转办</Text>
              {data.transfers.from ? (
                <Text className="muted">
                  由{data.transfers.from.agencyName}转送（原申请 {data.transfers.from.serialNo}
                  ），以收到转送之日为收到申请之日
                </Text>
              ) : null}
              {data.transfers.to ? (
                <Text className="muted">
                  经您同意已转送{data.transfers.to.agencyName}办理（新申请 {data.transfers.to.serialNo}，
                  {data.transfers.to.stateLabel}）
                </Text>
              ) : null}
            </View>
          ) : null}

          <View className="card">
            <Text className="section-title">办理过程</Text>
            {timelineLines(data.timeline).map((line) => (
              <View key={`${line.date}-${line.title}-${line.text}`} className="timeline-item">
                <Text className="timeline-title">
                  {line.date} {line.title}
                </Text>
                <Text className="muted">{line.text}</Text>
              </View>
            ))}
          </View>

          <Aftercare id={id} serialNo={data.serialNo} />

          {canWithdraw ? (
            <Button className="danger-btn withdraw-btn" onClick={handleWithdraw}>
              撤回申请
            </Button>
          ) : null}
        </View>
      ) : null}
    </PageShell>
  );
}
