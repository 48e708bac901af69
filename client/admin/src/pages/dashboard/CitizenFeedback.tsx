/**
 * What citizens tell the agency besides their applications (issue 18), on the dashboards: 先查再申
 * (applications saved because the citizen found the information published), 满意度评价 with the 回访
 * tasks of low ratings, and 纳入主动公开 proposals (《条例》第四十四条). Never part of the annual report.
 */
import { catalogueApi } from "@govinfo/shared/api/routes/catalogue";
import { feedbackApi } from "@govinfo/shared/api/routes/feedback";
import { publicationProposalsApi } from "@govinfo/shared/api/routes/publicationProposals";
import type { AgencyFeedbackDto, FollowUpDto } from "@govinfo/shared/schemas/feedback";
import {
  App,
  Button,
  Card,
  Col,
  Input,
  List,
  Modal,
  Row,
  Select,
  Statistic,
  Table,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { api } from "../../api.ts";
import { errorText, PageShell } from "../../components/PageShell.tsx";
import { useAction } from "../../hooks/useAction.ts";
import { useAsync } from "../../hooks.ts";

/** The agency's ratings, 回访 tasks and applications saved; the admin records 回访 results here. */
export function AgencyFeedbackCard(props: { agencyId: string; canFollowUp: boolean }) {
  const state = useAsync(
    () => api.call(feedbackApi.dashboard, { query: { agencyId: props.agencyId } }),
    [props.agencyId],
  );
  const [editing, setEditing] = useState<FollowUpDto | null>(null);
  return (
    <Card title="满意度评价与回访" size="small" style={{ marginTop: 16 }} data-testid="feedback-card">
      <PageShell {...state} onRetry={state.reload}>
        {(data) =>
          data ? (
            <>
              <Row gutter={[16, 8]}>
                <Col xs={12} md={6}>
                  <Statistic
                    title="平均满意度"
                    value={data.ratings.average ?? "—"}
                    suffix={data.ratings.average === null ? "" : "/ 5"}
                  />
                </Col>
                <Col xs={12} md={6}>
                  <Statistic title="评价件数" value={data.ratings.count} suffix="件" />
                </Col>
                <Col xs={12} md={6}>
                  <Statistic
                    title="待回访（其中超期）"
                    value={`${data.followUps.open}（${data.followUps.overdue}）`}
                    valueStyle={data.followUps.overdue > 0 ? { color: "#cf1322" } : undefined}
                  />
                </Col>
                <Col xs={12} md={6}>
                  <Statistic
                    title="先查再申节省的申请"
                    value={data.savedApplications}
                    suffix="件"
                    data-testid="saved-applications"
                  />
                </Col>
              </Row>
              <Table<FollowUpDto>
                style={{ marginTop: 12 }}
                size="small"
                rowKey="id"
                pagination={{ pageSize: 5, hideOnSinglePage: true }}
                dataSource={data.items}
                locale={{ emptyText: "暂无需要回访的低分评价" }}
                columns={[
                  { title: "申请编号", dataIndex: "serialNo" },
                  { title: "评分", render: (_, row) => `${row.score}星` },
                  { title: "评价意见", dataIndex: "comment" },
                  {
                    title: "回访期限",
                    render: (_, row) =>
                      row.status === "done" ? (
                        <Tag color="green">已回访（{row.doneOn}）</Tag>
                      ) : (
                        <Tag color={row.overdue ? "red" : "orange"}>
                          {row.overdue ? "已超期" : "待回访"}，{row.dueDate}前
                        </Tag>
                      ),
                  },
                  {
                    title: "回访结果",
                    render: (_, row) =>
                      row.status === "done" ? (
                        row.result
                      ) : props.canFollowUp ? (
                        <Button size="small" onClick={() => setEditing(row)}>
                          登记回访结果
                        </Button>
                      ) : (
                        <Typography.Text type="secondary">由机关管理员回访</Typography.Text>
                      ),
                  },
                ]}
              />
              <FollowUpDialog
                task={editing}
                onClose={() => setEditing(null)}
                onDone={() => {
                  setEditing(null);
                  state.reload();
                }}
              />
            </>
          ) : null
        }
      </PageShell>
    </Card>
  );
}

function FollowUpDialog(props: { task: FollowUpDto | null; onClose: () => void; onDone: () => void }) {
  const [result, setResult] = useState("");
  const { busy, run } = useAction();
  const handleOk = async () => {
    const task = props.task;
    if (!task) return;
    await run(
      () => api.call(feedbackApi.followUp, { params: { id: task.id }, body: { result } }),
      "回访结果已登记",
      () => {
        setResult("");
        props.onDone();
      },
    );
  };
  return (
    <Modal
      open={props.task !== null}
      title={`登记回访结果（${props.task?.serialNo ?? ""}）`}
      okText="登记"
      cancelText="取消"
      confirmLoading={busy}
      onOk={handleOk}
      onCancel={props.onClose}
    >
      <Typography.Paragraph type="secondary">
        申请人评价：{props.task?.score}星 {props.task?.comment}
      </Typography.Paragraph>
      <Input.TextArea
        aria-label="回访结果"
        rows={4}
        maxLength={1000}
        value={result}
        onChange={(e) => setResult(e.target.value)}
      />
    </Modal>
  );
}

/** 纳入主动公开: similar applications the platform proposes, and the proposals staff confirmed. */
export function ProposalsCard(props: { agencyId: string; canEdit: boolean }) {
  const { message } = App.useApp();
  const state = useAsync(
    () => api.call(publicationProposalsApi.board, { query: { agencyId: props.agencyId } }),
    [props.agencyId],
  );
  const items = useAsync(
    () =>
      props.canEdit
        ? api.call(catalogueApi.manageItems, {
            query: { agencyId: props.agencyId, status: "published", limit: 100 },
          })
        : Promise.resolve({ items: [], nextCursor: null }),
    [props.agencyId, props.canEdit],
  );
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const run = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      message.success(done);
      state.reload();
    } catch (error) {
      message.error(errorText(error));
    }
  };
  return (
    <Card
      title="纳入主动公开建议（《条例》第四十四条）"
      size="small"
      style={{ marginTop: 16 }}
      data-testid="proposals-card"
    >
      <PageShell {...state} onRetry={state.reload}>
        {(board) => (
          <>
            <Typography.Paragraph type="secondary">
              多个申请人就相同政府信息向本机关提出公开申请，且该政府信息属于可以公开的，可以纳入主动公开的范围。
            </Typography.Paragraph>
            <List
              size="small"
              header={<b>平台发现的相同申请（{board.candidates.length}组）</b>}
              dataSource={board.candidates}
              locale={{ emptyText: "暂无多人申请相同信息的情况" }}
              renderItem={(candidate) => (
                <List.Item
                  actions={
                    props.canEdit
                      ? [
                          <Button
                            key="confirm"
                            size="small"
                            onClick={() =>
                              run(
                                () =>
                                  api.call(publicationProposalsApi.create, {
                                    body: {
                                      agencyId: props.agencyId,
                                      requestIds: candidate.requests.map((r) => r.id),
                                      title: candidate.title,
                                    },
                                  }),
                                "已确认，建议纳入主动公开",
                              )
                            }
                          >
                            确认相同，建议公开
                          </Button>,
                        ]
                      : []
                  }
                >
                  <List.Item.Meta
                    title={candidate.title}
                    description={`${candidate.applicants}位申请人：${candidate.requests.map((r) => r.serialNo).join("、")}（相似度${Math.round(candidate.similarity * 100)}%）`}
                  />
                </List.Item>
              )}
            />
            <List
              size="small"
              header={<b>已确认的建议（{board.proposals.length}项）</b>}
              dataSource={board.proposals}
              locale={{ emptyText: "暂无已确认的建议" }}
              renderItem={(proposal) => (
                <List.Item
                  actions={
                    proposal.status === "proposed" && props.canEdit
                      ? [
                          <Select
                            key="item"
                            size="small"
                            style={{ width: 220 }}
                            placeholder="选择已发布的目录信息"
                            aria-label="选择已发布的目录信息"
                            value={chosen[proposal.id]}
                            onChange={(value: string) =>
                              setChosen((old) => ({ ...old, [proposal.id]: value }))
                            }
                            options={(items.data?.items ?? []).map((item) => ({
                              value: item.id,
                              label: item.title,
                            }))}
                          />,
                          <Button
                            key="publish"
                            size="small"
                            type="primary"
                            disabled={!chosen[proposal.id]}
                            onClick={() =>
                              run(
                                () =>
                                  api.call(publicationProposalsApi.publish, {
                                    params: { id: proposal.id },
                                    body: { itemId: chosen[proposal.id] ?? "" },
                                  }),
                                "已关联已公开的信息",
                              )
                            }
                          >
                            关联并链接申请
                          </Button>,
                        ]
                      : []
                  }
                >
                  <List.Item.Meta
                    title={
                      <span>
                        {proposal.title}{" "}
                        {proposal.status === "published" ? (
                          <Tag color="green">已公开：{proposal.itemTitle}</Tag>
                        ) : (
                          <Tag color="orange">待公开</Tag>
                        )}
                      </span>
                    }
                    description={`涉及申请${proposal.requestIds.length}件，${proposal.proposedOn}确认`}
                  />
                </List.Item>
              )}
            />
          </>
        )}
      </PageShell>
    </Card>
  );
}

