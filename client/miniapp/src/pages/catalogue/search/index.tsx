/**
 * Full-text search of the catalogue with highlighted titles and excerpts.
 */
import { catalogueApi } from "@govinfo/shared/api/routes/catalogue";
import { RichText, Text, View } from "@tarojs/components";
import Taro, { useRouter } from "@tarojs/taro";
import { useState } from "react";
import { api } from "../../../api";
import { PageShell } from "../../../components/PageShell";
import { SearchBox } from "../../../components/SearchBox";
import { useLoader } from "../../../hooks/useLoader";
import { chineseDate, emphasize } from "../../../logic/timeline";
import "./index.scss";

/** The search page. */
export default function SearchPage() {
  const initial = decodeURIComponent(useRouter().params.q ?? "");
  const [input, setInput] = useState(initial);
  const [query, setQuery] = useState(initial);
  const result = useLoader(
    api,
    (client) => client.call(catalogueApi.search, { query: { q: query, limit: 30 } }),
    [query],
    query.trim() !== "",
  );

  return (
    <PageShell>
      <SearchBox
        value={input}
        placeholder="输入标题、文号或关键词"
        onInput={setInput}
        onSearch={() => setQuery(input.trim())}
      />
      <PageShell
        isLoading={result.isLoading}
        error={result.error}
        isEmpty={query.trim() === "" || result.data?.items.length === 0}
        emptyText={
          query.trim() === "" ? "请输入要查找的内容" : "没有找到相关信息，可以换个说法，或依申请公开"
        }
        onRetry={result.reload}
      >
        <Text className="muted search-total">共找到 {result.data?.total ?? 0} 条</Text>
        {(result.data?.items ?? []).map((hit) => (
          <View
            key={hit.id}
            className="card search-hit"
            onClick={() => Taro.navigateTo({ url: `/pages/catalogue/item/index?id=${hit.id}` })}
          >
            <RichText className="card-title search-hit-title" nodes={emphasize(hit.titleHtml)} />
            {hit.docNumber ? <Text className="block muted search-hit-docno">{hit.docNumber}</Text> : null}
            <RichText className="search-hit-snippet" nodes={emphasize(hit.snippetHtml)} />
            <Text className="muted">
              {hit.categoryLabel} · {chineseDate(hit.publishedDate ?? hit.formedDate)}
            </Text>
          </View>
        ))}
      </PageShell>
    </PageShell>
  );
}
