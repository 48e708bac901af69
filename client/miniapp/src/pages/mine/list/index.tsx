/**
 * My applications: state, serial number and the working days left, newest first.
 */
import { requestsApi } from "@govinfo/shared/api/routes/requests";
import { Text, View } from "@tarojs/components";
import Taro, { useDidShow, useReachBottom } from "@tarojs/taro";
import { api } from "../../../api";
import { PageShell } from "../../../components/PageShell";
import { StateTag } from "../../../components/StateTag";
import { usePages } from "../../../hooks/useLoader";
import { chineseDate, daysLeftText } from "../../../logic/timeline";
import { useSession } from "../../../stores/session";

/** The list page. */
export default function MyRequestsPage() {
  const { isLoggedIn } = useSession();
  const list = usePages(
    api,
    (client, cursor) => client.call(requestsApi.mine, { query: { cursor } }),
    [isLoggedIn],
    isLoggedIn,
  );
  useReachBottom(() => list.loadMore());
  useDidShow(() => {
    if (isLoggedIn && !list.isLoading) list.reload();
  });
  return (
    <PageShell
      needsLogin
      isLoading={list.isLoading}
      error={list.error}
      isEmpty={list.data?.length === 0}
      emptyText="您还没有提交过申请"
      onRetry={list.reload}
    >
      {(list.data ?? []).map((item) => (
        <View
          key={item.id}
          className="card mine-item"
          onClick={() => Taro.navigateTo({ url: `/pages/mine/detail/index?id=${item.id}` })}
        >
          <View className="row" style={{ justifyContent: "space-between" }}>
            <Text className="muted">{item.serialNo}</Text>
            <StateTag label={item.stateLabel} tone={item.stateTone} />
          </View>
          <Text className="card-title">{item.agency.name}</Text>
          <Text className="muted">提交于 {chineseDate(item.submittedAt)}</Text>
          <Text className="block mine-days">{daysLeftText(item)}</Text>
          {item.outcomePlain ? <Text className="muted">答复结果：{item.outcomePlain}</Text> : null}
        </View>
      ))}
    </PageShell>
  );
}