/** The supervisor summary: per agency, applications saved, ratings and 回访. */
export function FeedbackSummaryCard() {
  const state = useAsync(() => api.call(feedbackApi.summary), []);
  return (
    <Card
      title="满意度、回访与先查再申"
      size="small"
      style={{ marginTop: 16 }}
      data-testid="feedback-summary"
    >
      <PageShell {...state} onRetry={state.reload}>
        {(rows) => (
          // A list, not a second table: the overview's table stays the one table of the page.
          <List<AgencyFeedbackDto>
            size="small"
            dataSource={rows}
            locale={{ emptyText: "暂无数据" }}
            renderItem={(row) => (
              <List.Item data-testid="feedback-summary-row">
                <List.Item.Meta
                  title={row.agencyName}
                  description={
                    <span>
                      先查再申节省的申请{row.savedApplications}件；评价{row.ratings.count}件，平均满意度
                      {row.ratings.average === null ? "—" : `${row.ratings.average} / 5`}；待回访
                      {row.followUps.open}件
                      {row.followUps.overdue > 0 ? (
                        <Tag color="red">超期{row.followUps.overdue}件</Tag>
                      ) : null}
                      ，已回访{row.followUps.done}件
                    </span>
                  }
                />
              </List.Item>
            )}
          />
        )}
      </PageShell>
    </Card>
  );
}
