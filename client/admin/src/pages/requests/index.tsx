/**
 * 申请办理: the queue of the agency with filters (state, due soon, overdue, mine), sort and search;
 * registering a paper application opens a dialog.
 */
import { PlusOutlined } from "@ant-design/icons";
import { stateLabels, states } from "@govinfo/shared/lifecycle/machine";
import {
  assignmentStatuses,
  assignmentStatusLabels,
  queueScopeLabels,
  queueScopes,
  type RequestListItemDto,
} from "@govinfo/shared/schemas/requestDto";
import { Button, Card, Input, Select, Space, Table, Typography } from "antd";
import { useState } from "react";
import { PageShell } from "../../components/PageShell.tsx";
import { buildHash } from "../../hashRoute.ts";
import { navigate, useAsync } from "../../hooks.ts";
import { useSession } from "../../session.tsx";
import { dueToneBackground, queueColumns } from "./columns.tsx";
import { RegisterDialog } from "./RegisterDialog.tsx";
import { type QueueFilters, requestsService } from "./service.ts";

/**
 * The queue page; filters live in the URL so links from the dashboard work. As 我的申请 (`mine`) it
 * lists only the applications assigned to the signed-in user.
 */
export function RequestsPage({ query, mine = false }: { query: Record<string, string>; mine?: boolean }) {
  const { agencyId, access } = useSession();
  const filters: QueueFilters = mine ? { ...query, assignee: "me" } : query;
  const base = mine ? "/mine" : "/requests";
  const [cursors, setCursors] = useState<string[]>([]);
  const [registering, setRegistering] = useState(false);
  const cursor = cursors.at(-1);
  const page = useAsync(
    () => requestsService.list(agencyId, filters, cursor),
    [agencyId, JSON.stringify(filters), cursor],
  );
  const setFilter = (patch: Partial<QueueFilters>) => {
    setCursors([]);
    const { assignee, ...rest } = { ...filters, ...patch };
    navigate(buildHash(base, mine ? rest : { ...rest, assignee }));
  };
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {mine ? "我的申请" : "申请办理"}
        </Typography.Title>
        {access.canRegister && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)}>
            登记申请
          </Button>
        )}
      </Space>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <Input.Search
            placeholder="申请编号、申请人、申请内容"
            allowClear
            defaultValue={filters.q}
            onSearch={(q) => setFilter({ q })}
            style={{ width: 260 }}
          />
          <Select
            aria-label="办理范围"
            style={{ width: 110 }}
            value={filters.state ? undefined : (filters.scope ?? "open")}
            placeholder="按状态"
            disabled={Boolean(filters.state)}
            onChange={(scope: string) => setFilter({ scope: scope === "open" ? undefined : scope })}
            options={queueScopes.map((s) => ({ value: s, label: queueScopeLabels[s] }))}
          />
          <Select
            allowClear
            placeholder="办理状态"
            style={{ width: 150 }}
            value={filters.state}
            onChange={(state?: string) => setFilter({ state })}
            options={states.map((s) => ({ value: s, label: stateLabels[s] }))}
          />
          <Select
            allowClear
            placeholder="期限"
            style={{ width: 170 }}
            value={
              filters.overdue === "true"
                ? "overdue"
                : filters.dueWithin
                  ? `due${filters.dueWithin}`
                  : undefined
            }
            onChange={(v?: string) =>
              setFilter({
                overdue: v === "overdue" ? "true" : undefined,
                dueWithin: v?.startsWith("due") ? v.slice(3) : undefined,
              })
            }
            options={[
              { value: "due3", label: "3个工作日内到期" },
              { value: "due5", label: "5个工作日内到期" },
              { value: "overdue", label: "已超期" },
            ]}
          />
          {!mine && (
            <Select
              allowClear
              placeholder="承办人"
              style={{ width: 130 }}
              value={filters.assignee}
              onChange={(assignee?: string) => setFilter({ assignee })}
              options={[
                { value: "me", label: "我承办的" },
                { value: "none", label: "未分配" },
              ]}
            />
          )}
          <Select
            allowClear
            aria-label="签收状态"
            placeholder="签收状态"
            style={{ width: 130 }}
            value={filters.assignment}
            onChange={(assignment?: string) => setFilter({ assignment })}
            options={assignmentStatuses.map((value) => ({ value, label: assignmentStatusLabels[value] }))}
          />
          <Select
            style={{ width: 240 }}
            value={filters.sort ?? "dueDate"}
            onChange={(sort: string) => setFilter({ sort })}
            options={[
              { value: "dueDate", label: "待确认、超期在前，按答复期限" },
              { value: "-dueDate", label: "按答复期限（远→近）" },
              { value: "-receiptDate", label: "按收到日期（新→旧）" },
              { value: "receiptDate", label: "按收到日期（旧→新）" },
            ]}
          />
        </Space>
      </Card>
      <Card size="small">
        <PageShell {...page} onRetry={page.reload}>
          {(data) => (
            <>
              <Table<RequestListItemDto>
                rowKey="id"
                size="middle"
                columns={queueColumns}
                dataSource={data.items}
                pagination={false}
                // Names of companies and long outcomes stay readable; a narrow screen scrolls instead.
                scroll={{ x: 1240 }}
                locale={{ emptyText: "没有符合条件的申请" }}
                onRow={(row) => ({
                  onDoubleClick: () => navigate(`/requests/${row.id}`),
                  // 超期预警 in colour: red rows are overdue, orange ones due within the warning window.
                  ...(row.dueTone ? { style: { background: dueToneBackground[row.dueTone] } } : {}),
                })}
              />
              <Space style={{ marginTop: 12 }}>
                <Button disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
                  上一页
                </Button>
                <Button
                  disabled={!data.nextCursor}
                  onClick={() => data.nextCursor && setCursors((c) => [...c, data.nextCursor as string])}
                >
                  下一页
                </Button>
              </Space>
            </>
          )}
        </PageShell>
      </Card>
      <RegisterDialog
        agencyId={agencyId}
        open={registering}
        onClose={() => setRegistering(false)}
        onDone={(id) => {
          setRegistering(false);
          navigate(`/requests/${id}`);
        }}
      />
    </>
  );
}
