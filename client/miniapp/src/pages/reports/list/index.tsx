/**
 * Published 政府信息公开工作年度报告, grouped by year (newest first), each with its agency.
 */
import { reportsApi } from "@govinfo/shared/api/routes/reports";
import { Text, View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { api } from "../../../api";
import { PageShell } from "../../../components/PageShell";
import { useLoader } from "../../../hooks/useLoader";

/** The reports list page. */
export default function ReportsListPage() {
  const list = useLoader(api, (client) => client.call(reportsApi.publicList), []);
  const byYear = new Map<number, { code: string; name: string; revision: number }[]>();
  for (const agency of list.data ?? []) {
    for (const report of agency.reports) {
      const entries = byYear.get(report.year) ?? [];
      entries.push({ code: agency.code, name: agency.name, revision: report.revision });
      byYear.set(report.year, entries);
    }
  }
  const years = [...byYear.keys()].sort((a, b) => b - a);
  return (
    <PageShell
      isLoading={list.isLoading}
      error={list.error}
      isEmpty={years.length === 0}
      emptyText="暂无已发布的年度报告"
      onRetry={list.reload}
    >
      {years.map((year) => (
        <View key={year} className="card">
          <Text className="section-title">{year} 年度</Text>
          {(byYear.get(year) ?? []).map((entry) => (
            <View
              key={entry.code}
              className="kv report-entry"
              onClick={() =>
                Taro.navigateTo({
                  url: `/pages/reports/detail/index?code=${encodeURIComponent(entry.code)}&year=${year}`,
                })
              }
            >
              <Text className="kv-value link">
                {entry.name}
                {year}年政府信息公开工作年度报告{entry.revision > 1 ? "（更正版）" : ""}
              </Text>
            </View>
          ))}
        </View>
      ))}
    </PageShell>
  );
}
