/**
 * 合并答复 on an application's page: the same applicant's other applications at this agency that
 * are still open can be picked and answered with this one by one 答复告知书. Each application gets
 * its own decision (outcome, ground, 说明) and is counted under its own outcome; the letter lists each
 * application's 编号 and its answer. Once answered, each application's page names the others.
 */
import { requestsApi } from "@govinfo/shared/api/routes/requests";
import type { MergeCandidateDto, MergedReplyInput } from "@govinfo/shared/schemas/mergedReply";
import type { RequestDetailDto } from "@govinfo/shared/schemas/requestDto";
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  type FormInstance,
  Input,
  List,
  Modal,
  Row,
  Space,
  Typography,
} from "antd";
import { useRef, useState } from "react";
import { api } from "../../api.ts";
import { useSubmit } from "../../hooks/useSubmit.ts";
import { todayInChina, useAsync } from "../../hooks.ts";
import { DecisionFields } from "./EventDialog.tsx";
import { buildEvent } from "./eventForm.ts";
import { detailService } from "./service.ts";

/** One application of the reply: its 编号, content and the version staff saw. */
interface Part {
  id: string;
  serialNo: string;
  description: string;
  version: number;
}

/** The applications this one was answered together with, from its reply on the timeline. */
export function mergedSerials(request: RequestDetailDto): string[] {
  const reply = request.timeline.findLast((entry) => entry.type === "decide");
  const merged = reply?.payload?.mergedRequests;
  return Array.isArray(merged) ? merged.map((m) => String((m as { serialNo?: unknown }).serialNo ?? "")) : [];
}

/** The card: who was answered together, or which open applications may be. */
export function MergedReplyCard({
  request,
  onChange,
}: {
  request: RequestDetailDto;
  onChange(r: RequestDetailDto): void;
}) {
  const canDecide = request.abilities.events.includes("decide");
  const candidates = useAsync(
    () =>
      canDecide
        ? api.call(requestsApi.mergeable, { params: { id: request.id } })
        : Promise.resolve([] as MergeCandidateDto[]),
    [request.id, request.version, canDecide],
  );
  const [picked, setPicked] = useState<string[]>([]);
  const [open, setOpen] = useState(false);
  const together = mergedSerials(request);
  if (together.length > 0) {
    return (
      <Card title="合并答复" size="small" style={{ marginTop: 16 }}>
        <Typography.Text data-testid="merged-with">
          本申请与{together.join("、")}由同一份答复告知书合并答复，各申请分别记录办理结果。
          {/* The one letter is issued from the page the reply was made on. */}
          {!request.documents.some((doc) => doc.kind === "reply") && "答复告知书在合并答复的申请中出具。"}
        </Typography.Text>
      </Card>
    );
  }
  const rows = candidates.data ?? [];
  if (!canDecide || rows.length === 0) return null;
  const parts: Part[] = [
    {
      id: request.id,
      serialNo: request.serialNo,
      description: request.description,
      version: request.version,
    },
    ...rows.filter((row) => picked.includes(row.id)),
  ];
  return (
    <Card
      title="合并答复（同一申请人尚未答复的其他申请）"
      size="small"
      style={{ marginTop: 16 }}
      data-testid="merge-card"
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
        选择与本申请一并答复的申请，以一份答复告知书逐件答复；各申请分别作出办理结果，分别计入年度报告。
      </Typography.Paragraph>
      <List
        size="small"
        loading={candidates.loading}
        dataSource={rows}
        renderItem={(row) => (
          <List.Item>
            <Space align="start">
              <Checkbox
                aria-label={`合并答复 ${row.serialNo}`}
                checked={picked.includes(row.id)}
                onChange={(e) =>
                  setPicked(e.target.checked ? [...picked, row.id] : picked.filter((id) => id !== row.id))
                }
              />
              <div>
                <Space wrap>
                  <a href={`#/requests/${row.id}`}>{row.serialNo}</a>
                  <Typography.Text type="secondary">
                    {row.stateLabel} {row.receiptDate ?? ""}
                  </Typography.Text>
                </Space>
                <div>{row.description}</div>
              </div>
            </Space>
          </List.Item>
        )}
      />
      <Button type="primary" disabled={picked.length === 0} onClick={() => setOpen(true)}>
        合并答复（共{picked.length + 1}件）
      </Button>
      {open && (
        <MergedReplyDialog
          request={request}
          parts={parts}
          onClose={() => setOpen(false)}
          onDone={(updated) => {
            setOpen(false);
            setPicked([]);
            onChange(updated);
          }}
        />
      )}
    </Card>
  );
}

