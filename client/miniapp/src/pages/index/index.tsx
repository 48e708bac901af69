/**
 * Home: search box, category grid, the latest published items, and the entries to apply, to the
 * guide, to my applications and to the annual reports.
 */
import { Text, View } from "@tarojs/components";
import { useShareAppMessage } from "@tarojs/taro";
import { CatalogueNav } from "../../components/CatalogueNav";
import { LatestItems } from "../../components/LatestItems";
import { PageShell } from "../../components/PageShell";
import { openPage } from "../../navigation";
import "./index.scss";

const entries = [
  { text: "我要申请", hint: "依申请公开", url: "/pages/apply/form/index" },
  { text: "申请须知", hint: "期限 · 收费 · 救济", url: "/pages/apply/guide/index" },
  { text: "我的申请", hint: "办理进度", url: "/pages/mine/list/index" },
  { text: "年度报告", hint: "政府信息公开工作", url: "/pages/reports/list/index" },
  { text: "全部公开信息", hint: "主动公开目录", url: "/pages/catalogue/list/index" },
  { text: "我的", hint: "登录 · 大字模式", url: "/pages/me/index" },
];

/** The home page. */
export default function HomePage() {
  useShareAppMessage(() => ({ title: "政府信息公开", path: "/pages/index/index" }));

  return (
    <PageShell>
      <CatalogueNav title="主动公开目录">
        <View className="home-entries">
          {entries.map((entry) => (
            <View key={entry.url} className="home-entry" onClick={() => openPage(entry.url)}>
              <Text className="home-entry-text">{entry.text}</Text>
              <Text className="muted">{entry.hint}</Text>
            </View>
          ))}
        </View>
      </CatalogueNav>

      <LatestItems limit={5} itemClassName="home-latest" />
    </PageShell>
  );
}
