/**
 * 消息: the applicant's in-app notifications about their applications, newest first, with the
 * number still unread. Tapping one marks it read and opens its application.
 */
import { messagesApi } from "@govinfo/shared/api/routes/messages";
import type { ApplicantMessageDto } from "@govinfo/shared/schemas/message";
import { Button, Text, View } from "@tarojs/components";
import Taro, { useDidShow, useReachBottom } from "@tarojs/taro";
import { useEffect, useState } from "react";
import { api } from "../../../api";
import { PageShell } from "../../../components/PageShell";
import { useLoader } from "../../../hooks/useLoader";
import { messageTime } from "../../../logic/messages";
import { useSession } from "../../../stores/session";
import "./index.scss";

/** The message list page. */
export default function MessagesPage() {
  const { isLoggedIn } = useSession();
  const first = useLoader(
    api,
    (client) => client.call(messagesApi.list, { query: { limit: 20 } }),
    [isLoggedIn],
    isLoggedIn,
  );
  const [items, setItems] = useState<ApplicantMessageDto[]>([]);
  const [unread, setUnread] = useState(0);
  const [cursor, setCursor] = useState<string | null>(null);
  const [isLoadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    if (!first.data) return;
    setItems(first.data.items);
    setUnread(first.data.unreadCount);
    setCursor(first.data.nextCursor);
  }, [first.data]);

  useDidShow(() => {
    if (isLoggedIn && !first.isLoading) first.reload();
  });

  const loadMore = async () => {
    if (!cursor || isLoadingMore) return;
    setLoadingMore(true);
    try {
      const page = await api.call(messagesApi.list, { query: { limit: 20, cursor } });
      setItems((old) => [...old, ...page.items]);
      setUnread(page.unreadCount);
      setCursor(page.nextCursor);
    } catch {
      Taro.showToast({ title: "加载失败，请稍后重试", icon: "none" });
    } finally {
      setLoadingMore(false);
    }
  };
  useReachBottom(() => {
    void loadMore();
  });

  const markRead = async (message: ApplicantMessageDto): Promise<void> => {
    if (message.readAt) return;
    try {
      const updated = await api.call(messagesApi.read, { params: { id: message.id } });
      setItems((old) => old.map((m) => (m.id === updated.id ? updated : m)));
      setUnread((n) => Math.max(0, n - 1));
    } catch {
      // Reading still works; the mark is retried the next time.
    }
  };

  // Marks every unread message read, page by page of the unread ones (not only those loaded).
  const handleReadAll = async () => {
    try {
      for (let guard = 0; guard < 50; guard++) {
        const page = await api.call(messagesApi.list, { query: { limit: 50, unread: "true" } });
        if (page.items.length === 0) break;
        for (const message of page.items) await api.call(messagesApi.read, { params: { id: message.id } });
      }
      const now = new Date().toISOString();
      setItems((old) => old.map((m) => (m.readAt ? m : { ...m, readAt: now })));
      setUnread(0);
    } catch {
      Taro.showToast({ title: "标记失败，请稍后重试", icon: "none" });
    }
  };

  const handleOpen = async (message: ApplicantMessageDto) => {
    await markRead(message);
    Taro.navigateTo({ url: `/pages/mine/detail/index?id=${message.requestId}` });
  };

  return (
    <PageShell
      needsLogin
      isLoading={first.isLoading}
      error={first.error}
      isEmpty={first.data !== undefined && items.length === 0}
      emptyText="暂无消息。申请办理有进展时，会在这里通知您。"
      onRetry={first.reload}
    >
      <View className="messages-summary">
        <Text className="messages-unread">{unread > 0 ? `${unread} 条未读` : "没有未读消息"}</Text>
        {unread > 0 ? (
          <Button className="plain-btn messages-read-all" size="mini" onClick={handleReadAll}>
            全部已读
          </Button>
        ) : null}
      </View>
      {items.map((message) => (
        <View
          key={message.id}
          className={message.readAt ? "card message-item is-read" : "card message-item is-unread"}
          onClick={() => handleOpen(message)}
        >
          <View className="message-head">
            {message.readAt ? null : <View className="message-dot" />}
            <Text className="message-title">{message.title}</Text>
            <Text className="message-step">{message.stepLabel}</Text>
          </View>
          <Text className="message-body">{message.body}</Text>
          <View className="message-foot">
            <Text className="muted message-meta">
              {message.serialNo} · {messageTime(message.createdAt)}
            </Text>
            <Text className="link message-open">查看申请</Text>
          </View>
        </View>
      ))}
      {cursor ? (
        <Button className="plain-btn messages-more" loading={isLoadingMore} onClick={loadMore}>
          加载更多
        </Button>
      ) : null}
    </PageShell>
  );
}
