/**
 * The 依申请公开 application in five short steps (申请人类型 → 身份信息 → 所需信息 → 形式与获取方式 →
 * 核对并提交), each checked with the shared RequestSubmitInput schema; while the citizen describes the
 * information, already-published matches are shown (/catalogue/suggest) and the citizen is asked,
 * once, whether one of them is what they need (先查再申): choosing one ends the flow without an
 * application and is counted (/feedback/deflections); "都不是" keeps the list but stops asking.
 */

import { ApiError } from "@govinfo/api-client/client";
import { authApi } from "@govinfo/shared/api/routes/auth";
import { catalogueApi } from "@govinfo/shared/api/routes/catalogue";
import { feedbackApi } from "@govinfo/shared/api/routes/feedback";
import { requestsApi } from "@govinfo/shared/api/routes/requests";
import type { SuggestionDTO } from "@govinfo/shared/schemas/catalogue";
import {
  deliveryLabels,
  deliveryMethods,
  idTypeLabels,
  idTypes,
  infoFormLabels,
  infoForms,
} from "@govinfo/shared/schemas/request";
import { applicantColumns, applicantOrgGroupLabel } from "@govinfo/shared/stats/keys";
import { Button, Input, RichText, Text, Textarea, View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { type ReactNode, useEffect, useState } from "react";
import { api } from "../../../api";
import { errorText, PageShell } from "../../../components/PageShell";
import { PersonalInfoNotice } from "../../../components/PersonalInfoNotice";
import { useLoader } from "../../../hooks/useLoader";
import {
  type ApplyForm,
  type ApplyStep,
  applySteps,
  emptyApplyForm,
  type FieldErrors,
  firstInvalidStep,
  toSubmitBody,
  validateStep,
} from "../../../logic/applyForm";
import {
  type AcceptedTemplate,
  acceptedTemplates,
  configuredKinds,
  refusedNotice,
} from "../../../logic/subscribe";
import { emphasize } from "../../../logic/timeline";
import "./index.scss";

const applicantTypes = applicantColumns.filter((c) => c.key !== "total");

function Choices<T extends string>(props: {
  options: readonly T[];
  labels: (value: T) => string;
  value: string;
  onChange: (value: T) => void;
  className?: string;
}) {
  return (
    <View className={`row ${props.className ?? ""}`}>
      {props.options.map((option) => (
        <Text
          key={option}
          className={option === props.value ? "choice is-selected" : "choice"}
          onClick={() => props.onChange(option)}
        >
          {props.labels(option)}
        </Text>
      ))}
    </View>
  );
}

function Field(props: { label: string; error?: string; children: ReactNode }) {
  return (
    <View>
      <Text className="field-label">{props.label}</Text>
      {props.children}
      {props.error ? <Text className="field-error">{props.error}</Text> : null}
    </View>
  );
}

/**
 * Asks WeChat for consent to the configured notification kinds (weapp only). Must run inside the
 * submit tap, before any await: WeChat shows the dialog only for a user's tap.
 */
async function askSubscription(): Promise<{ asked: number; accepted: AcceptedTemplate[] }> {
  const templates = SUBSCRIBE_TEMPLATES;
  const kinds = configuredKinds(templates);
  if (process.env.TARO_ENV !== "weapp" || kinds.length === 0) return { asked: 0, accepted: [] };
  try {
    const answer = await Taro.requestSubscribeMessage({
      tmplIds: kinds.map((kind) => templates[kind] ?? ""),
      entityIds: [],
    } as never);
    return { asked: kinds.length, accepted: acceptedTemplates(templates, answer as Record<string, unknown>) };
  } catch {
    // Refused, or the switch in WeChat's settings is off: the application goes ahead without.
    return { asked: kinds.length, accepted: [] };
  }
}

/** The application form page. */
export default function ApplyFormPage() {
  const [form, setForm] = useState<ApplyForm>(emptyApplyForm);
  const [stepIndex, setStepIndex] = useState(0);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [isSubmitting, setSubmitting] = useState(false);
  const [suggestions, setSuggestions] = useState<SuggestionDTO[]>([]);
  const [isNoticeAcknowledged, setNoticeAcknowledged] = useState(false);
  const [isSuggestionDeclined, setSuggestionDeclined] = useState(false);
  const agencies = useLoader(api, (client) => client.call(catalogueApi.agencies), []);
  const step = applySteps[stepIndex]?.key ?? "type";

  useEffect(() => {
    if (!form.agencyId && agencies.data?.length === 1) {
      setForm((old) => ({ ...old, agencyId: agencies.data?.[0]?.id ?? "" }));
    }
  }, [agencies.data, form.agencyId]);

  useEffect(() => {
    const q = form.description.trim();
    if (q.length < 2) {
      setSuggestions([]);
      return;
    }
    const timer = setTimeout(() => {
      api.call(catalogueApi.suggest, { query: { q, agency: form.agencyId || undefined } }).then(
        (items) => setSuggestions(items),
        () => setSuggestions([]),
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [form.description, form.agencyId]);

  const set = (patch: Partial<ApplyForm>) => setForm((old) => ({ ...old, ...patch }));
  const setApplicant = (patch: Partial<ApplyForm["applicant"]>) =>
    setForm((old) => ({ ...old, applicant: { ...old.applicant, ...patch } }));

  const goTo = (target: ApplyStep) => {
    setErrors({});
    setStepIndex(applySteps.findIndex((s) => s.key === target));
    Taro.pageScrollTo({ scrollTop: 0, duration: 0 });
  };

  const handleNext = () => {
    const found = validateStep(step, form);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    goTo(applySteps[stepIndex + 1]?.key ?? "review");
  };

  const handleSubmit = async () => {
    const invalid = firstInvalidStep(form);
    const body = toSubmitBody(form);
    if (invalid || !body) {
      goTo(invalid ?? "type");
      setErrors(validateStep(invalid ?? "type", form));
      return;
    }
    if (!isNoticeAcknowledged) {
      setErrors({ notice: "请先阅读个人信息处理告知，并勾选“我已阅读并知悉”" });
      return;
    }
    setSubmitting(true);
    const subscription = askSubscription();
    try {
      const { asked, accepted } = await subscription;
      const created = await api.call(requestsApi.submit, { body });
      if (accepted.length > 0) {
        await api.call(authApi.wechatSubscriptions, { body: { accepted } }).catch(() => undefined);
      }
      // This is a tab page: it stays alive, so it starts empty for the next application.
      setForm(emptyApplyForm());
      setStepIndex(0);
      setNoticeAcknowledged(false);
      setSuggestionDeclined(false);
      const refused = refusedNotice(asked, accepted.length);
      if (refused) {
        await Taro.showModal({
          title: "申请已提交",
          content: refused,
          showCancel: false,
          confirmText: "知道了",
        });
      } else {
        Taro.showToast({ title: "申请已提交", icon: "success" });
      }
      Taro.navigateTo({ url: `/pages/mine/detail/index?id=${created.id}` });
    } catch (error) {
      if (error instanceof ApiError && error.details?.fields) {
        setErrors(Object.fromEntries(error.details.fields.map((f) => [f.path, f.message])));
      }
      Taro.showToast({ title: errorText(error), icon: "none" });
    } finally {
      setSubmitting(false);
    }
  };

  // 先查再申: the citizen found what they need; no application, the choice is counted for the agency.
  const handleChoose = async (suggestion: SuggestionDTO) => {
    try {
      await api.call(feedbackApi.deflect, { body: { agencyId: form.agencyId, itemId: suggestion.id } });
    } catch (error) {
      Taro.showToast({ title: errorText(error), icon: "none" });
      return;
    }
    setForm(emptyApplyForm());
    setStepIndex(0);
    setSuggestionDeclined(false);
    setSuggestions([]);
    Taro.showToast({ title: "已为您打开该信息，无需提出申请", icon: "none" });
    Taro.navigateTo({ url: `/pages/catalogue/item/index?id=${suggestion.id}` });
  };

  const isOrg = form.applicant.type !== "natural";
  const agencyName = agencies.data?.find((a) => a.id === form.agencyId)?.name ?? "";

  return (
    <PageShell needsLogin isLoading={agencies.isLoading} error={agencies.error} onRetry={agencies.reload}>
      <View className="steps">
        {applySteps.map((s, i) => (
          <Text key={s.key} className={i === stepIndex ? "step-dot is-current" : "step-dot"}>
            {i + 1}.{s.title}
          </Text>
        ))}
      </View>
      <View className="card">
        <Text className="card-title">
          第{stepIndex + 1}步（共{applySteps.length}步）：{applySteps[stepIndex]?.title}
        </Text>

        {step === "type" ? (
          <View>
            <Field label="向哪个行政机关申请" error={errors.agencyId}>
              <Choices
                className="agency-choices"
                options={(agencies.data ?? []).map((a) => a.id)}
                labels={(id) => agencies.data?.find((a) => a.id === id)?.name ?? id}
                value={form.agencyId}
                onChange={(agencyId) => set({ agencyId })}
              />
            </Field>
            <Field label="申请人类型" error={errors["applicant.type"]}>
              <Choices
                className="type-choices"
                options={applicantTypes.map((t) => t.key)}
                labels={(key) => {
                  const label = applicantTypes.find((t) => t.key === key)?.label ?? key;
                  return key === "natural" ? label : `${applicantOrgGroupLabel} · ${label}`;
                }}
                value={form.applicant.type}
                onChange={(type) =>
                  setApplicant({ type, idType: type === "natural" ? "idCard" : "creditCode" })
                }
              />
            </Field>
            <Text className="muted">
              律师以个人名义申请的，属于自然人；以律师事务所名义申请的，属于法律服务机构。
            </Text>
          </View>
        ) : null}

        {step === "identity" ? (
          <View>
            <Field label={isOrg ? "名称" : "姓名"} error={errors["applicant.name"]}>
              <Input
                className="field-input input-name"
                value={form.applicant.name}
                onInput={(e) => setApplicant({ name: e.detail.value })}
              />
            </Field>
            <Field label="证件类型" error={errors["applicant.idType"]}>
              <Choices
                options={idTypes}
                labels={(key) => idTypeLabels[key]}
                value={form.applicant.idType}
                onChange={(idType) => setApplicant({ idType })}
              />
            </Field>
            <Field label="证件号码" error={errors["applicant.idNumber"]}>
              <Input
                className="field-input input-id"
                value={form.applicant.idNumber}
                onInput={(e) => setApplicant({ idNumber: e.detail.value })}
              />
            </Field>
            <Field label="联系电话" error={errors["applicant.phone"]}>
              <Input
                className="field-input input-phone"
                type="number"
                value={form.applicant.phone}
                onInput={(e) => setApplicant({ phone: e.detail.value })}
              />
            </Field>
            {isOrg ? (
              <Field label="联系人" error={errors["applicant.contactPerson"]}>
                <Input
                  className="field-input input-contact"
                  value={form.applicant.contactPerson}
                  onInput={(e) => setApplicant({ contactPerson: e.detail.value })}
                />
              </Field>
            ) : null}
          </View>
        ) : null}

        {step === "info" ? (
          <View>
            <Field label="所需信息的名称、文号或者便于查询的其他特征性描述" error={errors.description}>
              <Textarea
                className="field-textarea input-description"
                maxlength={2000}
                value={form.description}
                onInput={(e) => set({ description: e.detail.value })}
              />
            </Field>
            {suggestions.length > 0 ? (
              <View className="card suggest-card" role="region" aria-label="已主动公开的相关信息">
                <Text className="muted suggest-question">
                  {isSuggestionDeclined
                    ? "以下信息已主动公开，可直接查阅："
                    : "以下信息已主动公开。其中是否有您需要的信息？如有，无需再提出申请。"}
                </Text>
                {suggestions.map((s) => (
                  <View key={s.id} className="suggest-item">
                    <View
                      aria-label={`查看：${s.title}`}
                      onClick={() => Taro.navigateTo({ url: `/pages/catalogue/item/index?id=${s.id}` })}
                    >
                      <RichText className="link" nodes={emphasize(s.titleHtml)} />
                    </View>
                    {s.docNumber ? <Text className="muted">{s.docNumber}</Text> : null}
                    {isSuggestionDeclined ? null : (
                      <Button
                        className="plain-btn suggest-choose"
                        aria-label={`就是这条：${s.title}，不再提出申请`}
                        onClick={() => handleChoose(s)}
                      >
                        就是这条，不再申请
                      </Button>
                    )}
                  </View>
                ))}
                {isSuggestionDeclined ? null : (
                  <Button className="plain-btn suggest-decline" onClick={() => setSuggestionDeclined(true)}>
                    都不是，继续申请
                  </Button>
                )}
              </View>
            ) : null}
            <Field label="文号（选填）" error={errors.documentNumber}>
              <Input
                className="field-input input-docno"
                value={form.documentNumber}
                onInput={(e) => set({ documentNumber: e.detail.value })}
              />
            </Field>
            <Text className="muted">无需说明申请用途。</Text>
          </View>
        ) : null}

        {step === "delivery" ? (
          <View>
            <Field label="信息的提供形式" error={errors.infoForm}>
              <Choices
                options={infoForms}
                labels={(key) => infoFormLabels[key]}
                value={form.infoForm}
                onChange={(infoForm) => set({ infoForm })}
              />
            </Field>
            <Field label="获取信息的方式" error={errors.delivery}>
              <Choices
                options={deliveryMethods}
                labels={(key) => deliveryLabels[key]}
                value={form.delivery}
                onChange={(delivery) => set({ delivery })}
              />
            </Field>
            <Field
              label={form.delivery === "mail" ? "通信地址" : "通信地址（选填）"}
              error={errors["applicant.address"]}
            >
              <Input
                className="field-input input-address"
                value={form.applicant.address}
                onInput={(e) => setApplicant({ address: e.detail.value })}
              />
            </Field>
            <Field
              label={form.delivery === "email" ? "电子邮箱" : "电子邮箱（选填）"}
              error={errors["applicant.email"]}
            >
              <Input
                className="field-input input-email"
                value={form.applicant.email}
                onInput={(e) => setApplicant({ email: e.detail.value })}
              />
            </Field>
          </View>
        ) : null}

        {step === "review" ? (
          <View className="review">
            {[
              ["受理机关", agencyName],
              ["申请人类型", applicantTypes.find((t) => t.key === form.applicant.type)?.label ?? ""],
              [isOrg ? "名称" : "姓名", form.applicant.name],
              [
                "证件",
                `${idTypeLabels[form.applicant.idType as keyof typeof idTypeLabels] ?? ""} ${form.applicant.idNumber}`,
              ],
              ["联系电话", form.applicant.phone],
              ["通信地址", form.applicant.address || "未填写"],
              ["电子邮箱", form.applicant.email || "未填写"],
              ["所需信息", form.description],
              ["文号", form.documentNumber || "无"],
              ["信息形式", infoFormLabels[form.infoForm as keyof typeof infoFormLabels] ?? ""],
              ["获取方式", deliveryLabels[form.delivery as keyof typeof deliveryLabels] ?? ""],
            ].map(([key, value]) => (
              <View key={key} className="kv">
                <Text className="kv-key">{key}</Text>
                <Text className="kv-value">{value}</Text>
              </View>
            ))}
            {Object.entries(errors)
              .filter(([path]) => path !== "notice")
              .map(([path, message]) => (
                <Text key={path} className="field-error">
                  {message}
                </Text>
              ))}
            <Text className="muted" style={{ marginTop: "12px" }}>
              在线提交的申请，以双方确认之日为收到申请之日。
              {process.env.TARO_ENV === "weapp" && configuredKinds(SUBSCRIBE_TEMPLATES).length > 0
                ? "提交时将询问是否接收微信办理进度通知。"
                : ""}
            </Text>
          </View>
        ) : null}
      </View>

      {step === "review" ? (
        <PersonalInfoNotice
          agencyName={agencyName}
          isAcknowledged={isNoticeAcknowledged}
          error={errors.notice}
          onToggle={() => {
            setNoticeAcknowledged((old) => !old);
            setErrors(({ notice: _, ...rest }) => rest);
          }}
        />
      ) : null}

      <View className="form-actions">
        {stepIndex > 0 ? (
          <Button
            className="plain-btn form-prev"
            onClick={() => goTo(applySteps[stepIndex - 1]?.key ?? "type")}
          >
            上一步
          </Button>
        ) : null}
        {step === "review" ? (
          // Not `loading`: on H5 its spinner is inserted beside React's own text node, which throws
          // "insertBefore … not a child of this node" in the console on every submission.
          <Button className="primary-btn form-submit" disabled={isSubmitting} onClick={handleSubmit}>
            {isSubmitting ? "正在提交…" : "提交申请"}
          </Button>
        ) : (
          <Button className="primary-btn form-next" onClick={handleNext}>
            下一步
          </Button>
        )}
      </View>
    </PageShell>
  );
}
