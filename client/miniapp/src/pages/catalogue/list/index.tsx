/**
 * Catalogue list by category or topic, newest first, with infinite scroll (next cursor on reach-bottom),
 * filtered by 发布机构, year and category (the list API's own filters).
 */
import { catalogueApi } from "@govinfo/shared/api/routes/catalogue";
import { categories } from "@govinfo/shared/catalogue/categories";
import type { InfoItemSummaryDTO } from "@govinfo/shared/schemas/catalogue";
import { Text, View } from "@tarojs/components";
import Taro, { useReachBottom, useRouter } from "@tarojs/taro";
import { type ReactNode, useEffect, useState } from "react";
import { api } from "../../../api";
import { PageShell } from "../../../components/PageShell";
import { useLoader, usePages } from "../../../hooks/useLoader";
import { chineseDate } from "../../../logic/timeline";
import "./index.scss";

/** The catalogue list page. */
export default function CatalogueListPage() {
  const { params } = useRouter();
  const topic = params.topic ? decodeURIComponent(params.topic) : undefined;
  const [category, setCategory] = useState(params.category ? decodeURIComponent(params.category) : undefined);
  // The title follows the category filter once the citizen changes it.
  const title = topic ?? categories.find((c) => c.key === category)?.label ?? "主动公开目录";
  const [agency, setAgency] = useState<string | undefined>(undefined);
  const [year, setYear] = useState<number | undefined>(undefined);
  const [isFilterOpen, setFilterOpen] = useState(false);
  useEffect(() => {
    Taro.setNavigationBarTitle({ title });
  }, [title]);
  const agencies = useLoader(api, (client) => client.call(catalogueApi.agencies), []);
  const list = usePages(
    api,
    (client, cursor) =>
      client.call(catalogueApi.items, { query: { category, topic, agency, year, cursor, limit: 20 } }),
    [category, topic, agency, year],
  );
  useReachBottom(() => list.loadMore());
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: 6 }, (_, i) => thisYear - i);
  const chosen = [
    agencies.data?.find((a) => a.id === agency)?.name,
    year ? `${year}年` : undefined,
    categories.find((c) => c.key === category)?.label,
  ].filter(Boolean);

  return (
    <PageShell>
      <Text className="section-title">{title}</Text>
      <View className="card catalogue-filter">
        <View className="row catalogue-filter-head" onClick={() => setFilterOpen(!isFilterOpen)}>
          <Text>筛选：{chosen.length > 0 ? chosen.join(" · ") : "全部机关 · 全部年份 · 全部栏目"}</Text>
          <Text className="catalogue-filter-toggle">{isFilterOpen ? "收起" : "展开"}</Text>
        </View>
        {isFilterOpen ? (
          <>
            <FilterRow<string>
              label="发布机构"
              options={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
              value={agency}
              allLabel="全部机关"
              onChange={setAgency}
            />
            <FilterRow<number>
              label="年份"
              options={years.map((y) => ({ value: y, label: `${y}年` }))}
              value={year}
              allLabel="全部年份"
              onChange={setYear}
            />
            <FilterRow<string>
              label="栏目"
              options={categories.map((c) => ({ value: c.key, label: c.label }))}
              value={category}
              allLabel="全部栏目"
              onChange={setCategory}
            />
          </>
        ) : null}
      </View>
      <PageShell
        isLoading={list.isLoading}
        error={list.error}
        isEmpty={list.data?.length === 0}
        emptyText={chosen.length > 0 ? "没有符合筛选条件的公开信息" : "该栏目暂无公开信息"}
        onRetry={list.reload}
      >
        <ItemList items={list.data ?? []} />
        <Text className="muted list-end">
          {list.isLoadingMore ? "正在加载…" : list.hasMore ? "上滑加载更多" : "已经到底了"}
        </Text>
      </PageShell>
    </PageShell>
  );
}

/** One filter: "全部" and each option as a tag; the chosen one is highlighted. */
function FilterRow<T extends string | number>(props: {
  label: string;
  options: { value: T; label: string }[];
  value: T | undefined;
  allLabel: string;
  onChange(value: T | undefined): void;
}): ReactNode {
  const all: { value: T | undefined; label: string }[] = [
    { value: undefined, label: props.allLabel },
    ...props.options,
  ];
  return (
    <View className="catalogue-filter-row">
      <Text className="muted catalogue-filter-label">{props.label}</Text>
      <View className="catalogue-filter-options">
        {all.map((option) => (
          <Text
            key={String(option.value ?? "all")}
            className={
              option.value === props.value ? "catalogue-filter-option is-on" : "catalogue-filter-option"
            }
            onClick={() => props.onChange(option.value)}
          >
            {option.label}
          </Text>
        ))}
      </View>
    </View>
  );
}

function ItemList({ items }: { items: InfoItemSummaryDTO[] }): ReactNode {
  return (
    <>
      {items.map((item) => (
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
    </>
  );
}
