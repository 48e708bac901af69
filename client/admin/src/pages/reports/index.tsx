/**
 * 年度报告: generate or refresh the draft, see the checks, click a number of table 三 to see the
 * applications behind it, fill sections 五 and 六, preview the HTML, download DOCX/XLSX, publish and
 * revise with a reason; supervisors see the summary of the agencies below them.
 */

import { DownloadOutlined, ReloadOutlined } from "@ant-design/icons";
import { reportStatusLabels } from "@govinfo/shared/schemas/report";
import { applicantColumns } from "@govinfo/shared/stats/keys";
import { table2BlocksOf, table3RowsOf } from "@govinfo/shared/stats/report";
import {
  Alert,
  Button,
  Card,
  Empty,
  Input,
  InputNumber,
  List,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { ApiError } from "../../api.ts";
import { PageShell } from "../../components/PageShell.tsx";
import { useAction } from "../../hooks/useAction.ts";
import { navigate, todayInChina, useAsync } from "../../hooks.ts";
import { useSession } from "../../session.tsx";
import { type ProvenanceDto, type ReportDto, reportService } from "./service.ts";

/** The report page. */
export function ReportsPage({ year: yearParam }: { year?: string }) {
  const { agencyId, access } = useSession();
  const thisYear = Number(todayInChina().slice(0, 4));
  const year = Number(yearParam) || thisYear;
  const report = useAsync(async () => {
    try {
      return await reportService.load(agencyId, year);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }, [agencyId, year]);
  const { busy, run } = useAction(report.reload);
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 12 }}>
        <Space>
          <Typography.Title level={4} style={{ margin: 0 }}>
            政府信息公开工作年度报告
          </Typography.Title>
          <Select
            value={year}
            style={{ width: 110 }}
            onChange={(y: number) => navigate(`/reports?year=${y}`)}
            options={[thisYear, thisYear - 1, thisYear - 2, thisYear - 3].map((y) => ({
              value: y,
              label: `${y}年度`,
            }))}
          />
        </Space>
        {access.canWriteReports && (
          <Button
            icon={<ReloadOutlined />}
            loading={busy}
            onClick={() => run(() => reportService.draft(agencyId, year), "草稿已生成")}
          >
            {report.data ? "刷新草稿" : "生成草稿"}
          </Button>
        )}
      </Space>
      <PageShell {...report} onRetry={report.reload}>
        {(data) =>
          data ? (
            <ReportView
              key={`${data.generatedAt}-${data.status}`}
              report={data}
              year={year}
              busy={busy}
              run={run}
            />
          ) : (
            <Card>
              <Empty description={`${year}年度报告尚未生成，点击“生成草稿”从办理数据自动统计。`} />
            </Card>
          )
        }
      </PageShell>
      {access.canReadSummary && <SummaryCard key={report.data?.generatedAt ?? "none"} year={year} />}
    </>
  );
}

