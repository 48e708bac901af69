/**
 * The office workflow around one application (issue 17): 转办 to the responsible agency of this
 * deployment with the applicant's consent and the links it leaves, the 督办单 on the application
 * (issued by a supervisor, answered by the agency), 催办 of the assignee, and the 重复申请 check —
 * the same applicant's earlier applications with a similarity score and the four-point checklist that
 * must be ticked before 不予处理-重复申请.
 */

import { grants } from "@govinfo/shared/access/capabilities";
import { requestsApi } from "@govinfo/shared/api/routes/requests";
import { supervisionsApi } from "@govinfo/shared/api/routes/supervisions";
import type { RequestDetailDto, RequestEventResultDto } from "@govinfo/shared/schemas/requestDto";
import { transferConsentLabels, transferConsentMethods } from "@govinfo/shared/schemas/requestEvent";
import type { SupervisionDto } from "@govinfo/shared/schemas/supervision";
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Select,
  Space,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { api } from "../../api.ts";
import { errorText } from "../../components/PageShell.tsx";
import { useAction } from "../../hooks/useAction.ts";
import { useAsync } from "../../hooks.ts";
import { useSession } from "../../session.tsx";
import { checklistPayload, DuplicateChecklist, isChecklistComplete } from "./DuplicateChecklist.tsx";
import { detailService } from "./service.ts";

const todayInChina = () =>
  new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date());

/** 转办 links and the 转办 button (a reply under 36(五) that hands the application on). */
export function TransferSection({
  request,
  onChange,
}: {
  request: RequestDetailDto;
  onChange(r: RequestDetailDto): void;
}) {
  const [open, setOpen] = useState(false);
  const from = request.transfers?.from;
  const to = request.transfers?.to;
  const canTransfer = request.abilities.events.includes("decide");
  return (
    <>
      {from && (
        <Alert
          style={{ marginTop: 12 }}
          type="info"
          showIcon
          data-testid="transfer-from"
          message={`转办申请：由${from.agencyName}转送（原申请编号 ${from.serialNo}，${from.stateLabel}），以收到转送之日为收到申请之日`}
        />
      )}
      {to && (
        <Alert
          style={{ marginTop: 12 }}
          type="info"
          showIcon
          data-testid="transfer-to"
          message={`已转办：经申请人同意，已转送${to.agencyName}办理（新申请编号 ${to.serialNo}，${to.stateLabel}）`}
        />
      )}
      {canTransfer && !to && (
        <Button style={{ marginTop: 12 }} onClick={() => setOpen(true)}>
          转办（非本机关负责公开）
        </Button>
      )}
      {open && (
        <TransferDialog
          request={request}
          onClose={() => setOpen(false)}
          onDone={(updated) => {
            setOpen(false);
            onChange(updated);
          }}
        />
      )}
    </>
  );
}

interface TransferForm {
  responsibleAgencyId: string;
  note: string;
  consentMethod: string;
  consentDate: string;
  documentNumber?: string;
}

