/**
 * The way into the 主动公开目录: a search box and the grid of catalogue categories (home and the
 * 公开目录 tab).
 */
import { categories } from "@govinfo/shared/catalogue/categories";
import { Text, View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { type ReactNode, useState } from "react";
import { SearchBox } from "./SearchBox";
import "./CatalogueNav.scss";

/** Search box, then `children`, then the category grid under `title`. */
export function CatalogueNav({ title, children }: { title: string; children?: ReactNode }) {
  const [query, setQuery] = useState("");

  const handleSearch = () => {
    Taro.navigateTo({ url: `/pages/catalogue/search/index?q=${encodeURIComponent(query.trim())}` });
  };

  return (
    <View>
      <SearchBox
        value={query}
        placeholder="搜索主动公开的政府信息"
        onInput={setQuery}
        onSearch={handleSearch}
      />
      {children}
      <Text className="section-title">{title}</Text>
      <View className="home-grid">
        {categories.map((category) => (
          <View
            key={category.key}
            className="home-grid-cell"
            onClick={() =>
              Taro.navigateTo({
                url: `/pages/catalogue/list/index?category=${category.key}&title=${encodeURIComponent(category.label)}`,
              })
            }
          >
            <Text>{category.label}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}
