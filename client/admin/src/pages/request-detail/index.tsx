/**
 * 申请详情: the application with its applicant (masked until 查看完整信息, which is audited), the
 * clock and its day-by-day explanation, the timeline, documents, notes and assignment, and one button
 * per event the server allows now.
 */

import { ArrowLeftOutlined, EyeOutlined, UploadOutlined } from "@ant-design/icons";
import { clockStatusLabels } from "@govinfo/shared/calendar/clock";
import { type EventType, eventLabels, internalEvents } from "@govinfo/shared/lifecycle/machine";
import type { RequestDetailDto, RevealedApplicantDto } from "@govinfo/shared/schemas/requestDto";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Collapse,
  Descriptions,
  Empty,
  Input,
  List,
  Modal,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
  Upload,
} from "antd";
import { useEffect, useState } from "react";
import { errorText, PageShell } from "../../components/PageShell.tsx";
import { StateTag } from "../../components/StateTag.tsx";
import { useAsync } from "../../hooks.ts";
import { useSession } from "../../session.tsx";
import { EventDialog } from "./EventDialog.tsx";
import { MergedReplyCard } from "./MergedReply.tsx";
import { RedactionDialog } from "./RedactionDialog.tsx";
import { detailService } from "./service.ts";
import { DuplicateCard, SupervisionCard, TransferSection } from "./WorkflowCards.tsx";

/** Buttons shown as the primary action, in this order of preference. */
const primaryEvents: EventType[] = [
  "signOff",
  "approveDraft",
  "decide",
  "draftDecision",
  "deliver",
  "confirmReceipt",
  "receiveCorrection",
];
const dangerEvents: EventType[] = ["withdraw", "closeUnprocessed", "returnDraft"];
/** Files the redaction tool opens: PDFs, and Word files the server converts to PDF first. */
const redactableTypes = new Set([
  "application/pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
]);

/** The detail page. */
export function RequestDetailPage({ id }: { id: string }) {
  const loaded = useAsync(() => detailService.load(id), [id]);
  const [request, setRequest] = useState<RequestDetailDto | undefined>(undefined);
  useEffect(() => setRequest(loaded.data), [loaded.data]);
  return (
    <PageShell loading={loaded.loading} error={loaded.error} data={request} onRetry={loaded.reload}>
      {(data) => <Detail request={data} onChange={setRequest} />}
    </PageShell>
  );
}

