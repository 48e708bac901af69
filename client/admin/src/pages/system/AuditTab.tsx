/**
 * 系统 › 审计日志: who did what to which record, newest first, filtered by agency, action, record
 * type and dates; more pages load with the server's cursor.
 */
import { grants } from "@govinfo/shared/access/capabilities";
import {
  type AuditEventDto,
  auditActionLabel,
  auditActionLabels,
  auditTargetLabels,
} from "@govinfo/shared/schemas/audit";
import { App, Button, Form, Input, Select, Space, Table } from "antd";
import { useEffect, useState } from "react";
import { errorText } from "../../components/PageShell.tsx";
import { useSession } from "../../session.tsx";
import { type AuditFilters, systemService } from "./service.ts";

/** The audit log tab. */
export function AuditTab() {
  const { access } = useSession();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [items, setItems] = useState<AuditEventDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const load = async (next: AuditFilters, after?: string) => {
    setLoading(true);
    try {
      const page = await systemService.audit({ ...next, cursor: after });
      setItems((old) => (after ? [...old, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setLoading(false);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once on open; filters reload on submit.
  useEffect(() => {
    void load({});
  }, []);
  const managed = access.agencies.filter((a) => grants(a.roles, "readAudit"));
  return (
    <>
      <Form
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onFinish={(values: AuditFilters) => {
          setFilters(values);
          void load(values);
        }}
      >
        <Form.Item name="agencyId" label="机关">
          <Select
            allowClear
            style={{ width: 200 }}
            placeholder="全部"
            options={managed.map((a) => ({ value: a.agencyId, label: a.agencyName }))}
          />
        </Form.Item>
        <Form.Item name="action" label="操作">
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ width: 180 }}
            placeholder="全部"
            options={Object.entries(auditActionLabels).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="targetType" label="对象">
          <Select
            allowClear
            style={{ width: 140 }}
            placeholder="全部"
            options={Object.entries(auditTargetLabels).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="from" label="自">
          <Input type="date" />
        </Form.Item>
        <Form.Item name="to" label="至">
          <Input type="date" />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          查询
        </Button>
      </Form>
      <Table<AuditEventDto>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={items}
        pagination={false}
        locale={{ emptyText: "暂无审计记录" }}
        columns={[
          {
            title: "时间",
            width: 170,
            render: (_, e) =>
              new Date(e.at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false }),
          },
          { title: "机关", dataIndex: "agencyName", width: 160 },
          { title: "操作", width: 150, render: (_, e) => auditActionLabel(e.action) },
          { title: "经过", dataIndex: "sentence" },
          { title: "IP 地址", dataIndex: "ip", width: 130 },
        ]}
      />
      {cursor && (
        <Space style={{ marginTop: 12 }}>
          <Button onClick={() => void load(filters, cursor)} loading={loading}>
            加载更多
          </Button>
        </Space>
      )}
    </>
  );
}
