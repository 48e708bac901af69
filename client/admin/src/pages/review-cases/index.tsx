/**
 * 复议诉讼: the agency's 行政复议 and 行政诉讼 cases (table 四), registering a case and closing it.
 */

import { PlusOutlined } from "@ant-design/icons";
import { reviewCasesApi } from "@govinfo/shared/api/routes/reviewCases";
import {
  ReviewCaseCreateInput,
  type ReviewCaseDTO,
  type ReviewCaseResult,
  reviewCaseKindLabels,
  reviewCaseKinds,
  reviewCasePendingLabel,
  reviewCaseResultLabels,
  reviewCaseResults,
} from "@govinfo/shared/schemas/reviewCase";
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { api } from "../../api.ts";
import { fieldProblems } from "../../components/formErrors.ts";
import { errorText, PageShell } from "../../components/PageShell.tsx";
import { todayInChina, useAsync } from "../../hooks.ts";
import { useSession } from "../../session.tsx";

/** The review-case page. */
export function ReviewCasesPage() {
  const { agencyId, access } = useSession();
  const { message } = App.useApp();
  const list = useAsync(() => api.call(reviewCasesApi.list, { query: { agencyId } }), [agencyId]);
  const [creating, setCreating] = useState(false);
  const [closing, setClosing] = useState<ReviewCaseDTO | null>(null);
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const handleCreate = async () => {
    const parsed = ReviewCaseCreateInput.safeParse({ ...form.getFieldsValue(true), agencyId });
    if (!parsed.success)
      return setError(
        fieldProblems(parsed.error)
          .map((p) => p.message)
          .join("；"),
      );
    try {
      await api.call(reviewCasesApi.create, { body: parsed.data });
      message.success("已登记");
      setCreating(false);
      list.reload();
    } catch (caught) {
      setError(errorText(caught));
    }
  };
  const handleClose = async (values: { closedDate: string; result: ReviewCaseResult }) => {
    if (!closing) return;
    try {
      await api.call(reviewCasesApi.close, { params: { id: closing.id }, body: values });
      message.success("已结案");
      setClosing(null);
      list.reload();
    } catch (caught) {
      message.error(errorText(caught));
    }
  };
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          行政复议、行政诉讼
        </Typography.Title>
        {access.canWriteReviewCases && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setError(null);
              setCreating(true);
            }}
          >
            登记案件
          </Button>
        )}
      </Space>
      <Card size="small">
        <PageShell {...list} onRetry={list.reload}>
          {(data) => (
            <Table<ReviewCaseDTO>
              rowKey="id"
              dataSource={data.items}
              locale={{ emptyText: "暂无复议诉讼案件" }}
              columns={[
                { title: "案件编号", dataIndex: "caseNo" },
                { title: "类型", render: (_, c) => reviewCaseKindLabels[c.kind] },
                { title: "申请编号", dataIndex: "requestSerialNo", render: (v: string) => v || "—" },
                { title: "立案日期", dataIndex: "filedDate" },
                { title: "结案日期", dataIndex: "closedDate", render: (v: string | null) => v ?? "—" },
                {
                  title: "结果",
                  render: (_, c) =>
                    c.result ? (
                      <Tag color="green">{reviewCaseResultLabels[c.result]}</Tag>
                    ) : (
                      <Tag>{reviewCasePendingLabel}</Tag>
                    ),
                },
                {
                  title: "操作",
                  render: (_, c) =>
                    access.canWriteReviewCases &&
                    !c.result && (
                      <Button size="small" type="link" onClick={() => setClosing(c)}>
                        结案
                      </Button>
                    ),
                },
              ]}
            />
          )}
        </PageShell>
      </Card>
      <Modal
        cancelText="取消"
        open={creating}
        title="登记复议诉讼案件"
        onCancel={() => setCreating(false)}
        onOk={handleCreate}
        okText="登记"
        destroyOnHidden
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Form
          form={form}
          layout="vertical"
          initialValues={{ kind: "reconsideration", filedDate: todayInChina() }}
        >
          <Form.Item label="案件编号" name="caseNo">
            <Input />
          </Form.Item>
          <Form.Item label="类型" name="kind">
            <Select options={reviewCaseKinds.map((k) => ({ value: k, label: reviewCaseKindLabels[k] }))} />
          </Form.Item>
          <Form.Item label="涉及的申请编号" name="requestSerialNo">
            <Input />
          </Form.Item>
          <Form.Item label="立案日期" name="filedDate">
            <Input type="date" />
          </Form.Item>
          <Form.Item label="备注" name="notes">
            <Input.TextArea rows={2} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        cancelText="取消"
        open={closing !== null}
        title="结案"
        footer={null}
        onCancel={() => setClosing(null)}
        destroyOnHidden
      >
        <Form
          layout="vertical"
          onFinish={handleClose}
          initialValues={{ closedDate: todayInChina(), result: "upheld" }}
        >
          <Form.Item label="结案日期" name="closedDate">
            <Input type="date" />
          </Form.Item>
          <Form.Item label="结果" name="result">
            <Select
              options={reviewCaseResults.map((r) => ({ value: r, label: reviewCaseResultLabels[r] }))}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            结案
          </Button>
        </Form>
      </Modal>
    </>
  );
}