function Detail({ request, onChange }: { request: RequestDetailDto; onChange(r: RequestDetailDto): void }) {
  const [dialog, setDialog] = useState<EventType | null>(null);
  const primary = primaryEvents.find((e) => request.abilities.events.includes(e));
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button icon={<ArrowLeftOutlined />} href="#/requests">
          返回列表
        </Button>
      </Space>
      <Card
        title={
          <Space>
            <span>申请编号 {request.serialNo}</span>
            <StateTag state={request.state} />
            {request.extendedBadge && <Tag color="purple">{request.extendedBadge}</Tag>}
            {request.overdue && <Tag color="red">已超期</Tag>}
            {request.workflow && request.workflow.signOffStage !== "none" && (
              <Tag
                color={request.workflow.signOffStage === "returned" ? "orange" : "geekblue"}
                data-testid="signoff-stage"
              >
                {request.workflow.signOffStageLabel}
              </Tag>
            )}
          </Space>
        }
        extra={<Typography.Text type="secondary">{request.agency.name}</Typography.Text>}
      >
        <Space wrap data-testid="event-buttons">
          {request.abilities.events.length === 0 && (
            <Typography.Text type="secondary">当前没有可办理的环节</Typography.Text>
          )}
          {request.abilities.events.map((event) => (
            <Button
              key={event}
              type={event === primary ? "primary" : "default"}
              danger={dangerEvents.includes(event)}
              onClick={() => setDialog(event)}
            >
              {eventLabels[event]}
            </Button>
          ))}
        </Space>
        {request.outcomeLabel && (
          <Alert
            style={{ marginTop: 12 }}
            type="success"
            showIcon
            message={`办理结果：${request.outcomeLabel}`}
          />
        )}
        <TransferSection request={request} onChange={onChange} />
      </Card>
      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col xs={24} xl={14}>
          <ApplicantCard request={request} />
          <Card title="申请内容" size="small" style={{ marginTop: 16 }}>
            <Descriptions column={2} size="small">
              <Descriptions.Item label="所需信息" span={2}>
                {request.description}
              </Descriptions.Item>
              <Descriptions.Item label="文号">{request.documentNumber || "—"}</Descriptions.Item>
              <Descriptions.Item label="渠道">{request.channelLabel}</Descriptions.Item>
              <Descriptions.Item label="信息形式">{request.infoFormLabel}</Descriptions.Item>
              <Descriptions.Item label="获取方式">{request.deliveryLabel}</Descriptions.Item>
            </Descriptions>
          </Card>
          <ClockCard request={request} />
          <DocumentsCard request={request} onChange={onChange} />
        </Col>
        <Col xs={24} xl={10}>
          <Card title="办理过程" size="small">
            <Timeline
              items={request.timeline.map((entry) => ({
                color:
                  entry.actorKind === "applicant" ? "green" : entry.actorKind === "system" ? "gray" : "blue",
                children: (
                  <>
                    <b>{entry.label}</b>　<Typography.Text type="secondary">{entry.date}</Typography.Text>
                    <div>{entry.summary}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {entry.actorName}
                      {/* The office's internal routing is judged by who acted when (审核、签发 are signatures). */}
                      {internalEvents.includes(entry.type) &&
                        ` · ${new Date(entry.at).toLocaleString("zh-CN", { hour12: false })}`}
                    </Typography.Text>
                  </>
                ),
              }))}
            />
          </Card>
          <NotesCard request={request} onChange={onChange} />
          <SupervisionCard request={request} />
          <DuplicateCard request={request} onChange={onChange} />
          <MergedReplyCard request={request} onChange={onChange} />
        </Col>
      </Row>
      <EventDialog
        type={dialog}
        request={request}
        onClose={() => setDialog(null)}
        onDone={(updated) => {
          setDialog(null);
          onChange(updated);
        }}
      />
    </>
  );
}

function ApplicantCard({ request }: { request: RequestDetailDto }) {
  const [revealed, setRevealed] = useState<RevealedApplicantDto | null>(null);
  const { message } = App.useApp();
  const handleReveal = async () => {
    try {
      setRevealed(await detailService.reveal(request.id));
    } catch (error) {
      message.error(errorText(error));
    }
  };
  const a = request.applicant;
  return (
    <Card
      title="申请人"
      size="small"
      extra={
        request.abilities.canReveal &&
        !revealed && (
          <Button size="small" icon={<EyeOutlined />} onClick={handleReveal}>
            查看完整信息
          </Button>
        )
      }
    >
      <Descriptions column={2} size="small">
        <Descriptions.Item label="姓名或名称">{a.name}</Descriptions.Item>
        <Descriptions.Item label="申请人类型">{a.typeLabel}</Descriptions.Item>
        <Descriptions.Item label={a.idTypeLabel}>
          {revealed ? revealed.idNumber : a.idNumberMasked}
        </Descriptions.Item>
        <Descriptions.Item label="联系电话">{revealed ? revealed.phone : a.phoneMasked}</Descriptions.Item>
        {revealed && <Descriptions.Item label="通信地址">{revealed.address || "—"}</Descriptions.Item>}
        {request.email && (
          <Descriptions.Item label="电子邮箱">{revealed ? revealed.email : request.email}</Descriptions.Item>
        )}
        {request.contactPerson && (
          <Descriptions.Item label="联系人">{request.contactPerson}</Descriptions.Item>
        )}
      </Descriptions>
      {revealed && (
        <Typography.Text type="warning" style={{ fontSize: 12 }}>
          本次查看已记入审计日志。
        </Typography.Text>
      )}
    </Card>
  );
}

