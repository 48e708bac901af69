/**
 * 系统 › 机关: the agencies the staff member works for as a tree; adding a child agency and editing
 * the letterhead, the serial prefix and the 行政复议机关 named in letters (derived from the tree and
 * level, overridable by the agency's administrator) and the sign-off setting (which replies need
 * 拟办、审核 and 签发), where the server's abilities allow it.
 */

import { signOffStepKeys, signOffStepLabels } from "@govinfo/shared/lifecycle/machine";
import {
  AgencyCreateInput,
  type AgencyNodeDto,
  AgencyUpdateInput,
  agencyLevelLabels,
} from "@govinfo/shared/schemas/agency";
import { replyOutcomeKeys } from "@govinfo/shared/schemas/requestEvent";
import { outcomeGroups } from "@govinfo/shared/stats/keys";
import { Alert, App, Button, Checkbox, Form, Input, Modal, Select, Space, Table, Tag, Tooltip } from "antd";
import { useState } from "react";
import { fieldsOrErrorText } from "../../components/formErrors.ts";
import { PageShell } from "../../components/PageShell.tsx";
import { useSubmit } from "../../hooks/useSubmit.ts";
import { useAsync } from "../../hooks.ts";
import { systemService } from "./service.ts";

type Dialog = { kind: "child"; parent: AgencyNodeDto } | { kind: "edit"; agency: AgencyNodeDto };

/** The agencies tab. */
export function AgenciesTab() {
  const { message } = App.useApp();
  const tree = useAsync(() => systemService.agencyTree(), []);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  return (
    <PageShell {...tree} onRetry={tree.reload} isEmpty={(d) => d.length === 0} emptyText="暂无机关">
      {(data) => (
        <>
          <Table<AgencyNodeDto>
            rowKey="id"
            size="small"
            dataSource={strip(data)}
            pagination={false}
            expandable={{ defaultExpandAllRows: true }}
            columns={[
              { title: "机关名称", dataIndex: "name" },
              { title: "代码", dataIndex: "code" },
              { title: "层级", render: (_, a) => agencyLevelLabels[a.level] },
              { title: "申请编号前缀", render: (_, a) => a.serialPrefix || "—" },
              {
                title: "文书抬头",
                render: (_, a) =>
                  [a.letterhead.title, a.letterhead.address, a.letterhead.phone, a.letterhead.postcode]
                    .filter(Boolean)
                    .join(" · ") || "—",
              },
              {
                title: "行政复议机关",
                render: (_, a) => (
                  <Tooltip title={a.reviewBody.rule}>
                    <span data-testid={`review-body-${a.code}`}>
                      {a.reviewBody.name ?? "未能从机关树确定，请指定"}
                    </span>{" "}
                    {a.reviewBody.overrideName ? (
                      <Tag color="blue">已指定</Tag>
                    ) : (
                      <Tag>{a.verticallyManaged ? "垂直领导·自动" : "自动"}</Tag>
                    )}
                  </Tooltip>
                ),
              },
              {
                title: "操作",
                render: (_, a) => (
                  <Space size={0}>
                    {a.abilities.canAddChild && (
                      <Button
                        type="link"
                        size="small"
                        onClick={() => setDialog({ kind: "child", parent: a })}
                      >
                        新增下级机关
                      </Button>
                    )}
                    {a.abilities.canEdit && (
                      <Button type="link" size="small" onClick={() => setDialog({ kind: "edit", agency: a })}>
                        编辑
                      </Button>
                    )}
                  </Space>
                ),
              },
            ]}
          />
          {dialog && (
            <AgencyDialog
              dialog={dialog}
              onClose={() => setDialog(null)}
              onSaved={() => {
                setDialog(null);
                message.success("已保存");
                tree.reload();
              }}
            />
          )}
        </>
      )}
    </PageShell>
  );
}

/** antd shows an expander for `children: []`; leaves get none. */
function strip(nodes: AgencyNodeDto[]): AgencyNodeDto[] {
  return nodes.map((node) =>
    node.children.length > 0
      ? { ...node, children: strip(node.children) }
      : ({ ...node, children: undefined } as unknown as AgencyNodeDto),
  );
}

