/**
 * 系统 › 节假日: the working-day calendar overrides (holidays and make-up working days).
 */
import { Alert, App, Button, Card, Form, Input, Select, Space, Table, Tag } from "antd";
import { api } from "../../api.ts";
import { errorText, PageShell } from "../../components/PageShell.tsx";
import { useAsync } from "../../hooks.ts";
import { useSession } from "../../session.tsx";

interface Override {
  date: string;
  kind: "holiday" | "workday";
  name: string;
}

/** The holiday calendar tab. */
export function CalendarTab() {
  const { access } = useSession();
  const { message } = App.useApp();
  const list = useAsync(() => api.get<Override[]>("/calendar/overrides"), []);
  const run = async (action: () => Promise<unknown>) => {
    try {
      await action();
      message.success("已保存");
      list.reload();
    } catch (error) {
      message.error(errorText(error));
    }
  };
  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        message="法定节假日和调休上班日已按国务院办公厅每年的放假安排内置；此处仅用于补充或更正个别日期，保存后所有答复期限按新日历重新计算。"
      />
      {access.canEditCalendar && (
        <Card size="small" style={{ marginBottom: 12 }}>
          <Form
            layout="inline"
            initialValues={{ kind: "holiday" }}
            onFinish={(v: Override) =>
              run(() => api.put(`/calendar/overrides/${v.date}`, { kind: v.kind, name: v.name }))
            }
          >
            <Form.Item name="date" label="日期" rules={[{ required: true, message: "请选择日期" }]}>
              <Input type="date" />
            </Form.Item>
            <Form.Item name="kind" label="类型">
              <Select
                style={{ width: 140 }}
                options={[
                  { value: "holiday", label: "放假" },
                  { value: "workday", label: "调休上班" },
                ]}
              />
            </Form.Item>
            <Form.Item name="name" label="名称" rules={[{ required: true, message: "请填写节日名称" }]}>
              <Input placeholder="如 春节" />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              保存
            </Button>
          </Form>
        </Card>
      )}
      <Card size="small">
        <PageShell {...list} onRetry={list.reload}>
          {(items) => (
            <Table<Override>
              rowKey="date"
              dataSource={items}
              locale={{ emptyText: "暂无人工调整" }}
              columns={[
                { title: "日期", dataIndex: "date" },
                {
                  title: "类型",
                  render: (_, o) =>
                    o.kind === "holiday" ? <Tag color="red">放假</Tag> : <Tag color="blue">调休上班</Tag>,
                },
                { title: "名称", dataIndex: "name" },
                {
                  title: "操作",
                  render: (_, o) =>
                    access.canEditCalendar && (
                      <Space>
                        <Button
                          size="small"
                          type="link"
                          danger
                          onClick={() => run(() => api.delete(`/calendar/overrides/${o.date}`))}
                        >
                          删除
                        </Button>
                      </Space>
                    ),
                },
              ]}
            />
          )}
        </PageShell>
      </Card>
    </>
  );
}
