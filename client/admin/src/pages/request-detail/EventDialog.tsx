/**
 * One dialog per lifecycle event: the fields the shared payload schema asks for, the legal date,
 * and for 答复 and 拟办 the decision guide, the outcome picker grouped as table 三 with each choice's
 * legal basis, the reply letter preview and issuing the letter. Reviewers and signers read the draft
 * they approve, return or sign; a reply signed off is issued with the signed text.
 */
import { feeLegalBasis, feeMethodLabels } from "@govinfo/shared/fees";
import {
  type GuideQuestionKey,
  guideAnswers,
  guideQuestions,
  walkGuide,
} from "@govinfo/shared/lifecycle/decisionGuide";
import { type EventType, eventLabels } from "@govinfo/shared/lifecycle/machine";
import { type LetterKind, type LetterModelDto, letterKindLabels } from "@govinfo/shared/schemas/documents";
import type { RequestDetailDto } from "@govinfo/shared/schemas/requestDto";
import {
  closeOutcomeKeys,
  consultationResultLabels,
  consultationResults,
  type DecisionGround,
  decisionGroundLabels,
  feeDeliveryLabels,
  replyOutcomeKeys,
  serviceMethodLabels,
  serviceMethods,
} from "@govinfo/shared/schemas/requestEvent";
import { type OutcomeKey, outcomeGroups, outcomes } from "@govinfo/shared/stats/keys";
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Typography,
} from "antd";
import { type ReactNode, useEffect, useState } from "react";
import { errorText } from "../../components/PageShell.tsx";
import { useSubmit } from "../../hooks/useSubmit.ts";
import { todayInChina } from "../../hooks.ts";
import { checklistPayload, DuplicateChecklist, isChecklistComplete } from "./DuplicateChecklist.tsx";
import { buildEvent, feeAmount } from "./eventForm.ts";
import { detailService } from "./service.ts";

/**
 * The letter each step issues (the citizen's message promises it): the 登记回执 on receipt, the
 * 补正告知书 with the 补正 request, the 答复告知书 with the decision.
 */
const stepLetters: Partial<Record<EventType, LetterKind>> = {
  confirmReceipt: "receipt",
  requestCorrection: "correction",
  decide: "reply",
};

/** Dialog titles that name the legal act, not just the event. */
const titles: Partial<Record<EventType, string>> = {
  requestCorrection: "告知补正（《条例》第三十条）",
  extend: "延长答复期限（《条例》第三十三条第二款）",
  startConsultation: "征求意见（《条例》第三十二条、第三十四条）",
  feeNotice: "收取信息处理费",
  recordFeeDelivery: "记录收费通知签收（邮寄送达）",
  decide: "作出答复",
  draftDecision: "拟办（拟定办理结果和答复告知书，报审核）",
  returnDraft: "退回返工",
  approveDraft: "审核拟办意见",
  signOff: "签发答复告知书",
  closeUnprocessed: "不再处理",
};

/** The dialogs that choose a reply's outcome (the guide, the picker and the letter). */
const decisionDialogs: readonly EventType[] = ["decide", "draftDecision"];

/** The last 拟办 on the timeline (the one under review, or the one signed off). */
function lastDraft(request: RequestDetailDto) {
  return request.timeline.findLast((entry) => entry.type === "draftDecision");
}

/** The decision fields of a draft, to fill the reply dialog with what was approved. */
function draftDecisionValues(request: RequestDetailDto): Record<string, unknown> {
  const {
    letter: _letter,
    needsSignOff: _needs,
    catalogueItem: _item,
    responsibleAgency: _agency,
    consultationResult: _result,
    ...decision
  } = (lastDraft(request)?.payload ?? {}) as Record<string, unknown>;
  if (typeof decision.responsibleAgencyId === "string") decision.responsibleAgency = "tree";
  else if (typeof decision.responsibleAgencyName === "string") decision.responsibleAgency = "typed";
  else if (decision.responsibleUndetermined === true) decision.responsibleAgency = "undetermined";
  return decision;
}

