/**
 * 系统 › 节假日: the working-day calendar overrides (holidays and make-up working days).
 */
import { calendarApi } from "@govinfo/shared/api/routes/calendar";
import { type NoticeDay, type ParsedNotice, parseHolidayNotice } from "@govinfo/shared/calendar/notice";
import type { CalendarOverrideDto } from "@govinfo/shared/schemas/calendar";
import { Alert, App, Button, Card, Form, Input, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { api } from "../../api.ts";
import { errorText, PageShell } from "../../components/PageShell.tsx";
import { todayInChina, useAsync } from "../../hooks.ts";
import { useSession } from "../../session.tsx";

/** The holiday calendar tab. */
export function CalendarTab() {
  const { access } = useSession();
  const { message } = App.useApp();
  const list = useAsync(() => api.call(calendarApi.overrides), []);
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
            onFinish={(v: CalendarOverrideDto) =>
              run(() =>
                api.call(calendarApi.setOverride, {
                  params: { date: v.date },
                  body: { kind: v.kind, name: v.name },
                }),
              )
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
      {access.canEditCalendar && <NoticeImport onSaved={list.reload} />}
      <Card size="small">
        <PageShell {...list} onRetry={list.reload}>
          {(items) => (
            <Table<CalendarOverrideDto>
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
                          onClick={() =>
                            run(() => api.call(calendarApi.deleteOverride, { params: { date: o.date } }))
                          }
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

/**
 * Paste the State Council's holiday notice, check the days read from it, then save them all: the
 * supervisor sees exactly what will change before any deadline is recomputed.
 */
function NoticeImport({ onSaved }: { onSaved(): void }) {
  const { message } = App.useApp();
  const [text, setText] = useState("");
  const [parsed, setParsed] = useState<ParsedNotice | null>(null);
  const [isSaving, setSaving] = useState(false);
  const nextYear = Number(todayInChina().slice(0, 4)) + 1;
  const save = async (days: NoticeDay[]) => {
    setSaving(true);
    try {
      for (const day of days)
        await api.call(calendarApi.setOverride, {
          params: { date: day.date },
          body: { kind: day.kind, name: day.name },
        });
      message.success(`已保存 ${days.length} 天`);
      setParsed(null);
      setText("");
      onSaved();
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card size="small" title="粘贴国务院办公厅放假通知" style={{ marginBottom: 12 }}>
      <Input.TextArea
        aria-label="放假通知原文"
        rows={5}
        value={text}
        placeholder={`粘贴《国务院办公厅关于${nextYear}年部分节假日安排的通知》全文，如：一、元旦：1月1日（周五）放假，共1天。…`}
        onChange={(e) => setText(e.target.value)}
      />
      <Space style={{ marginTop: 8 }}>
        <Button disabled={!text.trim()} onClick={() => setParsed(parseHolidayNotice(text, nextYear))}>
          解析
        </Button>
        {parsed && parsed.days.length > 0 && (
          <Button type="primary" loading={isSaving} onClick={() => save(parsed.days)}>
            保存这 {parsed.days.length} 天
          </Button>
        )}
      </Space>
      {parsed && (
        <div style={{ marginTop: 12 }} data-testid="notice-preview">
          <Typography.Paragraph>
            {parsed.year ? `${parsed.year}年：` : ""}读出放假{" "}
            {parsed.days.filter((d) => d.kind === "holiday").length} 天、调休上班{" "}
            {parsed.days.filter((d) => d.kind === "workday").length} 天，请与通知原文核对后保存。
          </Typography.Paragraph>
          {parsed.unread.length > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 8 }}
              message="以下内容未能读出日期，请核对或手工录入"
              description={parsed.unread.join("；")}
            />
          )}
          <Table<NoticeDay>
            rowKey="date"
            size="small"
            pagination={false}
            dataSource={parsed.days}
            columns={[
              { title: "日期", dataIndex: "date" },
              {
                title: "类型",
                render: (_, d) =>
                  d.kind === "holiday" ? <Tag color="red">放假</Tag> : <Tag color="blue">调休上班</Tag>,
              },
              { title: "名称", dataIndex: "name" },
            ]}
          />
        </div>
      )}
    </Card>
  );
}
