/**
 * Columns of the request queue.
 */
import { dueToneLabels } from "@govinfo/shared/calendar/reminders";
import type { RequestListItemDto } from "@govinfo/shared/schemas/requestDto";
import { Space, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { StateTag } from "../../components/StateTag.tsx";

/** Row backgrounds of the queue's due tones. */
export const dueToneBackground = { overdue: "#fff1f0", dueSoon: "#fff7e6" } as const;

/** Queue columns. */
export const queueColumns: ColumnsType<RequestListItemDto> = [
  {
    title: "申请编号",
    dataIndex: "serialNo",
    width: 200,
    render: (value: string, row) => <a href={`#/requests/${row.id}`}>{value}</a>,
  },
  {
    title: "申请人",
    width: 180,
    render: (_, row) => `${row.applicant.name}（${row.applicant.typeLabel}）`,
  },
  { title: "渠道", dataIndex: "channelLabel", width: 90 },
  {
    title: "收到申请之日",
    dataIndex: "receiptDate",
    width: 120,
    render: (v: string | null) => v ?? "待确认",
  },
  {
    title: "状态",
    width: 160,
    render: (_, row) => (
      <Space size={4} wrap>
        <StateTag state={row.state} />
        {row.extendedBadge && <Tag color="purple">{row.extendedBadge}</Tag>}
        {row.workflow && row.workflow.signOffStage !== "none" && (
          <Tag color={row.workflow.signOffStage === "returned" ? "orange" : "geekblue"}>
            {row.workflow.signOffStageLabel}
          </Tag>
        )}
      </Space>
    ),
  },
  {
    title: "答复期限",
    width: 200,
    render: (_, row) => {
      if (!row.dueDate) {
        // No clock yet: an online application waiting for 确认收到, or one waiting for its 补正.
        if (row.state === "submitted") return <Tag color="gold">待确认</Tag>;
        if (row.state === "correctionRequested") return <Tag color="orange">待补正</Tag>;
        return <Typography.Text type="secondary">—</Typography.Text>;
      }
      if (row.overdue && row.dueTone !== "overdue")
        return <Typography.Text type="danger">{row.dueDate}（已超期）</Typography.Text>;
      if (row.outcome) return row.dueDate;
      const left = row.workingDaysLeft;
      return (
        <span>
          {row.dueDate}
          {left !== null && row.dueTone !== "overdue" && (
            <Typography.Text type={row.dueTone === "dueSoon" ? "warning" : "secondary"}>
              （剩{left}个工作日）
            </Typography.Text>
          )}
          {row.dueTone && (
            <Tag
              color={row.dueTone === "overdue" ? "red" : "orange"}
              style={{ marginLeft: 4 }}
              data-testid={`due-${row.dueTone}`}
            >
              {dueToneLabels[row.dueTone]}
            </Tag>
          )}
        </span>
      );
    },
  },
  { title: "办理结果", dataIndex: "outcomeLabel", width: 120, render: (v: string | null) => v ?? "—" },
  { title: "承办人", width: 100, render: (_, row) => row.assignee?.name ?? "未分配" },
  {
    title: "签收",
    width: 90,
    render: (_, row) => {
      const status = row.workflow?.assignment;
      if (status === "returned")
        return (
          <Tag
            color="red"
            title={`退回理由：${row.workflow?.returned?.reason ?? ""}`}
            data-testid="returned-marker"
          >
            已退回
          </Tag>
        );
      if (status === "pending") return <Tag color="gold">待签收</Tag>;
      if (status === "accepted") return <Tag color="green">已签收</Tag>;
      return <Typography.Text type="secondary">—</Typography.Text>;
    },
  },
];