/** The dialog of one event. */
export function EventDialog(props: {
  type: EventType | null;
  request: RequestDetailDto;
  onClose(): void;
  onDone(updated: RequestDetailDto): void;
}) {
  const { type, request } = props;
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const { busy, error, setError, submit } = useSubmit();
  const [issueReply, setIssueReply] = useState(true);
  // Staff's edits of the previewed reply text (null: issue the text as generated).
  const [editedParagraphs, setEditedParagraphs] = useState<string[] | null>(null);
  const outcome = Form.useWatch("outcome", form) as OutcomeKey | undefined;
  const letterKind = stepLetters[type ?? "register"];
  // A reply that went through the chain is issued as approved: its fields come from the draft.
  const stage = request.workflow?.signOffStage;
  const signedOff = type === "decide" && (stage === "approved" || stage === "signed");
  const [guided, setGuided] = useState(false);
  // 不予处理-重复申请 is chosen only with the four points of a 重复申请 ticked here (Art. 36(六)).
  const [ticked, setTicked] = useState<string[]>([]);
  const asksChecklist =
    type !== null && decisionDialogs.includes(type) && !signedOff && outcome === "notProcessed.duplicate";

  useEffect(() => {
    if (!type) return;
    form.resetFields();
    setError(null);
    setEditedParagraphs(null);
    setIssueReply(true);
    setGuided(false);
    setTicked([]);
    form.setFieldsValue({
      date: todayInChina(),
      ...defaults(type, request.delivery),
      ...(signedOff ? draftDecisionValues(request) : {}),
    });
  }, [type, form, request, signedOff, setError]);

  if (!type) return null;

  const handleOk = async () => {
    const values = form.getFieldsValue(true) as Record<string, unknown>;
    const built = buildEvent(
      type,
      asksChecklist ? { ...values, duplicateChecklist: checklistPayload(ticked) } : values,
    );
    if (built.ok && type === "draftDecision" && editedParagraphs) {
      built.event.letter = editedParagraphs.map((line) => line.trim()).filter((line) => line !== "");
    }
    if (!built.ok) {
      form.setFields(built.problems.map((p) => ({ name: p.path.split("."), errors: [p.message] })));
      setError(built.problems.map((p) => p.message).join("；"));
      return;
    }
    await submit(async () => {
      const result = await detailService.fire(request.id, built.event, request.version);
      let updated = result.request;
      if (letterKind && issueReply) {
        await detailService.issueLetter(
          request.id,
          letterKind,
          editedParagraphs
            ? { paragraphs: editedParagraphs.map((line) => line.trim()).filter((line) => line !== "") }
            : {},
        );
        updated = await detailService.load(request.id);
      }
      message.success(`${eventLabels[type]}已办理`);
      for (const warning of result.warnings) message.warning(warning);
      props.onDone(updated);
    });
  };

  return (
    <Modal
      cancelText="取消"
      title={titles[type] ?? eventLabels[type]}
      open
      onCancel={props.onClose}
      onOk={handleOk}
      okText="确定"
      okButtonProps={{ disabled: asksChecklist && !isChecklistComplete(ticked) }}
      confirmLoading={busy}
      width={decisionDialogs.includes(type) || type === "signOff" || type === "approveDraft" ? 900 : 560}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        // A field's refusal (set from the shared schema's messages) goes once the field is changed.
        onValuesChange={(changed: Record<string, unknown>) =>
          form.setFields(Object.keys(changed).map((name) => ({ name, errors: [] })))
        }
      >
        <Form.Item label={dateLabel(type)} name="date">
          <Input type="date" style={{ width: 200 }} />
        </Form.Item>
        {decisionDialogs.includes(type) && !signedOff && (
          <DecisionGuide request={request} onResult={setGuided} />
        )}
        {fields(type, guided || signedOff)}
        {decisionDialogs.includes(type) && <GroundFields request={request} locked={guided || signedOff} />}
        {asksChecklist && <DuplicateChecklist value={ticked} onChange={setTicked} />}
        {(type === "approveDraft" || type === "signOff" || type === "returnDraft") && (
          <DraftCard request={request} />
        )}
        {type === "feeNotice" && <FeePreview form={form} />}
        {type === "deliver" && <AttachmentWarning request={request} />}
        {letterKind && (
          <Checkbox
            checked={issueReply}
            onChange={(e) => setIssueReply(e.target.checked)}
            style={{ marginBottom: 12 }}
          >
            同时出具《{letterKindLabels[letterKind]}》
          </Checkbox>
        )}
        {signedOff && <DraftCard request={request} signed />}
        {decisionDialogs.includes(type) && !signedOff && (
          <LetterPreview
            requestId={request.id}
            outcome={outcome}
            edited={editedParagraphs}
            onEdit={setEditedParagraphs}
          />
        )}
      </Form>
    </Modal>
  );
}

