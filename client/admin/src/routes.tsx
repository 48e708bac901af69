/**
 * The route table: path pattern, menu name, icon and the access key that shows it.
 */
import {
  AuditOutlined,
  BookOutlined,
  DashboardOutlined,
  EyeOutlined,
  FileSearchOutlined,
  FileTextOutlined,
  SettingOutlined,
  TableOutlined,
  UserOutlined,
} from "@ant-design/icons";
import { lazy, type ReactNode } from "react";
import type { AccessKey } from "./access.ts";

// Each page is its own chunk, loaded on first visit: staff who never open 年度报告 never download it.
const CataloguePage = lazy(() =>
  import("./pages/catalogue/index.tsx").then((m) => ({ default: m.CataloguePage })),
);
const DashboardPage = lazy(() =>
  import("./pages/dashboard/index.tsx").then((m) => ({ default: m.DashboardPage })),
);
const SupervisorOverview = lazy(() =>
  import("./pages/dashboard/SupervisorOverview.tsx").then((m) => ({ default: m.SupervisorOverview })),
);
const LedgerPage = lazy(() => import("./pages/ledger/index.tsx").then((m) => ({ default: m.LedgerPage })));
const ReportsPage = lazy(() => import("./pages/reports/index.tsx").then((m) => ({ default: m.ReportsPage })));
const RequestDetailPage = lazy(() =>
  import("./pages/request-detail/index.tsx").then((m) => ({ default: m.RequestDetailPage })),
);
const RequestsPage = lazy(() =>
  import("./pages/requests/index.tsx").then((m) => ({ default: m.RequestsPage })),
);
const ReviewCasesPage = lazy(() =>
  import("./pages/review-cases/index.tsx").then((m) => ({ default: m.ReviewCasesPage })),
);
const SystemPage = lazy(() => import("./pages/system/index.tsx").then((m) => ({ default: m.SystemPage })));

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
    path: "overview",
    name: "监督概览",
    icon: <EyeOutlined />,
    access: "canSupervise",
    render: () => <SupervisorOverview />,
  },
  {
    path: "mine",
    name: "我的申请",
    icon: <UserOutlined />,
    access: "canHandle",
    render: ({ query }) => <RequestsPage query={query} mine />,
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
    render: ({ query }) => <SystemPage tab={query.tab} />,
  },
];
