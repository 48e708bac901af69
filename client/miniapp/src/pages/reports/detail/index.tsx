/**
 * One annual report: the narrative (一、五、六) and tables 二、三、四 in the official layout
 * (grouped headers, 三、本年度办理结果 and the group labels) in horizontally scrolling blocks with a
 * sticky first column, so they stay readable at 320 px.
 */
import { reportsApi } from "@govinfo/shared/api/routes/reports";
import { Text, View } from "@tarojs/components";
import Taro, { useRouter, useShareAppMessage } from "@tarojs/taro";
import { useEffect } from "react";
import { api } from "../../../api";
import { PageShell } from "../../../components/PageShell";
import { useLoader } from "../../../hooks/useLoader";
import { narrative, type PublicReport, reportTables } from "../../../logic/reportTables";
import { ReportGrid } from "./ReportGrid";
import "./index.scss";

/** The report page. */
export default function ReportDetailPage() {
  const { params } = useRouter();
  const code = decodeURIComponent(params.code ?? "");
  const year = params.year ?? "";
  const report = useLoader(
    api,
    // The public JSON is served bare (open data), not inside the API envelope.
    async () => {
      const response = await Taro.request<PublicReport>({
        url: api.url(reportsApi.publicOne, { params: { agencyCode: code, year: `${year}.json` } }),
        method: "GET",
      });
      if (response.statusCode !== 200) throw new Error("该年度报告尚未发布");
      return response.data;
    },
    [code, year],
  );
  const data = report.data;
  const title = data ? `${data.agency.name}${data.year}年政府信息公开工作年度报告` : "年度报告";
  useEffect(() => {
    if (data) Taro.setNavigationBarTitle({ title: `${data.year}年度报告` });
  }, [data]);
  useShareAppMessage(() => ({ title, path: `/pages/reports/detail/index?code=${code}&year=${year}` }));
  const sections = data ? narrative(data) : [];
  const tables = data ? reportTables(data) : [];
  const overview = sections.filter((s) => s.title.startsWith("一"));
  const rest = sections.filter((s) => !s.title.startsWith("一"));

  const renderSection = (section: (typeof sections)[number]) => (
    <View key={section.title} className="card">
      <Text className="section-title">{section.title}</Text>
      {section.paragraphs.map((p) => (
        <View key={p.key} className="report-paragraph">
          {p.heading ? <Text className="report-heading">{p.heading}</Text> : null}
          <Text>{p.text}</Text>
        </View>
      ))}
    </View>
  );

  return (
    <PageShell isLoading={report.isLoading} error={report.error} onRetry={report.reload}>
      {data ? (
        <View>
          <Text className="report-title">{title}</Text>
          {overview.map(renderSection)}
          {tables.map((table) => (
            <View key={table.key} className={`card report-table-card report-table-${table.key}`}>
              <Text className="section-title">{table.title}</Text>
              <Text className="muted">左右滑动查看全部列</Text>
              <ReportGrid table={table} />
            </View>
          ))}
          {rest.map(renderSection)}
        </View>
      ) : null}
    </PageShell>
  );
}