// The delivery dialog opens on the 获取方式 the applicant chose (在线获取 is delivered online).
function defaults(type: EventType, chosen: RequestDetailDto["delivery"]): Record<string, unknown> {
  switch (type) {
    case "startConsultation":
      return { party: "thirdParty" };
    case "extend":
      return { workingDays: 20 };
    case "feeNotice":
      return { method: "perRequest", delivery: "online" };
    case "deliver":
      return { method: chosen };
    case "endConsultation":
      return { result: "agreed" };
    default:
      return {};
  }
}

function dateLabel(type: EventType): string {
  if (type === "receiveCorrection") return "收到补正之日";
  if (type === "confirmReceipt") return "收到申请之日（双方确认之日）";
  if (type === "deliver") return "送达日期";
  if (type === "recordFeeDelivery") return "申请人签收日期（缴费期限自次日起计算20个工作日）";
  return "办理日期";
}

function fields(type: EventType, locked: boolean): ReactNode {
  switch (type) {
    case "returnDraft":
      return (
        <Form.Item label="退回理由（承办人员据此修改后重新拟办）" name="reason">
          <Input.TextArea rows={3} />
        </Form.Item>
      );
    case "approveDraft":
      return (
        <Form.Item label="审核意见" name="comment">
          <Input.TextArea rows={2} placeholder="例如：同意" />
        </Form.Item>
      );
    case "signOff":
      return (
        <Form.Item label="签发意见" name="comment">
          <Input.TextArea rows={2} placeholder="例如：同意签发" />
        </Form.Item>
      );
    case "requestCorrection":
      return (
        <>
          <Form.Item
            label="需要补正的事项（一次性告知，每行一项）"
            name="items"
            extra="应自收到申请之日起7个工作日内一次性告知；答复期限自收到补正后的申请之日起重新计算。"
          >
            <Input.TextArea rows={4} placeholder={"例如：请明确所需信息的时间范围\n请说明文件名称或文号"} />
          </Form.Item>
          <Form.Item label="补正期限" name="deadline" extra="无正当理由逾期不补正的，视为放弃申请。">
            <Input type="date" style={{ width: 200 }} />
          </Form.Item>
        </>
      );
    case "receiveCorrection":
      return (
        <>
          <Form.Item label="补正后的申请内容" name="description">
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item label="文号" name="documentNumber">
            <Input />
          </Form.Item>
        </>
      );
    case "startConsultation":
      return (
        <>
          <Form.Item label="征求意见对象" name="party">
            <Radio.Group
              options={[
                { value: "thirdParty", label: "第三方（《条例》第三十二条）" },
                { value: "otherAgency", label: "其他机关（《条例》第三十四条）" },
              ]}
            />
          </Form.Item>
          <Form.Item
            label="对象名称"
            name="name"
            extra="征求意见所需时间不计算在答复期限内；对方应在15个工作日内提出意见。"
          >
            <Input />
          </Form.Item>
        </>
      );
    case "endConsultation":
      return (
        <Form.Item label="征求意见结果" name="result">
          <Radio.Group
            options={consultationResults.map((value) => ({ value, label: consultationResultLabels[value] }))}
          />
        </Form.Item>
      );
    case "extend":
      return (
        <>
          <Form.Item label="延长的工作日数（最长20个工作日）" name="workingDays">
            <InputNumber min={1} max={20} precision={0} />
          </Form.Item>
          <Form.Item label="延期理由" name="reason">
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item label="批准人（政府信息公开工作机构负责人）" name="approver">
            <Input />
          </Form.Item>
        </>
      );
    case "delayDeadline":
      return (
        <>
          <Form.Item label="延迟答复期限（《条例》第三十五条）" name="deadline">
            <Input type="date" style={{ width: 200 }} />
          </Form.Item>
          <Form.Item label="延迟答复理由" name="reason">
            <Input.TextArea rows={2} />
          </Form.Item>
        </>
      );
    case "feeNotice":
      return (
        <>
          <Form.Item label="收费通知送达方式" name="delivery">
            <Radio.Group
              options={Object.entries(feeDeliveryLabels).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          <Form.Item label="计费方式（按件计收与按量计收不得同时适用）" name="method">
            <Radio.Group
              options={Object.entries(feeMethodLabels).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          <Form.Item noStyle shouldUpdate={(a, b) => a.method !== b.method}>
            {({ getFieldValue }) =>
              getFieldValue("method") === "byPages" ? (
                <Form.Item label="页数" name="pages">
                  <InputNumber min={1} precision={0} />
                </Form.Item>
              ) : (
                <Form.Item label="本申请为该申请人当月第几件申请" name="ordinalInMonth">
                  <InputNumber min={1} precision={0} />
                </Form.Item>
              )
            }
          </Form.Item>
        </>
      );
    case "feePaid":
      return (
        <Form.Item label="票据号" name="receiptNo">
          <Input />
        </Form.Item>
      );
    case "decide":
    case "draftDecision":
      return <OutcomeFields locked={locked} />;
    case "deliver":
      return (
        <>
          <Form.Item label="送达方式" name="method">
            <Select options={serviceMethods.map((value) => ({ value, label: serviceMethodLabels[value] }))} />
          </Form.Item>
          <Form.Item label="邮件单号" name="trackingNo">
            <Input />
          </Form.Item>
        </>
      );
    case "withdraw":
      return (
        <Form.Item label="撤回理由" name="reason">
          <Input.TextArea rows={2} />
        </Form.Item>
      );
    case "closeUnprocessed":
      return (
        <>
          <Form.Item label="不再处理的情形" name="outcome">
            <Select
              options={closeOutcomeKeys.map((key) => ({
                value: key,
                label: `${outcomes[key].label}　${outcomes[key].legalBasis}`,
              }))}
            />
          </Form.Item>
          <Form.Item label="不再处理的理由" name="reason">
            <Input.TextArea rows={2} />
          </Form.Item>
        </>
      );
    default:
      return null;
  }
}

/** The outcome picker grouped as table 三, its legal basis, the 文号 (unless shared) and the 说明. */
function OutcomeFields({ locked, withNumber = true }: { locked: boolean; withNumber?: boolean }) {
  return (
    <>
      <Form.Item
        label="办理结果（按年度报告表三分类）"
        name="outcome"
        extra={locked ? "办理结果由上方答复指引的回答确定；如需改变，请修改指引中的回答。" : undefined}
      >
        <Select
          disabled={locked}
          data-testid="outcome-select"
          showSearch
          optionFilterProp="label"
          placeholder="请选择办理结果"
          options={outcomeGroups
            .map((group) => ({
              label: group.label,
              options: group.keys
                .filter((key) => (replyOutcomeKeys as readonly string[]).includes(key))
                .map((key) => ({
                  value: key,
                  label: `${outcomes[key].label}　${outcomes[key].legalBasis}`,
                })),
            }))
            .filter((group) => group.options.length > 0)}
        />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a, b) => a.outcome !== b.outcome}>
        {({ getFieldValue }) => {
          const key = getFieldValue("outcome") as OutcomeKey | undefined;
          if (!key) return null;
          return (
            <Alert
              type="info"
              style={{ marginBottom: 12 }}
              message={`法律依据：${outcomes[key].legalBasis}`}
              description={outcomes[key].note}
            />
          );
        }}
      </Form.Item>
      <Row gutter={12}>
        {withNumber && (
          <Col span={8}>
            <Form.Item label="答复文号" name="documentNumber">
              <Input />
            </Form.Item>
          </Col>
        )}
        <Col span={withNumber ? 16 : 24}>
          <Form.Item label="说明（不属于本机关负责公开的，写明理由）" name="note">
            <Input />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}

/**
 * A reply's decision fields without the guide: the outcome, its ground and what the ground needs. One
 * application's part of a 合并答复 (whose 文号 is the letter's, entered once).
 */
export function DecisionFields(props: { request: RequestDetailDto; withNumber?: boolean }) {
  return (
    <>
      <OutcomeFields locked={false} withNumber={props.withNumber ?? true} />
      <GroundFields request={props.request} locked={false} />
    </>
  );
}

/** Where 36(一) information can be found, or who is responsible under 36(五): the ground's fields. */
function GroundFields({ request, locked }: { request: RequestDetailDto; locked: boolean }) {
  const form = Form.useFormInstance();
  const outcome = Form.useWatch("outcome", form) as OutcomeKey | undefined;
  const ground = Form.useWatch("ground", form) as string | undefined;
  const mode = Form.useWatch("responsibleAgency", form) as string | undefined;
  const [items, setItems] = useState<{ value: string; label: string }[]>([]);
  const [agencies, setAgencies] = useState<{ value: string; label: string }[]>([]);
  const agencyId = request.agency.id;
  useEffect(() => {
    if (ground !== "alreadyPublic") return;
    detailService.publishedItems(agencyId).then(
      (list) => setItems(list.map((i) => ({ value: i.id, label: `${i.indexNo} ${i.title}` }))),
      () => setItems([]),
    );
  }, [ground, agencyId]);
  useEffect(() => {
    if (mode !== "tree") return;
    detailService.agencies().then(
      (list) =>
        setAgencies(list.filter((a) => a.id !== agencyId).map((a) => ({ value: a.id, label: a.name }))),
      () => setAgencies([]),
    );
  }, [mode, agencyId]);
  const grounds =
    outcome === "granted"
      ? (["disclosable", "alreadyPublic"] as const)
      : outcome === "unable.notHeld"
        ? (["notExist", "notResponsible"] as const)
        : null;
  if (!grounds) return null;
  return (
    <>
      <Form.Item label="答复依据" name="ground">
        <Radio.Group
          disabled={locked}
          style={{ display: "flex", flexDirection: "column", gap: 4 }}
          options={grounds.map((g) => ({ value: g, label: decisionGroundLabels[g] }))}
        />
      </Form.Item>
      {ground === "alreadyPublic" && (
        <>
          <Form.Item
            label="政府信息公开目录条目"
            name="catalogueItemId"
            extra="在本机关目录中已公开的，关联该条目；不在目录中的，填写获取方式、途径。"
          >
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              placeholder="选择已公开的目录条目"
              options={items}
            />
          </Form.Item>
          <Form.Item label="获取方式、途径" name="location">
            <Input.TextArea rows={2} placeholder="例如：已刊登于《某市人民政府公报》2024年第3期" />
          </Form.Item>
        </>
      )}
      {ground === "notResponsible" && (
        <>
          <Form.Item label="负责公开该政府信息的行政机关" name="responsibleAgency">
            <Radio.Group
              options={[
                { value: "tree", label: "从机关树中选择" },
                { value: "typed", label: "填写名称和联系方式" },
                { value: "undetermined", label: "无法确定" },
              ]}
            />
          </Form.Item>
          {mode === "tree" && (
            <Form.Item label="行政机关" name="responsibleAgencyId">
              <Select showSearch optionFilterProp="label" placeholder="选择行政机关" options={agencies} />
            </Form.Item>
          )}
          {mode === "typed" && (
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item label="行政机关名称" name="responsibleAgencyName">
                  <Input />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item label="联系方式" name="responsibleAgencyContact">
                  <Input />
                </Form.Item>
              </Col>
            </Row>
          )}
        </>
      )}
    </>
  );
}

/**
 * The decision guide: the legal test asked in order (shared `walkGuide`); the answers set the
 * outcome and the ground and lock them, so a clerk who follows the guide cannot pick an outcome
 * that contradicts the answers.
 */
function DecisionGuide(props: { request: RequestDetailDto; onResult(guided: boolean): void }) {
  const { request, onResult } = props;
  const form = Form.useFormInstance();
  const [answers, setAnswers] = useState<Partial<Record<GuideQuestionKey, string>>>({});
  const corrected = request.timeline.some((entry) => entry.type === "receiveCorrection");
  const walk = walkGuide(answers, corrected);
  const outcomeKey = walk.result?.outcome;
  const groundKey = walk.result?.ground;
  useEffect(() => {
    onResult(outcomeKey !== undefined);
    if (outcomeKey) form.setFieldsValue({ outcome: outcomeKey, ground: groundKey });
  }, [outcomeKey, groundKey, form, onResult]);
  const result = walk.result;
  return (
    <Card
      size="small"
      title="答复指引（按《条例》规定的顺序逐项判断）"
      data-testid="decision-guide"
      style={{ marginBottom: 12 }}
      extra={
        Object.keys(answers).length > 0 && (
          <Button
            size="small"
            onClick={() => {
              setAnswers({});
              form.setFieldsValue({ outcome: undefined, ground: undefined });
            }}
          >
            重新作答
          </Button>
        )
      }
    >
      {walk.asked.map((key) => {
        const question = guideQuestions.find((q) => q.key === key);
        return (
          <Form.Item key={key} label={question?.title} style={{ marginBottom: 8 }}>
            <Radio.Group
              data-testid={`guide-${key}`}
              value={answers[key]}
              onChange={(e) => setAnswers({ ...answers, [key]: e.target.value as string })}
              style={{ display: "flex", flexDirection: "column", gap: 2 }}
              options={guideAnswers(key, corrected).map((a) => ({ value: a.key, label: a.label }))}
            />
          </Form.Item>
        );
      })}
      {walk.notReply && <Alert type="warning" showIcon message={walk.notReply} />}
      {result && (
        <Alert
          type="success"
          showIcon
          data-testid="guide-result"
          message={`办理结果：${outcomes[result.outcome].label}（${outcomes[result.outcome].legalBasis}）`}
          description={result.ground ? `答复依据：${decisionGroundLabels[result.ground]}` : undefined}
        />
      )}
    </Card>
  );
}

/** The draft under review (or the text signed off): its outcome and letter as the handler wrote them. */
function DraftCard({ request, signed = false }: { request: RequestDetailDto; signed?: boolean }) {
  const draft = lastDraft(request);
  if (!draft) return null;
  const letter = Array.isArray(draft.payload?.letter) ? (draft.payload.letter as unknown[]).map(String) : [];
  return (
    <Card
      size="small"
      data-testid="draft-card"
      title={
        signed
          ? "审核（签发）通过的答复告知书正文（将按此出具）"
          : `拟办意见（${draft.actorName}，${draft.date}）`
      }
      styles={{ body: { maxHeight: 320, overflow: "auto" } }}
    >
      <p>
        <b>{draft.summary}</b>
      </p>
      {letter.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs may repeat; their order is the key
        <p key={i} style={{ textIndent: "2em" }}>
          {p}
        </p>
      ))}
    </Card>
  );
}

