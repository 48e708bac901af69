/**
 * The 公开目录 tab: search, the catalogue's categories, the annual reports and the newest items, with
 * the way to the whole catalogue.
 */
import { catalogueApi } from "@govinfo/shared/api/routes/catalogue";
import { Text, View } from "@tarojs/components";
import Taro, { useShareAppMessage } from "@tarojs/taro";
import { api } from "../../api";
import { CatalogueNav } from "../../components/CatalogueNav";
import { PageShell } from "../../components/PageShell";
import { useLoader } from "../../hooks/useLoader";
import { chineseDate } from "../../logic/timeline";
import "./index.scss";

/** The catalogue tab. */
export default function DirectoryPage() {
  const latest = useLoader(api, (client) => client.call(catalogueApi.items, { query: { limit: 10 } }), []);
  useShareAppMessage(() => ({ title: "政府信息主动公开目录", path: "/pages/directory/index" }));

  return (
    <PageShell>
      <CatalogueNav title="按类别查看" />
      <View className="card directory-links">
        <View
          className="kv directory-all"
          onClick={() => Taro.navigateTo({ url: "/pages/catalogue/list/index" })}
        >
          <Text className="kv-value link">全部主动公开信息</Text>
        </View>
        <View className="kv" onClick={() => Taro.navigateTo({ url: "/pages/reports/list/index" })}>
          <Text className="kv-value link">政府信息公开工作年度报告</Text>
        </View>
      </View>
      <Text className="section-title">最新公开</Text>
      <PageShell
        isLoading={latest.isLoading}
        error={latest.error}
        isEmpty={latest.data?.items.length === 0}
        emptyText="暂无公开信息"
        onRetry={latest.reload}
      >
        {(latest.data?.items ?? []).map((item) => (
          <View
            key={item.id}
            className="card directory-item"
            onClick={() => Taro.navigateTo({ url: `/pages/catalogue/item/index?id=${item.id}` })}
          >
            <Text className="card-title">{item.title}</Text>
            <Text className="muted">
              {item.categoryLabel} · {chineseDate(item.publishedDate ?? item.formedDate)}
            </Text>
          </View>
        ))}
      </PageShell>
    </PageShell>
  );
}
