/**
 * 最新公开: the newest published catalogue items, each opening its page (home and the 公开目录 tab).
 */
import { catalogueApi } from "@govinfo/shared/api/routes/catalogue";
import { Text, View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { api } from "../api";
import { useLoader } from "../hooks/useLoader";
import { chineseDate } from "../logic/timeline";
import { PageShell } from "./PageShell";

/** The section title and the `limit` newest items; `itemClassName` is the page's style for a row. */
export function LatestItems({ limit, itemClassName }: { limit: number; itemClassName: string }) {
  const latest = useLoader(api, (client) => client.call(catalogueApi.items, { query: { limit } }), [limit]);
  return (
    <>
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
            className={`card ${itemClassName}`}
            onClick={() => Taro.navigateTo({ url: `/pages/catalogue/item/index?id=${item.id}` })}
          >
            <Text className="card-title">{item.title}</Text>
            <Text className="muted">
              {item.categoryLabel} · {chineseDate(item.publishedDate ?? item.formedDate)}
            </Text>
          </View>
        ))}
      </PageShell>
    </>
  );
}