function TransferDialog({
  request,
  onClose,
  onDone,
}: {
  request: RequestDetailDto;
  onClose(): void;
  onDone(r: RequestDetailDto): void;
}) {
  const [form] = Form.useForm<TransferForm>();
  const { busy: saving, run } = useAction();
  const agencies = useAsync(() => detailService.agencies(), []);
  const handleOk = async () => {
    const values = await form.validateFields();
    await run(
      async () => {
        const event = {
          type: "decide",
          date: todayInChina(),
          outcome: "unable.notHeld",
          ground: "notResponsible",
          responsibleAgencyId: values.responsibleAgencyId,
          note: values.note,
          ...(values.documentNumber ? { documentNumber: values.documentNumber } : {}),
          transfer: { consentMethod: values.consentMethod, consentDate: values.consentDate },
        };
        const result: RequestEventResultDto = await detailService.fire(request.id, event, request.version);
        return result.request;
      },
      "已转办：已告知申请人，并已转送负责公开的行政机关",
      onDone,
    );
  };
  return (
    <Modal
      open
      title="转办（《条例》第三十六条第（五）项）"
      okText="确定转办"
      onOk={handleOk}
      onCancel={onClose}
      confirmLoading={saving}
    >
      <Typography.Paragraph type="secondary">
        本机关告知申请人该政府信息不属于本机关负责公开（计入“本机关不掌握相关政府信息”），经申请人同意，将申请转送本平台内负责公开的行政机关，以其收到之日为收到申请之日。
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ consentDate: todayInChina(), consentMethod: "phone" }}
      >
        <Form.Item
          name="responsibleAgencyId"
          label="负责公开的行政机关"
          rules={[{ required: true, message: "请选择负责公开的行政机关" }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            placeholder="从本平台的机关中选择"
            loading={agencies.loading}
            options={(agencies.data ?? [])
              .filter((a) => a.id !== request.agency.id)
              .map((a) => ({ value: a.id, label: a.name }))}
          />
        </Form.Item>
        <Form.Item
          name="note"
          label="理由（写入告知书）"
          rules={[{ required: true, message: "请写明不属于本机关负责公开的理由" }]}
        >
          <Input.TextArea rows={2} />
        </Form.Item>
        <Space>
          <Form.Item
            name="consentMethod"
            label="申请人同意转送的方式"
            rules={[{ required: true, message: "请选择申请人同意转送的方式" }]}
          >
            <Select
              style={{ width: 160 }}
              options={transferConsentMethods.map((m) => ({ value: m, label: transferConsentLabels[m] }))}
            />
          </Form.Item>
          <Form.Item
            name="consentDate"
            label="同意日期"
            rules={[{ required: true, message: "请填写申请人同意转送的日期" }]}
          >
            <Input style={{ width: 160 }} placeholder="YYYY-MM-DD" />
          </Form.Item>
        </Space>
        <Form.Item name="documentNumber" label="告知书文号（可选）">
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The 督办单 on this application; a supervisor issues one, the agency answers; and 催办 of the assignee. */
export function SupervisionCard({ request }: { request: RequestDetailDto }) {
  const { access } = useSession();
  const { message } = App.useApp();
  const list = useAsync(
    () => api.call(supervisionsApi.list, { query: { requestId: request.id, limit: 50 } }),
    [request.id],
  );
  const [issuing, setIssuing] = useState(false);
  const [urging, setUrging] = useState(false);
  const [replying, setReplying] = useState<SupervisionDto | null>(null);
  const roles = access.agencies.find((a) => a.agencyId === request.agency.id)?.roles ?? [];
  const isSupervisor = grants(roles, "superviseAgencies");
  const canUrge = grants(roles, "urgeAssignee") && !!request.assignee && !request.outcome;
  const items = list.data?.items ?? [];
  return (
    <Card
      title="督办与催办"
      size="small"
      style={{ marginTop: 16 }}
      data-testid="supervision-card"
      extra={
        <Space>
          {canUrge && (
            <Button size="small" onClick={() => setUrging(true)}>
              催办承办人
            </Button>
          )}
          {isSupervisor && (
            <Button size="small" onClick={() => setIssuing(true)}>
              发出督办单
            </Button>
          )}
        </Space>
      }
    >
      <List
        size="small"
        locale={{ emptyText: "暂无督办单" }}
        dataSource={items}
        renderItem={(s) => (
          <List.Item
            actions={
              s.canReply
                ? [
                    <Button key="reply" type="link" size="small" onClick={() => setReplying(s)}>
                      反馈办理情况
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={
                <Space>
                  <Tag color={s.overdue ? "red" : s.status === "replied" ? "green" : "orange"}>
                    {s.statusLabel}
                  </Tag>
                  <span>
                    {s.issuerName} {s.issuedDate} 督办，限{s.workingDays}个工作日（{s.deadline}前）反馈
                  </span>
                </Space>
              }
              description={
                <>
                  <div>督办事由：{s.reason}</div>
                  {s.reply && (
                    <div>
                      办理情况（{s.reply.authorName}，{s.reply.date}）：{s.reply.text}
                    </div>
                  )}
                </>
              }
            />
          </List.Item>
        )}
      />
      <TextDialog
        open={issuing}
        title="发出督办单"
        fields={{ text: "督办事由", days: "办理期限（工作日）" }}
        onClose={() => setIssuing(false)}
        onSubmit={async ({ text, days }) => {
          await api.call(supervisionsApi.issue, {
            body: { requestId: request.id, reason: text, workingDays: days },
          });
          message.success("已发出督办单");
          list.reload();
        }}
      />
      <TextDialog
        open={urging}
        title={`催办承办人（${request.assignee?.name ?? ""}）`}
        fields={{ text: "催办内容" }}
        onClose={() => setUrging(false)}
        onSubmit={async ({ text }) => {
          await api.call(requestsApi.urge, { params: { id: request.id }, body: { text } });
          message.success("已催办：站内提醒已送达，短信和微信将在本机关免打扰时段外发送");
        }}
      />
      <TextDialog
        open={replying !== null}
        title="反馈办理情况"
        fields={{ text: "办理情况" }}
        onClose={() => setReplying(null)}
        onSubmit={async ({ text }) => {
          if (replying)
            await api.call(supervisionsApi.reply, { params: { id: replying.id }, body: { reply: text } });
          message.success("已反馈办理情况");
          list.reload();
        }}
      />
    </Card>
  );
}

function TextDialog({
  open,
  title,
  fields,
  onClose,
  onSubmit,
}: {
  open: boolean;
  title: string;
  fields: { text: string; days?: string };
  onClose(): void;
  onSubmit(values: { text: string; days: number }): Promise<void>;
}) {
  const { message } = App.useApp();
  const [text, setText] = useState("");
  const [days, setDays] = useState<number>(5);
  const [saving, setSaving] = useState(false);
  return (
    <Modal
      open={open}
      title={title}
      confirmLoading={saving}
      onCancel={onClose}
      onOk={async () => {
        setSaving(true);
        try {
          await onSubmit({ text, days });
          setText("");
          onClose();
        } catch (error) {
          message.error(errorText(error));
        } finally {
          setSaving(false);
        }
      }}
    >
      <Form layout="vertical">
        <Form.Item label={fields.text}>
          <Input.TextArea
            aria-label={fields.text}
            rows={3}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </Form.Item>
        {fields.days && (
          <Form.Item label={fields.days}>
            <InputNumber
              aria-label={fields.days}
              min={1}
              max={60}
              value={days}
              onChange={(v) => setDays(Number(v ?? 1))}
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** 重复申请: earlier applications of the same applicant, and the checklist before 不予处理-重复申请. */
export function DuplicateCard({
  request,
  onChange,
}: {
  request: RequestDetailDto;
  onChange(r: RequestDetailDto): void;
}) {
  const { message } = App.useApp();
  const similar = useAsync(() => api.call(requestsApi.similar, { params: { id: request.id } }), [request.id]);
  const [ticked, setTicked] = useState<string[]>([]);
  const [picked, setPicked] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const rows = similar.data ?? [];
  const canDecide = request.abilities.events.includes("decide");
  const complete = isChecklistComplete(ticked);
  const handleDecide = async () => {
    setSaving(true);
    try {
      const result = await detailService.fire(
        request.id,
        {
          type: "decide",
          date: todayInChina(),
          outcome: "notProcessed.duplicate",
          duplicateChecklist: checklistPayload(ticked),
          duplicateOf: picked,
        },
        request.version,
      );
      message.success("已作出答复：不予重复处理");
      onChange(result.request);
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  };
  if (rows.length === 0 && !similar.loading) return null;
  return (
    <Card
      title="同一申请人此前的申请（重复申请核对）"
      size="small"
      style={{ marginTop: 16 }}
      data-testid="duplicate-card"
    >
      <List
        size="small"
        loading={similar.loading}
        dataSource={rows}
        renderItem={(row) => (
          <List.Item>
            <Space align="start">
              {canDecide && (
                <Checkbox
                  aria-label={`被重复的申请 ${row.serialNo}`}
                  disabled={!row.answered}
                  checked={picked.includes(row.id)}
                  onChange={(e) =>
                    setPicked(e.target.checked ? [...picked, row.id] : picked.filter((id) => id !== row.id))
                  }
                />
              )}
              <div>
                <Space wrap>
                  <a href={`#/requests/${row.id}`}>{row.serialNo}</a>
                  <Tag color={row.likelyDuplicate ? "red" : row.similarity >= 30 ? "orange" : "default"}>
                    相似度 {row.similarity}%
                  </Tag>
                  <Tag>{row.answered ? `已答复：${row.outcomeLabel ?? ""}` : row.stateLabel}</Tag>
                  <Typography.Text type="secondary">{row.receiptDate ?? ""}</Typography.Text>
                </Space>
                <div>{row.description}</div>
              </div>
            </Space>
          </List.Item>
        )}
      />
      {canDecide && (
        <>
          <DuplicateChecklist value={ticked} onChange={setTicked} />
          <div style={{ marginTop: 8 }}>
            <Button
              danger
              disabled={!complete || picked.length === 0}
              loading={saving}
              onClick={handleDecide}
            >
              不予处理（重复申请）
            </Button>
          </div>
        </>
      )}
    </Card>
  );
}
