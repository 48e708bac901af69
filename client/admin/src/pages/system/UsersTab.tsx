/**
 * 系统 › 用户与角色: the staff of the caller's agencies, creating a user with roles per agency (the
 * one-time password is shown once), changing roles, disabling or enabling, resetting the password.
 * Which agencies appear in the role picker comes from the server (`grantableAgencies`).
 */
import { type StaffRole, staffRoleLabels, staffRoles } from "@govinfo/shared/schemas/auth";
import type {
  GrantableAgencyDto,
  RoleGrantInput,
  UserDto,
  UserWithPasswordDto,
} from "@govinfo/shared/schemas/user";
import { UserCreateInput } from "@govinfo/shared/schemas/user";
import {
  Alert,
  App,
  Button,
  Checkbox,
  Form,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { fieldsOrErrorText } from "../../components/formErrors.ts";
import { errorText, PageShell } from "../../components/PageShell.tsx";
import { StaffContactDialog } from "../../components/StaffContactDialog.tsx";
import { useAction } from "../../hooks/useAction.ts";
import { useSubmit } from "../../hooks/useSubmit.ts";
import { useAsync } from "../../hooks.ts";
import { systemService } from "./service.ts";

type RoleMatrix = Record<string, StaffRole[]>;

const roleOptions = staffRoles.map((role) => ({ value: role, label: staffRoleLabels[role] }));

function grantsOf(matrix: RoleMatrix | undefined): RoleGrantInput[] {
  return Object.entries(matrix ?? {}).flatMap(([agencyId, roles]) =>
    (roles ?? []).map((role) => ({ agencyId, role })),
  );
}

function matrixOf(user: UserDto): RoleMatrix {
  const matrix: RoleMatrix = {};
  for (const grant of user.roles) {
    const roles = matrix[grant.agencyId] ?? [];
    roles.push(grant.role);
    matrix[grant.agencyId] = roles;
  }
  return matrix;
}

/** The users tab. */
export function UsersTab() {
  const { message } = App.useApp();
  const list = useAsync(() => systemService.users(), []);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<UserDto | null>(null);
  const [contactOf, setContactOf] = useState<UserDto | null>(null);
  const [password, setPassword] = useState<UserWithPasswordDto | null>(null);
  const { run } = useAction(list.reload);
  return (
    <PageShell {...list} onRetry={list.reload}>
      {(data) => (
        <>
          <Space style={{ marginBottom: 12 }}>
            {data.abilities.canCreate && (
              <Button type="primary" onClick={() => setCreating(true)}>
                新建用户
              </Button>
            )}
            <Typography.Text type="secondary">
              可管理的机关：{data.grantableAgencies.map((a) => a.name).join("、")}
            </Typography.Text>
          </Space>
          <Table<UserDto>
            rowKey="id"
            size="small"
            dataSource={data.items}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { title: "用户名", dataIndex: "username" },
              { title: "姓名", dataIndex: "displayName" },
              {
                title: "角色",
                render: (_, u) => (
                  <Space size={[0, 4]} wrap>
                    {u.roles.map((r) => (
                      <Tag key={`${r.agencyId}-${r.role}`}>
                        {r.agencyName}·{staffRoleLabels[r.role]}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
              {
                title: "状态",
                render: (_, u) =>
                  u.disabled ? (
                    <Tag color="default">已停用</Tag>
                  ) : u.mustChangePassword ? (
                    <Tag color="orange">待修改初始密码</Tag>
                  ) : (
                    <Tag color="green">正常</Tag>
                  ),
              },
              {
                title: "提醒手机/微信",
                render: (_, u) => (
                  <span data-testid={`contact-${u.username}`}>
                    {u.contact.phoneMasked ?? "—"}
                    {u.contact.wechatOpenidMasked ? <Tag style={{ marginLeft: 4 }}>微信已绑定</Tag> : null}
                  </span>
                ),
              },
              {
                title: "最近登录",
                render: (_, u) =>
                  u.lastLoginAt
                    ? new Date(u.lastLoginAt).toLocaleString("zh-CN", {
                        timeZone: "Asia/Shanghai",
                        hour12: false,
                      })
                    : "—",
              },
              {
                title: "操作",
                render: (_, u) => (
                  <Space size={0}>
                    <Button type="link" size="small" onClick={() => setEditing(u)}>
                      修改角色
                    </Button>
                    <Button type="link" size="small" onClick={() => setContactOf(u)}>
                      手机/微信
                    </Button>
                    <Popconfirm
                      title={u.disabled ? "启用该用户？" : "停用该用户？停用后其所有登录立即失效。"}
                      onConfirm={() =>
                        run(
                          () => systemService.setDisabled(u.id, !u.disabled),
                          u.disabled ? "已启用" : "已停用",
                        )
                      }
                    >
                      <Button type="link" size="small" danger={!u.disabled}>
                        {u.disabled ? "启用" : "停用"}
                      </Button>
                    </Popconfirm>
                    <Popconfirm
                      title="重置密码？原密码和所有登录立即失效。"
                      onConfirm={async () => {
                        try {
                          setPassword(await systemService.resetPassword(u.id));
                          list.reload();
                        } catch (error) {
                          message.error(errorText(error));
                        }
                      }}
                    >
                      <Button type="link" size="small">
                        重置密码
                      </Button>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]}
          />
          {contactOf && (
            <StaffContactDialog
              title={`${contactOf.displayName}接收提醒的手机号码和微信`}
              current={contactOf.contact}
              onSave={async (input) => {
                await systemService.setContact(contactOf.id, input);
                message.success("已保存");
                list.reload();
              }}
              onClose={() => setContactOf(null)}
            />
          )}
          {creating && (
            <CreateUserDialog
              agencies={data.grantableAgencies}
              onClose={() => setCreating(false)}
              onCreated={(result) => {
                setCreating(false);
                setPassword(result);
                list.reload();
              }}
            />
          )}
          {editing && (
            <RolesDialog
              user={editing}
              agencies={data.grantableAgencies}
              onClose={() => setEditing(null)}
              onSaved={() => {
                setEditing(null);
                message.success("角色已更新");
                list.reload();
              }}
            />
          )}
          {password && <PasswordDialog result={password} onClose={() => setPassword(null)} />}
        </>
      )}
    </PageShell>
  );
}

function RoleMatrixFields({ agencies }: { agencies: GrantableAgencyDto[] }) {
  return (
    <>
      {agencies.map((agency) => (
        <Form.Item
          key={agency.id}
          name={["roles", agency.id]}
          label={agency.name}
          style={{ marginBottom: 8 }}
        >
          <Checkbox.Group options={roleOptions} />
        </Form.Item>
      ))}
    </>
  );
}

function CreateUserDialog(props: {
  agencies: GrantableAgencyDto[];
  onClose(): void;
  onCreated(result: UserWithPasswordDto): void;
}) {
  const [form] = Form.useForm();
  const { busy, error, setError, submit } = useSubmit();
  const handleOk = async () => {
    const values = (await form.validateFields()) as {
      username: string;
      displayName: string;
      roles?: RoleMatrix;
    };
    const parsed = UserCreateInput.safeParse({ ...values, roles: grantsOf(values.roles) });
    if (!parsed.success) {
      setError(parsed.error.issues.map((i) => i.message).join("；"));
      return;
    }
    await submit(async () => {
      props.onCreated(await systemService.createUser(parsed.data));
    }, fieldsOrErrorText);
  };
  return (
    <Modal
      open
      title="新建用户"
      okText="创建"
      onOk={handleOk}
      onCancel={props.onClose}
      confirmLoading={busy}
      width={720}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="username" label="用户名" rules={[{ required: true, message: "请填写用户名" }]}>
          <Input placeholder="字母、数字、点、下划线或连字符" autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label="姓名" rules={[{ required: true, message: "请填写姓名" }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Typography.Text strong>各机关的角色</Typography.Text>
        <RoleMatrixFields agencies={props.agencies} />
      </Form>
    </Modal>
  );
}

function RolesDialog(props: {
  user: UserDto;
  agencies: GrantableAgencyDto[];
  onClose(): void;
  onSaved(): void;
}) {
  const [form] = Form.useForm();
  const { busy, error, submit } = useSubmit();
  const handleOk = async () => {
    const values = (await form.validateFields()) as { roles?: RoleMatrix };
    await submit(async () => {
      await systemService.setRoles(props.user.id, grantsOf(values.roles));
      props.onSaved();
    });
  };
  return (
    <Modal
      open
      title={`修改角色：${props.user.displayName}（${props.user.username}）`}
      okText="保存"
      onOk={handleOk}
      onCancel={props.onClose}
      confirmLoading={busy}
      width={720}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ roles: matrixOf(props.user) }}>
        <RoleMatrixFields agencies={props.agencies} />
      </Form>
    </Modal>
  );
}

function PasswordDialog({ result, onClose }: { result: UserWithPasswordDto; onClose(): void }) {
  return (
    <Modal
      open
      title="一次性密码"
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          我已记下
        </Button>
      }
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 12 }}
        message="此密码只显示这一次，请当面或通过安全渠道告知本人；首次登录后须修改密码。"
      />
      <p>
        用户：{result.user.displayName}（{result.user.username}）
      </p>
      <Typography.Paragraph>
        一次性密码：
        <Typography.Text code copyable data-testid="one-time-password" style={{ fontSize: 18 }}>
          {result.oneTimePassword}
        </Typography.Text>
      </Typography.Paragraph>
    </Modal>
  );
}
