/**
 * 系统: users and roles, the agency tree, the audit log and the holiday calendar. The users and
 * audit tabs show for agency administrators and supervisors; every button inside follows the
 * abilities the server returns.
 */
import { Tabs, Typography } from "antd";
import { useSession } from "../../session.tsx";
import { AgenciesTab } from "./AgenciesTab.tsx";
import { AuditTab } from "./AuditTab.tsx";
import { CalendarTab } from "./CalendarTab.tsx";
import { UsersTab } from "./UsersTab.tsx";

/** The system page. */
export function SystemPage({ tab }: { tab?: string | undefined }) {
  const { access } = useSession();
  const items = [
    ...(access.canManageUsers ? [{ key: "users", label: "用户与角色", children: <UsersTab /> }] : []),
    { key: "agencies", label: "机关", children: <AgenciesTab /> },
    ...(access.canReadAudit ? [{ key: "audit", label: "审计日志", children: <AuditTab /> }] : []),
    { key: "calendar", label: "节假日", children: <CalendarTab /> },
  ];
  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        系统
      </Typography.Title>
      <Tabs
        destroyInactiveTabPane
        items={items}
        {...(tab && items.some((i) => i.key === tab) ? { defaultActiveKey: tab } : {})}
      />
    </>
  );
}