function FeePreview({ form }: { form: ReturnType<typeof Form.useForm>[0] }) {
  return (
    <Form.Item noStyle shouldUpdate>
      {() => {
        const amount = feeAmount(
          form.getFieldsValue(true) as { method?: string; pages?: number; ordinalInMonth?: number },
        );
        return (
          <Alert
            type={amount > 0 ? "warning" : "info"}
            message={
              amount > 0 ? `应收信息处理费：${amount} 元` : "按标准不收费（免费额度内），无需发出收费通知"
            }
            description={`依据：${feeLegalBasis}。申请人应自收到收费通知次日起20个工作日内缴费，逾期未缴费的视为放弃申请。`}
          />
        );
      }}
    </Form.Item>
  );
}

/** A reply letter says "见附件": the server refuses delivery until the information is uploaded. */
function AttachmentWarning({ request }: { request: RequestDetailDto }) {
  const hasReply = request.documents.some((doc) => doc.kind === "reply");
  const hasAttachment = request.documents.some((doc) => doc.kind === "delivered" && doc.forApplicant);
  if (!hasReply || hasAttachment) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="attachment-warning"
      message="尚未上传送达申请人的附件"
      description="答复告知书写明“见附件”的，须先在“文书与文件”中上传所提供的政府信息，才能送达。"
    />
  );
}

