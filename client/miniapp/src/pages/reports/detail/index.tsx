/**
 * One annual report: the narrative (一、五、六) and tables 二、三、四 in horizontally scrolling
 * blocks with a sticky first column, so they stay readable at 320 px.
 */
import { Text, View } from "@tarojs/components";
import Taro, { useRouter, useShareAppMessage } from "@tarojs/taro";
import { useEffect } from "react";
import { api } from "../../../api";
import { PageShell } from "../../../components/PageShell";
import { useLoader } from "../../../hooks/useLoader";
import { narrative, type PublicReport, reportTables } from "../../../logic/reportTables";
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
        url: `${API_BASE}/reports/public/${encodeURIComponent(code)}/${year}.json`,
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
            <View key={table.title} className="card report-table-card">
              <Text className="section-title">{table.title}</Text>
              <Text className="muted">左右滑动查看全部列</Text>
              <View className="report-scroll">
                <View className="report-table">
                  <View className="report-tr report-th">
                    {table.header.map((h, i) => (
                      <View key={h} className={i === 0 ? "report-td report-first" : "report-td"}>
                        <Text>{h}</Text>
                      </View>
                    ))}
                  </View>
                  {table.rows.map((row) => (
                    <View key={row[0]} className="report-tr">
                      {row.map((value, i) => (
                        <View
                          key={table.header[i] ?? value}
                          className={i === 0 ? "report-td report-first" : "report-td report-num"}
                        >
                          <Text>{value}</Text>
                        </View>
                      ))}
                    </View>
                  ))}
                </View>
              </View>
            </View>
          ))}
          {rest.map(renderSection)}
        </View>
      ) : null}
    </PageShell>
  );
}
