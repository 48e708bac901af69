/**
 * The one page frame: loading, error, empty and login states, and the 适老化 large-text class.
 */
import { ApiError } from "@govinfo/api-client/client";
import { Button, Text, View } from "@tarojs/components";
import { createContext, type ReactNode, useContext, useEffect } from "react";
import { useSession } from "../stores/session";
import { LoginPanel } from "./LoginPanel";
import { PrivacyPopup } from "./PrivacyPopup";

/** What the shell shows around (or instead of) the page content. */
export interface PageShellProps {
  isLoading?: boolean;
  error?: unknown;
  isEmpty?: boolean;
  emptyText?: string;
  /** The page needs a logged-in applicant. */
  needsLogin?: boolean;
  onRetry?: () => void;
  /** The page that the privacy popup links to does not show the popup itself. */
  isPrivacyRules?: boolean;
  children?: ReactNode;
}

// Set inside a shell, so a nested shell (a list section of a page) draws no second privacy popup.
const InsideShell = createContext(false);

/** A Chinese message for any error a page meets. */
export function errorText(error: unknown): string {
  // Validation messages arrive as "applicant.phone: 请填写…"; a citizen reads only the words.
  if (error instanceof ApiError) return error.message.replace(/(^|[；;]\s*)[A-Za-z][\w.$]*:\s*/g, "$1");
  if (error instanceof Error && /[\u4e00-\u9fff]/.test(error.message)) return error.message;
  return "加载失败，请稍后重试";
}

/** Frames a page. */
export function PageShell(props: PageShellProps) {
  const { isLoggedIn, isLargeText } = useSession();
  const isNested = useContext(InsideShell);
  const isUnauthorized = props.error instanceof ApiError && props.error.status === 401;
  let body: ReactNode = props.children;
  if (props.needsLogin && (!isLoggedIn || isUnauthorized)) {
    body = (
      <View className="shell-state">
        <Text className="shell-state-text">请先登录后查看</Text>
        <LoginPanel onDone={props.onRetry} />
      </View>
    );
  } else if (props.isLoading) {
    body = (
      <View className="shell-state">
        <Text className="shell-state-text">正在加载…</Text>
      </View>
    );
  } else if (props.error) {
    body = (
      <View className="shell-state shell-error">
        <Text className="shell-state-text">{errorText(props.error)}</Text>
        {props.onRetry ? (
          <Button className="shell-retry" size="mini" onClick={props.onRetry}>
            重试
          </Button>
        ) : null}
      </View>
    );
  } else if (props.isEmpty) {
    body = (
      <View className="shell-state">
        <Text className="shell-state-text">{props.emptyText ?? "暂无内容"}</Text>
      </View>
    );
  }
  const hasPrivacyPopup = process.env.TARO_ENV === "weapp" && !isNested && !props.isPrivacyRules;
  useEffect(() => {
    // On H5 the title bar and tab bar sit outside the page frame; <body> carries the mode for them.
    if (process.env.TARO_ENV === "h5" && !isNested) document.body.classList.toggle("large-text", isLargeText);
  }, [isLargeText, isNested]);
  return (
    <InsideShell.Provider value={true}>
      <View className={isLargeText ? "shell large-text" : "shell"}>
        {body}
        {hasPrivacyPopup ? <PrivacyPopup /> : null}
      </View>
    </InsideShell.Provider>
  );
}
