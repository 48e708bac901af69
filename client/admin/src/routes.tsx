/**
 * The route table: path pattern, menu name, icon and the access key that shows it.
 */
import {
  AuditOutlined,
  BookOutlined,
  DashboardOutlined,
  FileSearchOutlined,
  FileTextOutlined,
  SettingOutlined,
  TableOutlined,
} from "@ant-design/icons";
import type { ReactNode } from "react";
import type { AccessKey } from "./access.ts";
import { CataloguePage } from "./pages/catalogue/index.tsx";
import { DashboardPage } from "./pages/dashboard/index.tsx";
import { LedgerPage } from "./pages/ledger/index.tsx";
import { ReportsPage } from "./pages/reports/index.tsx";
import { RequestDetailPage } from "./pages/request-detail/index.tsx";
import { RequestsPage } from "./pages/requests/index.tsx";
import { ReviewCasesPage } from "./pages/review-cases/index.tsx";
import { SystemPage } from "./pages/system/index.tsx";

/** One route. */
export interface RouteDef {
  /** First path segment ("" for the dashboard). */
  path: string;
  name: string;
  icon: ReactNode;
  access: AccessKey;
  /** Hidden routes (detail pages) are reachable but not in the menu. */
  hideInMenu?: boolean;
  render(params: { segments: string[]; query: Record<string, string> }): ReactNode;
}

/** Every page of the admin. */
export const routes: RouteDef[] = [
  {
    path: "",
    name: "工作台",
    icon: <DashboardOutlined />,
    access: "canSeeRequests",
    render: () => <DashboardPage />,
  },
  {
    path: "requests",
    name: "申请办理",
    icon: <FileSearchOutlined />,
    access: "canSeeRequests",
    render: ({ segments, query }) =>
      segments[1] ? <RequestDetailPage id={segments[1]} /> : <RequestsPage query={query} />,
  },
  {
    path: "catalogue",
    name: "主动公开",
    icon: <BookOutlined />,
    access: "canSeeRequests",
    render: () => <CataloguePage />,
  },
  {
    path: "reports",
    name: "年度报告",
    icon: <FileTextOutlined />,
    access: "canReadReports",
    render: ({ query }) => <ReportsPage year={query.year} />,
  },
  {
    path: "review-cases",
    name: "复议诉讼",
    icon: <AuditOutlined />,
    access: "canReadReviewCases",
    render: () => <ReviewCasesPage />,
  },
  {
    path: "ledger",
    name: "台账",
    icon: <TableOutlined />,
    access: "canExportLedger",
    render: () => <LedgerPage />,
  },
  {
    path: "system",
    name: "系统",
    icon: <SettingOutlined />,
    access: "canSeeRequests",
    render: () => <SystemPage />,
  },
];
