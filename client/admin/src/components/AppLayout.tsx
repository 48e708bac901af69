/**
 * The signed-in frame: side menu from the route table filtered by access, the agency switcher and
 * the user menu; the page renders inside an ErrorBoundary.
 */
import { LogoutOutlined, UserOutlined } from "@ant-design/icons";
import { authApi } from "@govinfo/shared/api/routes/auth";
import { staffRoleLabels } from "@govinfo/shared/schemas/auth";
import type { StaffContactDto } from "@govinfo/shared/schemas/user";
import { App, Button, Layout, Menu, Result, Select, Space, Spin, Tag, Typography } from "antd";
import { Suspense, useState } from "react";
import { api } from "../api.ts";
import { navigate, useHashLocation } from "../hooks.ts";
import { routes } from "../routes.tsx";
import { useSession } from "../session.tsx";
import { CalendarBanner } from "./CalendarBanner.tsx";
import { ErrorBoundary } from "./ErrorBoundary.tsx";
import { errorText } from "./PageShell.tsx";
import { StaffContactDialog } from "./StaffContactDialog.tsx";

/** The layout with the current page. */
export function AppLayout() {
  const { me, access, agencyId, setAgencyId, logout } = useSession();
  const location = useHashLocation();
  const first = location.segments[0] ?? "";
  const visible = routes.filter((route) => access[route.access] && !route.hideInMenu);
  const route = routes.find((r) => r.path === first);
  const allowed = route && access[route.access];
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Sider width={208} theme="dark" breakpoint="lg" collapsedWidth={0}>
        <div style={{ color: "#fff", padding: "18px 16px", fontWeight: 600, fontSize: 15, lineHeight: 1.4 }}>
          政府信息公开
          <br />
          <span style={{ fontWeight: 400, fontSize: 12, opacity: 0.75 }}>工作人员办理平台</span>
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[first]}
          items={visible.map((r) => ({ key: r.path, icon: r.icon, label: r.name }))}
          onClick={({ key }) => navigate(`/${key}`)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: "#fff",
            padding: "0 24px",
            display: "flex",
            alignItems: "center",
            justifyContent: "space-between",
            borderBottom: "1px solid #f0f0f0",
          }}
        >
          <Space>
            <Typography.Text type="secondary">当前机关</Typography.Text>
            {access.agencies.length > 1 ? (
              <Select
                style={{ minWidth: 220 }}
                value={agencyId}
                onChange={setAgencyId}
                options={access.agencies.map((a) => ({ value: a.agencyId, label: a.agencyName }))}
                aria-label="切换机关"
              />
            ) : (
              <Typography.Text strong>{access.current?.agencyName}</Typography.Text>
            )}
            {access.current?.roles.map((role) => (
              <Tag key={role}>{staffRoleLabels[role]}</Tag>
            ))}
          </Space>
          <Space>
            <UserOutlined />
            <span>{me.displayName}</span>
            <MyAccount />
            <Button type="text" icon={<LogoutOutlined />} onClick={logout}>
              退出登录
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <CalendarBanner canEdit={access.canEditCalendar} />
          <ErrorBoundary resetKey={location.path}>
            {allowed ? (
              <div key={agencyId}>
                <Suspense fallback={<Spin style={{ display: "block", margin: "64px auto" }} />}>
                  {route.render({ segments: location.segments, query: location.query })}
                </Suspense>
              </div>
            ) : (
              <Result status="404" title="页面不存在或您无权访问" />
            )}
          </ErrorBoundary>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/** 我的账号: the person's own mobile and WeChat for 催办 and 超期预警. */
function MyAccount() {
  const { message } = App.useApp();
  const [current, setCurrent] = useState<StaffContactDto | null>(null);
  const [open, setOpen] = useState(false);
  const handleOpen = async () => {
    try {
      setCurrent(await api.call(authApi.myContact));
      setOpen(true);
    } catch (error) {
      message.error(errorText(error));
    }
  };
  return (
    <>
      <Button type="text" onClick={handleOpen}>
        我的账号
      </Button>
      {open && (
        <StaffContactDialog
          title="我的账号：接收催办、超期预警的手机号码和微信"
          current={current}
          onSave={async (input) => {
            await api.call(authApi.updateMyContact, { body: input });
            message.success("已保存");
          }}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}