/** The dialog: the date and 文号 of the one letter, and each application's own decision. */
function MergedReplyDialog(props: {
  request: RequestDetailDto;
  parts: Part[];
  onClose(): void;
  onDone(updated: RequestDetailDto): void;
}) {
  const { request, parts } = props;
  const { message } = App.useApp();
  const [common] = Form.useForm();
  const forms = useRef(new Map<string, FormInstance>());
  const { busy, error, setError, submit } = useSubmit();
  const [issueLetter, setIssueLetter] = useState(true);

  const handleOk = async () => {
    const { date, documentNumber } = common.getFieldsValue(true) as {
      date?: string;
      documentNumber?: string;
    };
    const replies: { requestId: string; expectedVersion: number; decision: Record<string, unknown> }[] = [];
    const problems: string[] = [];
    for (const part of parts) {
      const form = forms.current.get(part.id);
      if (!form) continue;
      const built = buildEvent("decide", { date, ...(form.getFieldsValue(true) as object) });
      if (!built.ok) {
        form.setFields(built.problems.map((p) => ({ name: p.path.split("."), errors: [p.message] })));
        problems.push(`申请编号${part.serialNo}：${built.problems.map((p) => p.message).join("；")}`);
        continue;
      }
      const { type: _type, date: _date, ...decision } = built.event;
      replies.push({ requestId: part.id, expectedVersion: part.version, decision });
    }
    if (problems.length > 0) {
      setError(problems.join("；"));
      return;
    }
    await submit(async () => {
      await api.call(requestsApi.mergedReply, {
        params: { id: request.id },
        // Each decision was checked by `buildEvent` with the shared schema; the server checks them again.
        body: {
          date,
          ...(documentNumber?.trim() ? { documentNumber: documentNumber.trim() } : {}),
          replies,
        } as MergedReplyInput,
      });
      if (issueLetter) await detailService.issueLetter(request.id, "reply", {});
      message.success(`已合并答复${parts.length}件申请`);
      props.onDone(await detailService.load(request.id));
    });
  };

  return (
    <Modal
      open
      title={`合并答复（共${parts.length}件申请）`}
      okText="确定"
      cancelText="取消"
      onOk={handleOk}
      onCancel={props.onClose}
      confirmLoading={busy}
      width={900}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={common} name="merge-common" layout="vertical" initialValues={{ date: todayInChina() }}>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item label="办理日期" name="date">
              <Input type="date" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item label="答复文号（一份答复告知书）" name="documentNumber">
              <Input />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {parts.map((part) => (
        <PartCard
          key={part.id}
          part={part}
          request={request}
          register={(form) => forms.current.set(part.id, form)}
        />
      ))}
      <Checkbox checked={issueLetter} onChange={(e) => setIssueLetter(e.target.checked)}>
        同时出具《政府信息公开申请答复告知书》（一份，逐件列明各申请的编号及答复）
      </Checkbox>
    </Modal>
  );
}

/** One application's decision, in its own form. */
function PartCard(props: { part: Part; request: RequestDetailDto; register(form: FormInstance): void }) {
  const [form] = Form.useForm();
  props.register(form);
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      title={`申请编号 ${props.part.serialNo}`}
      data-testid={`merge-part-${props.part.serialNo}`}
    >
      <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }}>
        {props.part.description}
      </Typography.Paragraph>
      <Form
        form={form}
        // A name per application keeps the fields' ids (and so their labels) apart.
        name={`merge-${props.part.id}`}
        layout="vertical"
        onValuesChange={(changed: Record<string, unknown>) =>
          form.setFields(Object.keys(changed).map((name) => ({ name, errors: [] })))
        }
      >
        <DecisionFields request={props.request} withNumber={false} />
      </Form>
    </Card>
  );
}