function ReportView(props: {
  report: ReportDto;
  year: number;
  busy: boolean;
  run(a: () => Promise<unknown>, done: string): void;
}) {
  const { report, year, run } = props;
  const { agencyId, access } = useSession();
  const [cell, setCell] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [overview, setOverview] = useState<Record<string, string>>(() =>
    Object.fromEntries(report.sections.overview.map((p) => [p.key, p.text])),
  );
  const [problems, setProblems] = useState((report.sections.problems ?? []).map((p) => p.text).join("\n\n"));
  const [other, setOther] = useState((report.sections.other ?? []).map((p) => p.text).join("\n\n"));
  const failing = report.checks.filter((c) => !c.ok);
  const rows = table3RowsOf(report.formatVersion).map((row) => ({
    ...row,
    cells: report.tables.three.rows[row.key],
  }));
  const split = (text: string) =>
    text
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean);
  return (
    <>
      <Card size="small">
        <Space wrap>
          <Tag color={report.status === "published" ? "green" : "blue"}>
            {reportStatusLabels[report.status]}
          </Tag>
          <span>{report.formatVersion}年版格式</span>
          {report.revisions.length > 0 && <span>已发布{report.revisions.length}个版本</span>}
          <Button href={reportService.exportUrl(agencyId, year, "html")} target="_blank">
            预览
          </Button>
          <Button
            icon={<DownloadOutlined />}
            href={reportService.exportUrl(agencyId, year, "docx")}
            data-testid="download-docx"
          >
            下载 DOCX
          </Button>
          <Button icon={<DownloadOutlined />} href={reportService.exportUrl(agencyId, year, "xlsx")}>
            下载 XLSX
          </Button>
          {access.canPublishReports && report.status !== "published" && (
            <Button
              type="primary"
              disabled={!report.publishable}
              loading={props.busy}
              onClick={() => run(() => reportService.publish(agencyId, year), "年度报告已发布")}
            >
              发布
            </Button>
          )}
          {access.canPublishReports && report.status === "published" && (
            <Space.Compact>
              <Input
                placeholder="更正理由"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                style={{ width: 220 }}
              />
              <Button
                onClick={() => run(() => reportService.revise(agencyId, year, reason), "已转为更正草稿")}
              >
                更正
              </Button>
            </Space.Compact>
          )}
        </Space>
      </Card>
      <Card
        size="small"
        title={`校验（${failing.length === 0 ? "全部通过" : `${failing.length}项未通过`}）`}
        style={{ marginTop: 16 }}
      >
        {failing.length === 0 ? (
          <Alert
            type="success"
            showIcon
            message="表格之间的勾稽关系全部通过校验，可以发布。"
            data-testid="checks-ok"
          />
        ) : (
          <List
            size="small"
            dataSource={failing}
            renderItem={(c) => (
              <List.Item>
                <Tag color={c.severity === "hard" ? "red" : "orange"}>
                  {c.severity === "hard" ? "必须通过" : "提示"}
                </Tag>
                {c.message}
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card
        size="small"
        title="三、收到和处理政府信息公开申请情况（点击数字查看对应的申请）"
        style={{ marginTop: 16 }}
      >
        <Table
          size="small"
          rowKey="key"
          pagination={false}
          bordered
          dataSource={rows}
          scroll={{ x: 900 }}
          columns={[
            { title: "", dataIndex: "label", width: 300, fixed: "left" },
            ...applicantColumns.map((column) => ({
              title: column.label,
              key: column.key,
              width: 80,
              align: "center" as const,
              render: (_: unknown, row: (typeof rows)[number]) => {
                const value = row.cells?.[column.key];
                if (value === undefined) return "";
                return value > 0 ? (
                  <Button
                    type="link"
                    size="small"
                    data-testid={`cell-${row.key}-${column.key}`}
                    onClick={() => setCell(`three.${row.key}.${column.key}`)}
                  >
                    {value}
                  </Button>
                ) : (
                  <span style={{ color: "#999" }}>{value}</span>
                );
              },
            })),
          ]}
        />
      </Card>
      <Table2Card
        report={report}
        editable={access.canWriteReports && report.status !== "published"}
        onSave={(two) => run(() => reportService.saveInputs(agencyId, year, two), "表二数据已保存")}
      />
      {access.canWriteReports && report.status !== "published" && (
        <Card
          size="small"
          title="一、总体情况；五、存在的主要问题及改进情况；六、其他需要报告的事项"
          style={{ marginTop: 16 }}
          extra={
            <Button
              onClick={() =>
                run(
                  () =>
                    reportService.saveSections(agencyId, year, {
                      overview: Object.entries(overview).map(([key, text]) => ({ key, text })),
                      problems: split(problems),
                      other: split(other),
                    }),
                  "已保存",
                )
              }
            >
              保存
            </Button>
          }
        >
          <Typography.Text strong>一、总体情况</Typography.Text>
          {report.sections.overview.map((p) => (
            <div key={p.key} style={{ margin: "6px 0" }}>
              {p.heading && <Typography.Text type="secondary">{p.heading}</Typography.Text>}
              <Input.TextArea
                rows={3}
                value={overview[p.key] ?? ""}
                onChange={(e) => setOverview((o) => ({ ...o, [p.key]: e.target.value }))}
              />
            </div>
          ))}
          <Typography.Text strong>五、存在的主要问题及改进情况</Typography.Text>
          <Input.TextArea
            rows={4}
            value={problems}
            onChange={(e) => setProblems(e.target.value)}
            style={{ margin: "6px 0 12px" }}
          />
          <Typography.Text strong>六、其他需要报告的事项</Typography.Text>
          <Input.TextArea
            rows={4}
            value={other}
            onChange={(e) => setOther(e.target.value)}
            style={{ marginTop: 6 }}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            段落之间空一行。
          </Typography.Text>
        </Card>
      )}
      <ProvenanceDialog cell={cell} year={year} onClose={() => setCell(null)} />
    </>
  );
}

function ProvenanceDialog({ cell, year, onClose }: { cell: string | null; year: number; onClose(): void }) {
  const { agencyId } = useSession();
  const data = useAsync(
    () =>
      cell ? reportService.provenance(agencyId, year, cell) : Promise.resolve(null as ProvenanceDto | null),
    [cell, agencyId, year],
  );
  return (
    <Modal
      cancelText="取消"
      open={cell !== null}
      onCancel={onClose}
      footer={null}
      title="该数字对应的申请"
      width={640}
    >
      <PageShell {...data}>
        {(p) =>
          p && (
            <Table
              size="small"
              rowKey="number"
              pagination={false}
              dataSource={p.items}
              columns={[
                { title: "编号", dataIndex: "number" },
                { title: "收到日期", render: (_, i) => i.receiptDate ?? i.filedDate ?? "—" },
                { title: "办结日期", dataIndex: "closedDate", render: (v: string | null) => v ?? "—" },
              ]}
            />
          )
        }
      </PageShell>
    </Modal>
  );
}

/** Table 二 blocks typed in by hand; 第二十条第（一）项 comes from the catalogue. */
function Table2Card(props: {
  report: ReportDto;
  editable: boolean;
  onSave(two: Record<string, Record<string, number | null>>): void;
}) {
  const blocks = table2BlocksOf(props.report.formatVersion).filter((b) => b.item !== "第二十条第（一）项");
  const [values, setValues] = useState<Record<string, Record<string, number | null>>>(() => {
    const two: Record<string, Record<string, number | null>> = {};
    for (const block of blocks)
      for (const row of block.rows) two[row.key] = { ...(props.report.tables.two[row.key] ?? {}) };
    return two;
  });
  const set = (row: string, column: string, value: number | null) =>
    setValues((old) => ({ ...old, [row]: { ...(old[row] ?? {}), [column]: value } }));
  return (
    <Card
      size="small"
      title="二、主动公开政府信息情况（人工填报部分）"
      style={{ marginTop: 16 }}
      extra={
        props.editable && (
          <Button type="primary" data-testid="save-table2" onClick={() => props.onSave(values)}>
            保存表二
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        第二十条第（一）项（规章、规范性文件）由主动公开目录自动统计；以下各项请按本机关业务系统的数据填写。
      </Typography.Paragraph>
      {blocks.map((block) => (
        <Table
          key={block.item}
          size="small"
          bordered
          pagination={false}
          style={{ marginBottom: 12 }}
          rowKey="key"
          dataSource={[...block.rows]}
          columns={[
            { title: block.item, dataIndex: "label", width: 220 },
            ...block.columns.map((column) => ({
              title: column.label,
              render: (_: unknown, row: { key: string }) => (
                <InputNumber
                  aria-label={`${row.key}.${column.key}`}
                  disabled={!props.editable}
                  min={column.key === "change" ? undefined : 0}
                  style={{ width: "100%" }}
                  value={values[row.key]?.[column.key] ?? null}
                  onChange={(v) => set(row.key, column.key, typeof v === "number" ? v : null)}
                />
              ),
            })),
          ]}
        />
      ))}
    </Card>
  );
}

function SummaryCard({ year }: { year: number }) {
  const { agencyId } = useSession();
  const summary = useAsync(() => reportService.summary(agencyId, year), [agencyId, year]);
  return (
    <Card size="small" title="所辖机关年度报告汇总" style={{ marginTop: 16 }}>
      <PageShell {...summary}>
        {(s) => (
          <Table
            size="small"
            rowKey="agencyId"
            pagination={false}
            dataSource={s.agencies}
            columns={[
              { title: "机关", dataIndex: "name" },
              {
                title: "状态",
                render: (_, a) =>
                  a.published ? (
                    <Tag color="green">{reportStatusLabels.published}</Tag>
                  ) : (
                    <Tag>{reportStatusLabels[a.status === "none" ? "none" : "draft"]}</Tag>
                  ),
              },
              { title: "法定期限", dataIndex: "deadline" },
              { title: "未通过校验", render: (_, a) => a.failingChecks.length },
            ]}
          />
        )}
      </PageShell>
    </Card>
  );
}
