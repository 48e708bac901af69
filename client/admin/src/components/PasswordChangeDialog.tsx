/**
 * First-login password change: a staff member holding a one-time password must choose their own
 * before anything else (the server refuses other calls until then).
 */
import { authApi } from "@govinfo/shared/api/routes/auth";
import { PasswordChangeInput } from "@govinfo/shared/schemas/user";
import { Alert, Form, Input, Modal } from "antd";
import { api } from "../api.ts";
import { useSubmit } from "../hooks/useSubmit.ts";
import { fieldProblems } from "./formErrors.ts";
import { errorText } from "./PageShell.tsx";

/** The blocking dialog; `onChanged` runs once the server accepted the new password. */
export function PasswordChangeDialog({ onChanged, onLogout }: { onChanged(): void; onLogout(): void }) {
  const [form] = Form.useForm();
  const { busy, error, submit } = useSubmit();
  const handleOk = async () => {
    const values = (await form.validateFields()) as {
      currentPassword: string;
      newPassword: string;
      confirm: string;
    };
    if (values.newPassword !== values.confirm) {
      form.setFields([{ name: "confirm", errors: ["两次输入的新密码不一致"] }]);
      return;
    }
    const parsed = PasswordChangeInput.safeParse(values);
    const problems = parsed.success ? [] : fieldProblems(parsed.error);
    if (!parsed.success) {
      form.setFields(problems.map((p) => ({ name: p.path, errors: [p.message] })));
      return;
    }
    await submit(
      async () => {
        await api.call(authApi.changePassword, { body: parsed.data });
        onChanged();
      },
      (caught) => {
        const fields = fieldProblems(caught);
        if (fields.length === 0) return errorText(caught);
        form.setFields(fields.map((p) => ({ name: p.path, errors: [p.message] })));
        return null;
      },
    );
  };
  return (
    <Modal
      open
      title="请修改初始密码"
      okText="修改密码"
      cancelText="退出登录"
      closable={false}
      maskClosable={false}
      keyboard={false}
      onOk={handleOk}
      onCancel={onLogout}
      confirmLoading={busy}
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        message="您正在使用管理员发放的一次性密码，请先设置自己的密码（至少 10 位，须同时包含字母和数字）。"
      />
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical">
        <Form.Item
          name="currentPassword"
          label="当前密码（一次性密码）"
          rules={[{ required: true, message: "请输入当前密码" }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label="新密码" rules={[{ required: true, message: "请输入新密码" }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="确认新密码"
          rules={[{ required: true, message: "请再次输入新密码" }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