function AgencyDialog({ dialog, onClose, onSaved }: { dialog: Dialog; onClose(): void; onSaved(): void }) {
  const [form] = Form.useForm();
  const { busy, error, setError, submit } = useSubmit();
  const isChild = dialog.kind === "child";
  const initial = isChild
    ? { level: "department", verticallyManaged: false }
    : {
        serialPrefix: dialog.agency.serialPrefix,
        letterhead: dialog.agency.letterhead,
        verticallyManaged: dialog.agency.verticallyManaged,
        reviewBodyName: dialog.agency.reviewBody.overrideName,
        signOffPolicy: dialog.agency.signOffPolicy,
        staffNotify: dialog.agency.staffNotify ?? { quietStart: "", quietEnd: "", wechatTemplateId: "" },
      };
  const handleOk = async () => {
    const values = await form.validateFields();
    const parsed = isChild
      ? AgencyCreateInput.safeParse({ ...values, parentId: dialog.parent.id })
      : AgencyUpdateInput.safeParse(values);
    if (!parsed.success) {
      setError(parsed.error.issues.map((i) => i.message).join("；"));
      return;
    }
    await submit(async () => {
      if (dialog.kind === "child") await systemService.createAgency(parsed.data as AgencyCreateInput);
      else await systemService.updateAgency(dialog.agency.id, parsed.data as AgencyUpdateInput);
      onSaved();
    }, fieldsOrErrorText);
  };
  return (
    <Modal
      open
      title={
        dialog.kind === "child" ? `新增下级机关（${dialog.parent.name}）` : `编辑机关：${dialog.agency.name}`
      }
      okText="保存"
      cancelText="取消"
      onOk={handleOk}
      onCancel={onClose}
      confirmLoading={busy}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={initial}>
        {isChild && (
          <>
            <Form.Item name="name" label="机关名称" rules={[{ required: true, message: "请填写机关名称" }]}>
              <Input />
            </Form.Item>
            <Form.Item name="code" label="机关代码" rules={[{ required: true, message: "请填写机关代码" }]}>
              <Input placeholder="如 HDSJTJ" />
            </Form.Item>
            <Form.Item name="level" label="层级">
              <Select
                options={Object.entries(agencyLevelLabels).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
          </>
        )}
        <Form.Item name="serialPrefix" label="申请编号前缀">
          <Input placeholder="如 海交（编号为 海交依申〔2025〕1号）" />
        </Form.Item>
        <Form.Item name={["letterhead", "title"]} label="文书抬头">
          <Input />
        </Form.Item>
        <Form.Item name={["letterhead", "address"]} label="地址">
          <Input />
        </Form.Item>
        <Form.Item name={["letterhead", "phone"]} label="电话">
          <Input />
        </Form.Item>
        <Form.Item name={["letterhead", "postcode"]} label="邮政编码">
          <Input />
        </Form.Item>
        <Form.Item name="verticallyManaged" valuePropName="checked">
          <Checkbox>
            实行垂直领导（海关、金融、外汇管理、税务、国家安全机关等，复议机关为上一级主管部门）
          </Checkbox>
        </Form.Item>
        {!isChild && (
          <Form.Item
            name="reviewBodyName"
            label="行政复议机关（答复告知书中告知的复议机关）"
            extra={`按机关树自动确定：${dialog.agency.reviewBody.derivedName ?? "未能确定"}（${dialog.agency.reviewBody.rule}）。留空则使用自动确定的机关。`}
          >
            <Input placeholder={dialog.agency.reviewBody.derivedName ?? "如 某市人民政府"} />
          </Form.Item>
        )}
        {!isChild && (
          <fieldset data-testid="signoff-policy" style={{ border: 0, padding: 0, margin: 0 }}>
            <legend style={{ fontSize: 14, marginBottom: 8 }}>
              审核签发设置：作出答复前须经的环节（按办理结果分类）
            </legend>
            {outcomeGroups
              .filter((group) =>
                group.keys.some((key) => (replyOutcomeKeys as readonly string[]).includes(key)),
              )
              .map((group) => (
                <Form.Item
                  key={group.key}
                  name={["signOffPolicy", group.key]}
                  label={group.label.replace(/（区分处理.*$/, "")}
                >
                  <Select
                    aria-label={`${group.label}的审核签发环节`}
                    options={signOffStepKeys.map((value) => ({ value, label: signOffStepLabels[value] }))}
                  />
                </Form.Item>
              ))}
          </fieldset>
        )}
        {!isChild && (
          <Form.Item
            label="工作人员提醒的免打扰时段（催办、超期预警的短信和微信在此时段内暂缓发送）"
            extra="北京时间，如 22:00 至 08:00；留空则不设免打扰时段。站内提醒不受影响。"
          >
            <Space>
              <Form.Item name={["staffNotify", "quietStart"]} noStyle>
                <Input aria-label="免打扰开始时间" placeholder="22:00" style={{ width: 100 }} />
              </Form.Item>
              至
              <Form.Item name={["staffNotify", "quietEnd"]} noStyle>
                <Input aria-label="免打扰结束时间" placeholder="08:00" style={{ width: 100 }} />
              </Form.Item>
            </Space>
          </Form.Item>
        )}
        {!isChild && (
          <Form.Item name={["staffNotify", "wechatTemplateId"]} label="工作人员提醒的微信订阅消息模板编号">
            <Input />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