function ClockCard({ request }: { request: RequestDetailDto }) {
  const clock = request.clock;
  const statusText = clockStatusLabels[clock.status];
  return (
    <Card title="答复期限" size="small" style={{ marginTop: 16 }} extra={<Tag>{statusText}</Tag>}>
      <Descriptions column={3} size="small">
        <Descriptions.Item label="收到申请之日">{clock.receiptDate ?? "—"}</Descriptions.Item>
        <Descriptions.Item label="起算日">{clock.startDate ?? "—"}</Descriptions.Item>
        <Descriptions.Item label="答复期限">
          <b style={{ color: clock.overdue ? "#cf1322" : undefined }}>{clock.dueDate ?? "—"}</b>
        </Descriptions.Item>
        <Descriptions.Item label="期限">
          {clock.workingDaysLimit}个工作日
          {clock.extendedDays ? `（含延长${clock.extendedDays}个工作日）` : ""}
        </Descriptions.Item>
        <Descriptions.Item label="已用">{clock.workingDaysUsed}个工作日</Descriptions.Item>
        <Descriptions.Item label="剩余">{clock.workingDaysLeft}个工作日</Descriptions.Item>
        {clock.correctionNoticeDueDate && (
          <Descriptions.Item label="补正告知最迟">{clock.correctionNoticeDueDate}</Descriptions.Item>
        )}
        {clock.correctionDeadline && (
          <Descriptions.Item label="补正期限">{clock.correctionDeadline}</Descriptions.Item>
        )}
        {clock.feePaymentDueDate && (
          <Descriptions.Item label="缴费期限">{clock.feePaymentDueDate}</Descriptions.Item>
        )}
        {clock.consultationDueDate && (
          <Descriptions.Item label="征求意见期限">{clock.consultationDueDate}</Descriptions.Item>
        )}
      </Descriptions>
      {clock.warnings.map((w) => (
        <Alert key={w} type="warning" showIcon message={w} style={{ marginTop: 8 }} />
      ))}
      <Collapse
        size="small"
        style={{ marginTop: 8 }}
        items={[
          {
            key: "days",
            label: `逐日计算说明（${clock.explanation.length}天）`,
            children: (
              <Table
                size="small"
                rowKey="date"
                pagination={false}
                scroll={{ y: 260 }}
                dataSource={clock.explanation}
                columns={[
                  { title: "日期", dataIndex: "date", width: 110 },
                  {
                    title: "是否计入",
                    width: 90,
                    render: (_, day) =>
                      day.counted ? <Tag color="blue">第{day.dayNumber}日</Tag> : <Tag>不计入</Tag>,
                  },
                  { title: "说明", dataIndex: "reason" },
                ]}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}

function DocumentsCard({
  request,
  onChange,
}: {
  request: RequestDetailDto;
  onChange(r: RequestDetailDto): void;
}) {
  const { message } = App.useApp();
  const [uploading, setUploading] = useState(false);
  const [redacting, setRedacting] = useState<{ id: string; filename: string } | null>(null);
  const handleFile = async (file: File) => {
    setUploading(true);
    try {
      await detailService.uploadDelivered(request.id, file);
      message.success(`已上传：${file.name}`);
      onChange(await detailService.load(request.id));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setUploading(false);
    }
  };
  return (
    <Card
      title="文书与文件"
      size="small"
      style={{ marginTop: 16 }}
      extra={
        request.abilities.canUploadFiles && (
          <Upload
            showUploadList={false}
            beforeUpload={(file) => {
              void handleFile(file);
              return false;
            }}
          >
            <Button size="small" icon={<UploadOutlined />} loading={uploading}>
              上传送达文件
            </Button>
          </Upload>
        )
      }
    >
      {request.documents.length === 0 ? (
        <Empty description="尚未出具文书" image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <List
          size="small"
          dataSource={request.documents}
          renderItem={(doc) => (
            <List.Item
              actions={[
                <a
                  key="download"
                  href={detailService.documentUrl(request.id, doc.id)}
                  download={doc.filename}
                >
                  下载
                </a>,
                ...(redactableTypes.has(doc.contentType) && doc.kind !== "redacted"
                  ? [
                      <Button
                        key="redact"
                        type="link"
                        size="small"
                        onClick={() => setRedacting({ id: doc.id, filename: doc.filename })}
                      >
                        区分处理
                      </Button>,
                    ]
                  : []),
              ]}
            >
              <List.Item.Meta
                title={doc.title}
                description={`${doc.filename} · ${(doc.size / 1024).toFixed(1)} KB · ${doc.forApplicant ? "送达申请人" : "内部存档"}`}
              />
            </List.Item>
          )}
        />
      )}
      {redacting && (
        <RedactionDialog
          requestId={request.id}
          documentId={redacting.id}
          filename={redacting.filename}
          canEdit={request.abilities.canUploadFiles}
          onClose={() => setRedacting(null)}
          onApplied={async () => {
            setRedacting(null);
            onChange(await detailService.load(request.id));
          }}
        />
      )}
    </Card>
  );
}

function NotesCard({
  request,
  onChange,
}: {
  request: RequestDetailDto;
  onChange(r: RequestDetailDto): void;
}) {
  const { me } = useSession();
  const { message } = App.useApp();
  const [text, setText] = useState("");
  const [returning, setReturning] = useState(false);
  const [returnReason, setReturnReason] = useState("");
  const run = async (action: () => Promise<RequestDetailDto>) => {
    try {
      onChange(await action());
    } catch (error) {
      message.error(errorText(error));
    }
  };
  return (
    <Card title="承办与内部备注" size="small" style={{ marginTop: 16 }}>
      <Space wrap style={{ marginBottom: 12 }}>
        <span style={{ whiteSpace: "nowrap" }}>承办人：{request.assignee?.name ?? "未分配"}</span>
        {request.workflow?.assignmentLabel && (
          <Tag
            data-testid="assignment-status"
            color={
              request.workflow.assignment === "returned"
                ? "red"
                : request.workflow.assignment === "accepted"
                  ? "green"
                  : "gold"
            }
          >
            {request.workflow.assignmentLabel}
          </Tag>
        )}
        {request.abilities.canAnswerAssignment && (
          <>
            <Button
              size="small"
              type="primary"
              onClick={() => run(() => detailService.acceptAssignment(request.id))}
            >
              签收
            </Button>
            <Button size="small" danger onClick={() => setReturning(true)}>
              退回
            </Button>
          </>
        )}
        {request.abilities.canAssign && request.assignableStaff && (
          <Select
            size="small"
            aria-label="指派承办人"
            placeholder="指派承办人"
            style={{ width: 200 }}
            value={null}
            onChange={(assigneeId: string) => run(() => detailService.assign(request.id, assigneeId))}
            options={request.assignableStaff
              .filter((s) => s.id !== request.assignee?.id)
              .map((s) => ({ value: s.id, label: `${s.name}（${s.roleLabel}）` }))}
          />
        )}
        {request.abilities.canAssign && request.assignee?.id !== me.id && (
          <Button size="small" onClick={() => run(() => detailService.assign(request.id, me.id))}>
            由我承办
          </Button>
        )}
        {request.abilities.canAssign && request.assignee && (
          <Button size="small" onClick={() => run(() => detailService.assign(request.id, null))}>
            取消分配
          </Button>
        )}
      </Space>
      {request.workflow?.returned && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="assignment-returned"
          message={`${request.workflow.returned.byName}退回了分配，请重新指派承办人`}
          description={`退回理由：${request.workflow.returned.reason}`}
        />
      )}
      <Modal
        title="退回分配"
        open={returning}
        okText="退回"
        cancelText="取消"
        okButtonProps={{ disabled: !returnReason.trim() }}
        onCancel={() => setReturning(false)}
        onOk={() =>
          run(async () => {
            const updated = await detailService.returnAssignment(request.id, returnReason);
            setReturning(false);
            setReturnReason("");
            return updated;
          })
        }
        destroyOnHidden
      >
        <Input.TextArea
          aria-label="退回理由"
          rows={3}
          placeholder="请说明退回理由（例如：不属于本人承办范围）"
          value={returnReason}
          onChange={(e) => setReturnReason(e.target.value)}
        />
      </Modal>
      <List
        size="small"
        locale={{ emptyText: "暂无备注" }}
        dataSource={request.notes ?? []}
        renderItem={(note) => (
          <List.Item>
            <List.Item.Meta
              title={`${note.authorName} · ${new Date(note.at).toLocaleString("zh-CN", { hour12: false })}`}
              description={note.text}
            />
          </List.Item>
        )}
      />
      {request.abilities.canAddNote && (
        <Space.Compact style={{ width: "100%", marginTop: 8 }}>
          <Input
            placeholder="添加内部备注（申请人不可见）"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <Button
            disabled={!text.trim()}
            onClick={() =>
              run(async () => {
                const updated = await detailService.addNote(request.id, text);
                setText("");
                return updated;
              })
            }
          >
            添加
          </Button>
        </Space.Compact>
      )}
    </Card>
  );
}
