/**
 * After an application is closed: the satisfaction rating (once: 1–5 stars and a comment) and, when the
 * outcome went against the applicant, the remedy guide — the remedies the letter offers with live
 * countdowns, the 复议机关, the court route, and the pre-filled 行政复议申请书 (print view and DOCX).
 */
import { aftercareApi } from "@govinfo/shared/api/routes/aftercare";
import { ratingLabels } from "@govinfo/shared/schemas/aftercare";
import { Button, Picker, Text, Textarea, View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useEffect, useState } from "react";
import { api } from "../../../api";
import { errorText } from "../../../components/PageShell";
import { downloadOrToast } from "../../../download";
import { useLoader } from "../../../hooks/useLoader";
import { countdownText } from "../../../logic/remedy";
import { chineseDate } from "../../../logic/timeline";

const scores = [1, 2, 3, 4, 5] as const;

/** The aftercare cards of one closed application. */
export function Aftercare(props: { id: string; serialNo: string }) {
  const { id, serialNo } = props;
  // The day the 行政复议决定书 arrived, once the applicant enters it: the 15-day period runs from it.
  const [reviewDate, setReviewDate] = useState("");
  const view = useLoader(
    api,
    (client) =>
      client.call(aftercareApi.aftercare, {
        params: { id },
        query: reviewDate ? { reviewDecisionDate: reviewDate } : {},
      }),
    [id, reviewDate],
  );
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState("");
  const [message, setMessage] = useState("");
  const [isBusy, setBusy] = useState(false);
  const [now, setNow] = useState(() => new Date());

  // The countdowns are live: they tick every minute while the page is open.
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);

  const data = view.data;
  if (!data) return null;
  // 纳入主动公开: what was asked for is now published, open or closed.
  const published = data.publishedItem ? (
    <View className="card published-card" role="region" aria-label="已纳入主动公开">
      <Text className="section-title">已纳入主动公开</Text>
      <Text className="block muted">您申请的信息已由行政机关主动公开，可以直接查阅：</Text>
      <Text
        className="link published-item"
        onClick={() => Taro.navigateTo({ url: `/pages/catalogue/item/index?id=${data.publishedItem?.id}` })}
      >
        {data.publishedItem.title}
      </Text>
    </View>
  ) : null;
  if (!data.closed) return published;

  const handleRate = async () => {
    if (score === 0) {
      setMessage("请选择满意度评分（1至5星）");
      return;
    }
    setBusy(true);
    setMessage("");
    try {
      await api.call(aftercareApi.rate, { params: { id }, body: { score, comment: comment.trim() } });
      Taro.showToast({ title: "感谢您的评价", icon: "success" });
      view.reload();
    } catch (error) {
      setMessage(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  const handleDocx = () =>
    downloadOrToast(
      api.url(aftercareApi.reviewApplicationDocx, { params: { id } }),
      `行政复议申请书-${serialNo}.docx`,
    );

  const remedy = data.remedy;
  return (
    <View>
      {published}
      <View className="card rating-card" role="region" aria-label="满意度评价">
        <Text className="section-title">满意度评价</Text>
        {data.rating ? (
          <View className="rating-done">
            <Text className="block rating-score" aria-label={`您的评价：${data.rating.score}星`}>
              {"★".repeat(data.rating.score)}
              {"☆".repeat(5 - data.rating.score)} {ratingLabels[data.rating.score as 1 | 2 | 3 | 4 | 5]}
            </Text>
            {data.rating.comment ? <Text className="block muted">{data.rating.comment}</Text> : null}
            <Text className="block muted">感谢您的评价。每件申请只能评价一次。</Text>
          </View>
        ) : data.canRate ? (
          <View>
            <Text className="block muted">本申请已办结，请对办理情况作出评价（每件申请只能评价一次）。</Text>
            <View className="row rating-stars" role="radiogroup" aria-label="满意度评分">
              {scores.map((value) => (
                <View
                  key={value}
                  className={value <= score ? "rating-star is-on" : "rating-star"}
                  role="radio"
                  aria-checked={value === score}
                  aria-label={`${value}星，${ratingLabels[value]}`}
                  onClick={() => setScore(value)}
                >
                  {value <= score ? "★" : "☆"}
                </View>
              ))}
            </View>
            {score > 0 ? <Text className="block rating-label">{ratingLabels[score as 1]}</Text> : null}
            <Text className="field-label">评价意见（选填）</Text>
            <Textarea
              className="field-textarea rating-comment"
              maxlength={500}
              value={comment}
              aria-label="评价意见"
              onInput={(e) => setComment(e.detail.value)}
            />
            {message ? <Text className="field-error">{message}</Text> : null}
            <Button className="primary-btn rating-submit" disabled={isBusy} onClick={handleRate}>
              {isBusy ? "正在提交…" : "提交评价"}
            </Button>
          </View>
        ) : null}
      </View>

      {remedy ? (
        <View className="card remedy-card notice-card" role="region" aria-label="救济途径">
          <Text className="section-title">救济途径</Text>
          <Text className="block remedy-intro">
            {remedy.kind === "reviewFirst"
              ? "对不予公开的答复不服的，应当先申请行政复议；对复议决定不服的，再提起行政诉讼。"
              : "对本答复不服的，可以申请行政复议，也可以直接提起行政诉讼。"}
          </Text>
          <Text className="block muted">您知道该行政行为之日：{chineseDate(remedy.knownOn)}</Text>
          {remedy.deadlines.map((d) => (
            <View key={d.key} className={`remedy-item remedy-${d.key}`}>
              <Text className="block remedy-label">{d.label}</Text>
              <Text className="block muted">
                {d.rule}（{d.basis}）
              </Text>
              {d.deadline ? (
                <Text
                  className="block remedy-countdown"
                  aria-live="polite"
                  aria-label={`${d.label}期限至${chineseDate(d.deadline)}，${countdownText(d.deadline, now)}`}
                >
                  期限至{chineseDate(d.deadline)} · {countdownText(d.deadline, now)}
                </Text>
              ) : (
                <Text className="block muted">收到行政复议决定书后开始计算。</Text>
              )}
              {d.key === "suitAfterReview" ? (
                <Picker
                  mode="date"
                  value={reviewDate}
                  onChange={(e) => setReviewDate(String(e.detail.value))}
                >
                  <Text className="link remedy-review-date" aria-label="选择收到行政复议决定书的日期">
                    {reviewDate
                      ? `已收到复议决定书：${chineseDate(reviewDate)}（修改）`
                      : "已收到复议决定书？选择收到日期"}
                  </Text>
                </Picker>
              ) : null}
            </View>
          ))}
          <View className="kv">
            <Text className="kv-key">行政复议机关</Text>
            <Text className="kv-value remedy-review-body">{remedy.reviewBody.name}</Text>
          </View>
          <Text className="block muted">{remedy.reviewBody.rule}</Text>
          <View className="kv">
            <Text className="kv-key">行政诉讼</Text>
            <Text className="kv-value remedy-court">{remedy.court}</Text>
          </View>
          <Text className="block muted remedy-letter">答复书原文：{remedy.letterSentence}</Text>
          <View className="row remedy-actions">
            <Button
              className="primary-btn remedy-docx"
              onClick={handleDocx}
              aria-label="下载预填的行政复议申请书"
            >
              下载行政复议申请书
            </Button>
            <Button
              className="plain-btn remedy-print"
              aria-label="打开行政复议申请书打印视图"
              onClick={() => Taro.navigateTo({ url: `/pages/mine/remedy/index?id=${id}` })}
            >
              打印视图
            </Button>
          </View>
        </View>
      ) : null}
    </View>
  );
}