/**
 * The reply exactly as it will be issued: the server builds it from the outcome and what the clerk
 * typed (文号, 说明, 答复依据) and lists the uploaded attachments; staff may edit the text before issuing.
 */
function LetterPreview(props: {
  requestId: string;
  outcome: OutcomeKey | undefined;
  edited: string[] | null;
  onEdit(paragraphs: string[] | null): void;
}) {
  const { requestId, outcome, edited, onEdit } = props;
  const form = Form.useFormInstance();
  const documentNumber = (Form.useWatch("documentNumber", form) as string | undefined) ?? "";
  const note = (Form.useWatch("note", form) as string | undefined) ?? "";
  const ground = Form.useWatch("ground", form) as DecisionGround | undefined;
  const [letter, setLetter] = useState<LetterModelDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (!outcome) return;
    let live = true;
    setError(null);
    // Typing in 说明 would otherwise ask for a new letter on every key.
    const timer = setTimeout(() => {
      detailService
        .previewLetter(requestId, "reply", {
          outcome,
          ...(documentNumber.trim() ? { documentNumber } : {}),
          ...(note.trim() ? { note } : {}),
          ...(ground ? { ground } : {}),
        })
        .then(
          (model) => live && setLetter(model),
          (caught: unknown) => live && setError(errorText(caught)),
        );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [requestId, outcome, documentNumber, note, ground]);
  if (!outcome) return <Typography.Text type="secondary">选择办理结果后显示答复告知书预览。</Typography.Text>;
  if (error) return <Alert type="error" message={error} />;
  if (!letter) return <Spin />;
  const paragraphs = edited ?? letter.paragraphs;
  return (
    <Card
      size="small"
      title="答复告知书预览（即出具的文书）"
      data-testid="letter-preview"
      extra={
        <Space>
          {edited && (
            <Button
              size="small"
              onClick={() => {
                onEdit(null);
                setEditing(false);
              }}
            >
              恢复自动生成的正文
            </Button>
          )}
          <Button size="small" onClick={() => setEditing(!editing)} data-testid="letter-edit">
            {editing ? "完成修改" : "修改正文"}
          </Button>
        </Space>
      }
      styles={{ body: { maxHeight: 360, overflow: "auto" } }}
    >
      <div style={{ textAlign: "center", color: "#b71c1c", fontSize: 18, fontWeight: 600 }}>
        {letter.letterhead.organ}
      </div>
      <Typography.Title level={5} style={{ textAlign: "center" }}>
        {letter.title}
      </Typography.Title>
      <div style={{ textAlign: "right" }} data-testid="letter-number">
        {letter.documentNumber}
      </div>
      <p>{letter.addressee}</p>
      {editing ? (
        <Input.TextArea
          aria-label="答复告知书正文（每行一段）"
          data-testid="letter-text"
          autoSize={{ minRows: 6, maxRows: 14 }}
          value={paragraphs.join("\n")}
          // Lines are kept as typed (a new empty line must survive); blank ones are dropped on issuing.
          onChange={(e) => onEdit(e.target.value.split("\n"))}
        />
      ) : (
        paragraphs
          .filter((p) => p.trim() !== "")
          .map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs may repeat; their order is the key
            <p key={i} style={{ textIndent: "2em" }}>
              {p}
            </p>
          ))
      )}
      <Space direction="vertical" style={{ width: "100%", textAlign: "right" }}>
        <span>{letter.issuer}</span>
        <span>{letter.date}</span>
      </Space>
    </Card>
  );
}
