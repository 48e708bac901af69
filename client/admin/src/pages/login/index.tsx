/**
 * 登录: username and password; wrong password, lockout (with the time it ends) and rate limits are
 * shown as the server words them.
 */

import { LockOutlined, UserOutlined } from "@ant-design/icons";
import { authApi } from "@govinfo/shared/api/routes/auth";
import type { StaffMe } from "@govinfo/shared/schemas/auth";
import { StaffLoginInput } from "@govinfo/shared/schemas/auth";
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { ApiError, api } from "../../api.ts";
import { useSubmit } from "../../hooks/useSubmit.ts";

/** The login page. */
export function LoginPage({ onLogin }: { onLogin(me: StaffMe): void }) {
  const { busy, error, setError, submit } = useSubmit();
  const handleFinish = async (values: { username: string; password: string }) => {
    const parsed = StaffLoginInput.safeParse(values);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? "请填写用户名和密码");
      return;
    }
    await submit(async () => {
      onLogin(await api.call(authApi.staffLogin, { body: parsed.data }));
    }, loginErrorText);
  };
  return (
    <div
      style={{
        minHeight: "100vh",
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        background: "linear-gradient(135deg, #7f0000 0%, #b71c1c 45%, #f5f5f5 45%)",
      }}
    >
      <Card style={{ width: 400, boxShadow: "0 8px 24px rgba(0,0,0,0.15)" }}>
        <Typography.Title level={3} style={{ textAlign: "center", marginBottom: 4 }}>
          政府信息公开工作平台
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: "center" }}>
          工作人员登录
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={handleFinish} requiredMark={false}>
          <Form.Item label="用户名" name="username" rules={[{ required: true, message: "请输入用户名" }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: "请输入密码" }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}

/** The message for a failed login; a lockout says until when. */
export function loginErrorText(error: unknown): string {
  if (!(error instanceof ApiError)) return "登录失败，请稍后重试";
  const lockedUntil = (error.details as { lockedUntil?: string } | undefined)?.lockedUntil;
  if (lockedUntil) {
    const time = new Date(lockedUntil).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
    return `${error.message}（账号锁定至 ${time}）`;
  }
  if (error.code === "rate_limited") return `${error.message}`;
  return error.message;
}
