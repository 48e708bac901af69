/**
 * Me: login (phone and code on H5, WeChat on weapp), my applications and messages, the large-text
 * 适老化 mode, and notification consent (asked on weapp when an application is submitted).
 */

import { authApi } from "@govinfo/shared/api/routes/auth";
import { messagesApi } from "@govinfo/shared/api/routes/messages";
import { Button, Switch, Text, View } from "@tarojs/components";
import Taro, { useDidShow } from "@tarojs/taro";
import { api } from "../../api";
import { LoginPanel } from "../../components/LoginPanel";
import { PageShell } from "../../components/PageShell";
import { useLoader } from "../../hooks/useLoader";
import { unreadBadge } from "../../logic/messages";
import { openPage } from "../../navigation";
import { session, useSession } from "../../stores/session";
import "./index.scss";

/** The me page. */
export default function MePage() {
  const { isLoggedIn, isLargeText } = useSession();
  const me = useLoader(api, (client) => client.call(authApi.me), [isLoggedIn], isLoggedIn);
  const messages = useLoader(
    api,
    (client) => client.call(messagesApi.list, { query: { limit: 1 } }),
    [isLoggedIn],
    isLoggedIn,
  );
  // Back from the message list (or a detail), the count is fetched again.
  useDidShow(() => {
    if (isLoggedIn) messages.reload();
  });
  const unread = messages.data?.unreadCount ?? 0;

  const handleLogout = async () => {
    try {
      await api.call(authApi.logout);
    } catch {
      // The token is dropped locally either way.
    }
    session.setToken("");
  };

  return (
    <PageShell>
      {isLoggedIn ? (
        <View className="card me-card">
          <Text className="card-title">{me.data?.displayName ?? "申请人"}</Text>
          {me.data?.kind === "applicant" && me.data.phoneMasked ? (
            <Text className="muted">手机 {me.data.phoneMasked}</Text>
          ) : null}
        </View>
      ) : (
        <View>
          <Text className="section-title">登录后可在线申请并查看办理进度</Text>
          <LoginPanel />
        </View>
      )}
      <View className="card">
        {isLoggedIn ? (
          <View
            className="kv me-entry me-messages"
            onClick={() => Taro.navigateTo({ url: "/pages/messages/list/index" })}
          >
            <Text className="kv-value link">消息</Text>
            {unread > 0 ? (
              <Text className="me-badge">{unreadBadge(unread)}</Text>
            ) : (
              <Text className="muted">办理进度通知</Text>
            )}
          </View>
        ) : null}
        <View className="kv me-entry" onClick={() => Taro.navigateTo({ url: "/pages/mine/list/index" })}>
          <Text className="kv-value link">我的申请</Text>
        </View>
        <View className="kv me-entry" onClick={() => Taro.navigateTo({ url: "/pages/lookup/index" })}>
          <Text className="kv-value link">凭查询码查询</Text>
          <Text className="muted">当面、邮寄等方式提出的申请</Text>
        </View>
        <View className="kv me-entry" onClick={() => openPage("/pages/apply/form/index")}>
          <Text className="kv-value link">我要申请</Text>
        </View>
        <View className="kv me-entry" onClick={() => Taro.navigateTo({ url: "/pages/apply/guide/index" })}>
          <Text className="kv-value link">申请须知</Text>
        </View>
        <View
          className="kv me-entry me-privacy"
          onClick={() => Taro.navigateTo({ url: "/pages/privacy/index" })}
        >
          <Text className="kv-value link">个人信息处理规则</Text>
        </View>
      </View>
      <View className="card">
        <View className="row" style={{ justifyContent: "space-between" }}>
          <Text>大字模式（适老化）</Text>
          <Switch
            className="large-text-switch"
            checked={isLargeText}
            color="#b71c1c"
            onChange={(e) => session.setLargeText(e.detail.value)}
          />
        </View>
        <Text className="muted">
          {process.env.TARO_ENV === "weapp"
            ? "提交申请时可选择接收微信订阅消息，及时了解办理进度。"
            : "办理进度会以站内消息通知您。"}
        </Text>
      </View>
      {isLoggedIn ? (
        <Button className="plain-btn" onClick={handleLogout}>
          退出登录
        </Button>
      ) : null}
    </PageShell>
  );
}
