/**
 * The 公开目录 tab: search, the catalogue's categories, the annual reports and the newest items, with
 * the way to the whole catalogue.
 */
import { Text, View } from "@tarojs/components";
import Taro, { useShareAppMessage } from "@tarojs/taro";
import { CatalogueNav } from "../../components/CatalogueNav";
import { LatestItems } from "../../components/LatestItems";
import { PageShell } from "../../components/PageShell";
import "./index.scss";

/** The catalogue tab. */
export default function DirectoryPage() {
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
      <LatestItems limit={10} itemClassName="directory-item" />
    </PageShell>
  );
}
