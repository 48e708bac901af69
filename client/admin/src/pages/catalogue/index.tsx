/**
 * 主动公开: the agency's catalogue (drafts, published, withdrawn) with the editor — title, 文号,
 * category, topics, summary, body (Markdown), dates — publish / withdraw / repeal, attachments and
 * import of an existing catalogue.
 */

import { PlusOutlined, UploadOutlined } from "@ant-design/icons";
import { catalogueApi } from "@govinfo/shared/api/routes/catalogue";
import {
  categories,
  docKindLabels,
  docKinds,
  type ItemStatus,
  itemStatuses,
  itemStatusLabels,
} from "@govinfo/shared/catalogue/categories";
import { InfoItemCreateInput, type InfoItemStaffDTO } from "@govinfo/shared/schemas/catalogue";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Drawer,
  Form,
  Input,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from "antd";
import { useState } from "react";
import { api } from "../../api.ts";
import { fieldProblems } from "../../components/formErrors.ts";
import { errorText, PageShell } from "../../components/PageShell.tsx";
import { useAction } from "../../hooks/useAction.ts";
import { todayInChina, useAsync } from "../../hooks.ts";
import { useSession } from "../../session.tsx";
import { catalogueService } from "./service.ts";

const statusColors: Record<ItemStatus, string> = {
  draft: "default",
  published: "green",
  withdrawn: "orange",
};

/** The catalogue page. */
export function CataloguePage() {
  const { agencyId, access } = useSession();
  const { message, modal } = App.useApp();
  const [status, setStatus] = useState<ItemStatus | undefined>(undefined);
  const [editing, setEditing] = useState<InfoItemStaffDTO | "new" | null>(null);
  const list = useAsync(() => catalogueService.list(agencyId, status), [agencyId, status]);
  const { run } = useAction(list.reload);
  const handleWithdraw = (item: InfoItemStaffDTO) => {
    let reason = "";
    modal.confirm({
      title: `撤回《${item.title}》`,
      content: <Input.TextArea placeholder="撤回理由" onChange={(e) => (reason = e.target.value)} />,
      okText: "撤回",
      onOk: () => run(() => catalogueService.withdraw(item.id, reason), "已撤回"),
    });
  };
  const handleImport = async (file: File) => {
    try {
      const result = await catalogueService.importFile(agencyId, file);
      message.success(`已导入 ${result.rows} 条（新增 ${result.created} 条，更新 ${result.updated} 条）`);
      list.reload();
    } catch (error) {
      const rows = fieldProblems(error);
      modal.error({
        title: "导入失败（全部未导入）",
        width: 640,
        content: rows.length ? (
          <ul>
            {rows.map((r) => (
              <li key={r.path + r.message}>
                {r.path}：{r.message}
              </li>
            ))}
          </ul>
        ) : (
          errorText(error)
        ),
      });
    }
    return false;
  };
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          主动公开
        </Typography.Title>
        {access.canEditCatalogue && (
          <Space>
            <Upload accept=".csv,.xlsx" showUploadList={false} beforeUpload={handleImport}>
              <Button icon={<UploadOutlined />}>导入目录</Button>
            </Upload>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>
              新建信息
            </Button>
          </Space>
        )}
      </Space>
      <Card size="small">
        <Select
          allowClear
          placeholder="状态"
          style={{ width: 140, marginBottom: 12 }}
          value={status}
          onChange={setStatus}
          options={itemStatuses.map((value) => ({ value, label: itemStatusLabels[value] }))}
        />
        <PageShell {...list} onRetry={list.reload}>
          {(data) => (
            <Table<InfoItemStaffDTO>
              rowKey="id"
              size="middle"
              dataSource={data.items}
              pagination={{ pageSize: 20 }}
              locale={{ emptyText: "暂无目录信息" }}
              columns={[
                { title: "索引号", dataIndex: "indexNo", width: 170 },
                {
                  title: "标题",
                  dataIndex: "title",
                  render: (t: string, item) => (
                    <Button
                      type="link"
                      style={{ padding: 0, height: "auto", whiteSpace: "normal", textAlign: "left" }}
                      onClick={() => setEditing(item)}
                    >
                      {t}
                    </Button>
                  ),
                },
                { title: "文号", dataIndex: "docNumber", width: 150 },
                { title: "类别", dataIndex: "categoryLabel", width: 120 },
                { title: "成文日期", dataIndex: "formedDate", width: 110 },
                {
                  title: "发布日期",
                  dataIndex: "publishedDate",
                  width: 110,
                  render: (v: string | null) => v ?? "—",
                },
                {
                  title: "状态",
                  width: 150,
                  render: (_, item) => (
                    <Space size={4}>
                      <Tag color={statusColors[item.status]}>{itemStatusLabels[item.status]}</Tag>
                      {item.validity !== "inForce" && <Tag>{item.validityLabel}</Tag>}
                      {item.lateByWorkingDays ? (
                        <Tag color="red">超期{item.lateByWorkingDays}个工作日公开</Tag>
                      ) : null}
                    </Space>
                  ),
                },
                {
                  title: "操作",
                  width: 170,
                  render: (_, item) =>
                    access.canEditCatalogue && (
                      <Space size={4}>
                        {item.status !== "published" && (
                          <Button
                            size="small"
                            type="link"
                            onClick={() => run(() => catalogueService.publish(item.id), "已发布")}
                          >
                            发布
                          </Button>
                        )}
                        {item.status === "published" && (
                          <Button size="small" type="link" onClick={() => handleWithdraw(item)}>
                            撤回
                          </Button>
                        )}
                        {item.status === "published" && item.validity === "inForce" && (
                          <Button
                            size="small"
                            type="link"
                            danger
                            onClick={() =>
                              run(() => catalogueService.repeal(item.id, todayInChina()), "已废止")
                            }
                          >
                            废止
                          </Button>
                        )}
                      </Space>
                    ),
                },
              ]}
            />
          )}
        </PageShell>
      </Card>
      {editing && (
        <ItemEditor
          item={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            list.reload();
          }}
        />
      )}
    </>
  );
}

