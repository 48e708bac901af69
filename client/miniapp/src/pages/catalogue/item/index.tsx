/**
 * One published item: the 目录 metadata (索引号, 文号, 类别, 成文日期, 发布日期, 有效性), the text, and the
 * attachments to download and open.
 */
import { catalogueApi } from "@govinfo/shared/api/routes/catalogue";
import { Text, View } from "@tarojs/components";
import { useRouter, useShareAppMessage } from "@tarojs/taro";
import { api } from "../../../api";
import { PageShell } from "../../../components/PageShell";
import { downloadOrToast } from "../../../download";
import { useLoader } from "../../../hooks/useLoader";
import { chineseDate } from "../../../logic/timeline";
import "./index.scss";

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The item detail page. */
export default function CatalogueItemPage() {
  const id = useRouter().params.id ?? "";
  const item = useLoader(api, (client) => client.call(catalogueApi.item, { params: { id } }), [id]);
  useShareAppMessage(() => ({
    title: item.data?.title ?? "政府信息公开",
    path: `/pages/catalogue/item/index?id=${id}`,
  }));
  const data = item.data;

  const handleDownload = (attachmentId: string, name: string) =>
    downloadOrToast(api.url(catalogueApi.attachment, { params: { id, attachmentId } }), name);

  return (
    <PageShell isLoading={item.isLoading} error={item.error} onRetry={item.reload}>
      {data ? (
        <View>
          <View className="card">
            <Text className="card-title item-title">{data.title}</Text>
            {data.agencyName ? (
              <View className="kv">
                <Text className="kv-key">发布机构</Text>
                <Text className="kv-value item-agency">{data.agencyName}</Text>
              </View>
            ) : null}
            <View className="kv">
              <Text className="kv-key">索引号</Text>
              <Text className="kv-value">{data.indexNo}</Text>
            </View>
            {data.docNumber ? (
              <View className="kv">
                <Text className="kv-key">文号</Text>
                <Text className="kv-value">{data.docNumber}</Text>
              </View>
            ) : null}
            <View className="kv">
              <Text className="kv-key">类别</Text>
              <Text className="kv-value">{data.categoryLabel}</Text>
            </View>
            <View className="kv">
              <Text className="kv-key">成文日期</Text>
              <Text className="kv-value">{chineseDate(data.formedDate)}</Text>
            </View>
            <View className="kv">
              <Text className="kv-key">发布日期</Text>
              <Text className="kv-value">{chineseDate(data.publishedDate)}</Text>
            </View>
            <View className="kv">
              <Text className="kv-key">有效性</Text>
              <Text className="kv-value">{data.validityLabel}</Text>
            </View>
          </View>
          <View className="card item-body">
            <Text userSelect>{data.body || data.summary}</Text>
          </View>
          {data.attachments.length > 0 ? (
            <View className="card">
              <Text className="section-title">附件</Text>
              {data.attachments.map((a) => (
                <View key={a.id} className="item-attachment" onClick={() => handleDownload(a.id, a.name)}>
                  <Text className="link">{a.name}</Text>
                  <Text className="muted">{sizeText(a.size)} · 点击下载</Text>
                </View>
              ))}
            </View>
          ) : null}
        </View>
      ) : null}
    </PageShell>
  );
}
