/**
 * 工作台: the agency's applications at a glance — counts by state, due soon, overdue — this year's
 * report draft with its failing checks, and charts of the year.
 */
import { Alert, Card, Col, Empty, List, Row, Statistic, Tag, Typography } from "antd";
import type { EChartsOption } from "echarts";
import { useMemo } from "react";
import { Chart } from "../../components/Chart.tsx";
import { PageShell } from "../../components/PageShell.tsx";
import { navigate, todayInChina, useAsync } from "../../hooks.ts";
import { useSession } from "../../session.tsx";
import { AgencyFeedbackCard, ProposalsCard } from "./CitizenFeedback.tsx";
import { SupervisorOverview } from "./SupervisorOverview.tsx";
import { loadAllRequests, loadReportOrNull, loadSupervisions } from "./service.ts";
import {
  applicantMix,
  countByState,
  dueSoon,
  monthlySeries,
  onTimeRate,
  outcomeMix,
  overdueOpen,
  unassignedOpen,
} from "./stats.ts";

const months = Array.from({ length: 12 }, (_, i) => `${i + 1}月`);

/**
 * The dashboard; a supervisor who works no cases lands on the overview of the agencies they
 * supervise instead of their own agency's (empty) queue.
 */
export function DashboardPage() {
  const { access } = useSession();
  if (access.canSupervise && access.agencies[0]?.agencyId === access.current?.agencyId && !access.worksCases)
    return <SupervisorOverview />;
  return <AgencyDashboard />;
}

function AgencyDashboard() {
  const { agencyId, access } = useSession();
  const year = Number(todayInChina().slice(0, 4));
  const rows = useAsync(() => loadAllRequests(agencyId), [agencyId]);
  const report = useAsync(
    () => (access.canReadReports ? loadReportOrNull(agencyId, year) : Promise.resolve(null)),
    [agencyId, year],
  );
  return (
    <PageShell {...rows} onRetry={rows.reload}>
      {(items) => (
        <>
          <Dashboard
            items={items}
            year={year}
            report={report.data ?? null}
            canReport={access.canReadReports}
          />
          {/* Citizen feedback (满意度、回访、先查再申、纳入主动公开); registrars do not see ratings. */}
          {access.canReadFeedback ? (
            <>
              <AgencyFeedbackCard agencyId={agencyId} canFollowUp={access.canRecordFollowUp} />
              <ProposalsCard agencyId={agencyId} canEdit={access.canEditCatalogue} />
            </>
          ) : null}
        </>
      )}
    </PageShell>
  );
}