function ItemEditor(props: { item: InfoItemStaffDTO | null; onClose(): void; onSaved(): void }) {
  const { agencyId, access } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [item, setItem] = useState(props.item);
  const [busy, setBusy] = useState(false);
  const initial = item
    ? { ...item, topics: item.topics }
    : {
        category: categories[0]?.key,
        docKind: "other",
        topics: [],
        formedDate: todayInChina(),
        docNumber: "",
        summary: "",
        body: "",
      };
  const handleSave = async () => {
    const values = form.getFieldsValue(true) as Record<string, unknown>;
    const input = {
      agencyId,
      title: values.title,
      docNumber: values.docNumber ?? "",
      category: values.category,
      docKind: values.docKind,
      topics: values.topics ?? [],
      summary: values.summary ?? "",
      body: values.body ?? "",
      formedDate: values.formedDate,
    };
    const parsed = InfoItemCreateInput.safeParse(input);
    if (!parsed.success) {
      const problems = fieldProblems(parsed.error);
      form.setFields(problems.map((p) => ({ name: p.path, errors: [p.message] })));
      setError(problems.map((p) => p.message).join("；"));
      return;
    }
    setBusy(true);
    try {
      if (item) {
        const { agencyId: _agency, ...patch } = parsed.data;
        await catalogueService.update(item.id, patch);
      } else await catalogueService.create(parsed.data);
      message.success("已保存");
      props.onSaved();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };
  const handleUpload = async (file: File) => {
    if (!item) return false;
    try {
      setItem(await catalogueService.upload(item.id, file));
      message.success("附件已上传");
    } catch (caught) {
      message.error(errorText(caught));
    }
    return false;
  };
  return (
    <Drawer
      open
      width={720}
      title={item ? `编辑：${item.title}` : "新建主动公开信息"}
      onClose={props.onClose}
      extra={
        access.canEditCatalogue && (
          <Button type="primary" loading={busy} onClick={handleSave}>
            保存
          </Button>
        )
      }
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={initial}>
        <Form.Item label="标题" name="title">
          <Input />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item label="文号" name="docNumber">
              <Input placeholder="如 某府发〔2025〕1号" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label="成文日期" name="formedDate">
              <Input type="date" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label="类别" name="category">
              <Select options={categories.map((c) => ({ value: c.key, label: c.label }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label="文件类型" name="docKind">
              <Select options={docKinds.map((k) => ({ value: k, label: docKindLabels[k] }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label="专题" name="topics">
          <Select mode="tags" placeholder="输入后回车添加" />
        </Form.Item>
        <Form.Item label="内容概述" name="summary">
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item label="正文（支持 Markdown）" name="body">
          <Input.TextArea rows={10} />
        </Form.Item>
      </Form>
      {item && (
        <Card size="small" title="附件">
          {item.attachments.map((a) => (
            <div key={a.id}>
              <a href={api.url(catalogueApi.attachment, { params: { id: item.id, attachmentId: a.id } })}>
                {a.name}
              </a>
              （{(a.size / 1024).toFixed(1)} KB）
            </div>
          ))}
          <Upload showUploadList={false} beforeUpload={handleUpload}>
            <Button icon={<UploadOutlined />} style={{ marginTop: 8 }}>
              上传附件
            </Button>
          </Upload>
        </Card>
      )}
    </Drawer>
  );
}
