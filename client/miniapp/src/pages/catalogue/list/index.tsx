/**
 * Catalogue list by category or topic, newest first, with infinite scroll (next cursor on reach-bottom).
 */
import type { InfoItemSummaryDTO } from "@govinfo/shared/schemas/catalogue";
import { Text, View } from "@tarojs/components";
import Taro, { useReachBottom, useRouter } from "@tarojs/taro";
import { useEffect } from "react";
import { api } from "../../../api";
import { PageShell } from "../../../components/PageShell";
import { usePages } from "../../../hooks/useLoader";
import { chineseDate } from "../../../logic/timeline";
import "./index.scss";

/** The catalogue list page. */
export default function CatalogueListPage() {
  const { params } = useRouter();
  const category = params.category ? decodeURIComponent(params.category) : undefined;
  const topic = params.topic ? decodeURIComponent(params.topic) : undefined;
  const title = params.title ? decodeURIComponent(params.title) : (topic ?? "主动公开目录");
  useEffect(() => {
    Taro.setNavigationBarTitle({ title });
  }, [title]);
  const list = usePages(
    api,
    (client, cursor) =>
      client.get<{ items: InfoItemSummaryDTO[]; nextCursor: string | null }>("/catalogue/items", {
        category,
        topic,
        cursor,
        limit: 20,
      }),
    [category, topic],
  );
  useReachBottom(() => list.loadMore());

  return (
    <PageShell
      isLoading={list.isLoading}
      error={list.error}
      isEmpty={list.data?.length === 0}
      emptyText="该栏目暂无公开信息"
      onRetry={list.reload}
    >
      <Text className="section-title">{title}</Text>
      {(list.data ?? []).map((item) => (
        <View
          key={item.id}
          className="card catalogue-item"
          onClick={() => Taro.navigateTo({ url: `/pages/catalogue/item/index?id=${item.id}` })}
        >
          <Text className="card-title">{item.title}</Text>
          {item.docNumber ? <Text className="muted">{item.docNumber}</Text> : null}
          <View className="row">
            <Text className="muted">
              {chineseDate(item.publishedDate ?? item.formedDate)} · {item.validityLabel}
            </Text>
          </View>
          {item.topics.length > 0 ? (
            <View className="row">
              {item.topics.map((t) => (
                <Text
                  key={t}
                  className="catalogue-topic"
                  onClick={(e) => {
                    e.stopPropagation();
                    Taro.navigateTo({ url: `/pages/catalogue/list/index?topic=${encodeURIComponent(t)}` });
                  }}
                >
                  #{t}
                </Text>
              ))}
            </View>
          ) : null}
        </View>
      ))}
      <Text className="muted list-end">
        {list.isLoadingMore ? "正在加载…" : list.hasMore ? "上滑加载更多" : "已经到底了"}
      </Text>
    </PageShell>
  );
}