function Dashboard(props: {
  items: Parameters<typeof countByState>[0];
  year: number;
  report: Awaited<ReturnType<typeof loadReportOrNull>>;
  canReport: boolean;
}) {
  const { items, year, report } = props;
  const byState = countByState(items);
  const rate = onTimeRate(items);
  const charts = useMemo(() => chartOptions(items, monthlySeries(items, year)), [items, year]);
  const open = items.filter(
    (r) => r.outcome === null && !["withdrawn", "delivered"].includes(r.state),
  ).length;
  const failing = report?.checks.filter((c) => !c.ok) ?? [];
  const three = report?.tables.three.rows;
  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        工作台
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={8} xl={4}>
          <Card hoverable onClick={() => navigate("/requests")} data-testid="stat-open">
            <Statistic title="办理中的申请" value={open} suffix="件" />
          </Card>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Card hoverable onClick={() => navigate("/requests?dueWithin=3")} data-testid="stat-due">
            <Statistic
              title="3个工作日内到期"
              value={dueSoon(items)}
              suffix="件"
              valueStyle={{ color: "#d46b08" }}
            />
          </Card>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Card hoverable onClick={() => navigate("/requests?overdue=true")} data-testid="stat-overdue">
            <Statistic
              title="已超期"
              value={overdueOpen(items)}
              suffix="件"
              valueStyle={{ color: "#cf1322" }}
            />
          </Card>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Card hoverable onClick={() => navigate("/requests?assignee=none")} data-testid="stat-unassigned">
            <Statistic title="未分配承办人" value={unassignedOpen(items)} suffix="件" />
          </Card>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Card>
            <Statistic
              title="按期答复率"
              value={rate === null ? "—" : (rate * 100).toFixed(1)}
              suffix={rate === null ? "" : "%"}
            />
          </Card>
        </Col>
      </Row>
      <SupervisionsOnDesk />
      <Card title="各办理状态的申请" size="small" style={{ marginTop: 16 }}>
        <div data-testid="state-counts" style={{ display: "flex", flexWrap: "wrap", gap: 12 }}>
          {byState.map((entry) => (
            <Tag
              key={entry.state}
              style={{ padding: "4px 10px", fontSize: 14, cursor: "pointer" }}
              color={entry.count > 0 ? "blue" : "default"}
              onClick={() => navigate(`/requests?state=${entry.state}`)}
            >
              {entry.label} <b data-testid={`count-${entry.state}`}>{entry.count}</b>
            </Tag>
          ))}
        </div>
      </Card>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={14}>
          <Card title={`${year}年每月收到与办结的申请`} size="small">
            <Chart option={charts.monthly} />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={`${year}年度报告草稿`} size="small" extra={<a href="#/reports">打开年度报告</a>}>
            {!props.canReport ? (
              <Typography.Text type="secondary">您的角色不查看年度报告。</Typography.Text>
            ) : !report ? (
              <Empty description="本年度报告草稿尚未生成" />
            ) : (
              <>
                <Row gutter={8}>
                  <Col span={8}>
                    <Statistic title="本年新收" value={three?.newReceived?.total ?? 0} />
                  </Col>
                  <Col span={8}>
                    <Statistic title="上年结转" value={three?.carriedOver?.total ?? 0} />
                  </Col>
                  <Col span={8}>
                    <Statistic title="办理结果总计" value={three?.closedTotal?.total ?? 0} />
                  </Col>
                </Row>
                {failing.length === 0 ? (
                  <Alert type="success" showIcon message="校验全部通过" style={{ marginTop: 12 }} />
                ) : (
                  <List
                    size="small"
                    style={{ marginTop: 12 }}
                    header={<b>未通过的校验（{failing.length}项）</b>}
                    dataSource={failing.slice(0, 4)}
                    renderItem={(check) => (
                      <List.Item>
                        <Tag color={check.severity === "hard" ? "red" : "orange"}>
                          {check.severity === "hard" ? "必须通过" : "提示"}
                        </Tag>
                        {check.message}
                      </List.Item>
                    )}
                  />
                )}
              </>
            )}
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card title="办理结果构成（表三）" size="small">
            {charts.outcome ? <Chart option={charts.outcome} /> : <Empty description="尚无办结的申请" />}
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card title="申请人构成" size="small">
            {charts.applicant ? <Chart option={charts.applicant} /> : <Empty description="尚无申请" />}
          </Card>
        </Col>
      </Row>
    </>
  );
}

function chartOptions(
  items: Parameters<typeof countByState>[0],
  series: { received: number[]; closed: number[] },
): { monthly: EChartsOption; outcome: EChartsOption | null; applicant: EChartsOption | null } {
  const pie = (data: { name: string; value: number }[]): EChartsOption | null =>
    data.length === 0
      ? null
      : {
          tooltip: { trigger: "item", formatter: "{b}：{c}件（{d}%）" },
          legend: { bottom: 0, type: "scroll" },
          series: [
            {
              type: "pie",
              radius: ["35%", "65%"],
              center: ["50%", "45%"],
              data,
              label: { formatter: "{b}\n{c}件" },
            },
          ],
        };
  return {
    monthly: {
      tooltip: { trigger: "axis" },
      legend: { data: ["收到申请", "办结申请"] },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: months },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "收到申请", type: "bar", data: series.received, itemStyle: { color: "#b71c1c" } },
        { name: "办结申请", type: "line", data: series.closed, itemStyle: { color: "#1677ff" } },
      ],
    },
    outcome: pie(outcomeMix(items)),
    applicant: pie(applicantMix(items)),
  };
}

/** The 督办单 the agency has received: shown while any awaits its 办理情况, overdue ones in red. */
function SupervisionsOnDesk() {
  const { agencyId } = useSession();
  const orders = useAsync(() => loadSupervisions(agencyId), [agencyId]);
  const open = (orders.data?.items ?? []).filter((s) => s.status === "open");
  if (open.length === 0) return null;
  const counts = orders.data?.counts;
  return (
    <Card
      title={`督办单（待反馈${counts?.open ?? 0}件，其中逾期${counts?.overdue ?? 0}件）`}
      size="small"
      style={{ marginTop: 16 }}
      data-testid="desk-supervisions"
    >
      <List
        size="small"
        dataSource={open}
        renderItem={(s) => (
          <List.Item>
            <Tag color={s.overdue ? "red" : "orange"}>{s.statusLabel}</Tag>
            {s.request ? <a href={`#/requests/${s.request.id}`}>{s.request.serialNo}</a> : "本机关"}：
            {s.reason}（{s.issuerName}督办，{s.deadline}前反馈）
          </List.Item>
        )}
      />
    </Card>
  );
}
