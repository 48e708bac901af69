/**
 * Loading, empty and error states for a page or a card; an expired session sends the user to login.
 */
import { Alert, Button, Empty, Result, Spin } from "antd";
import type { ReactNode } from "react";
import { ApiError } from "../api.ts";

/** Renders children once data is there. */
export function PageShell<T>(props: {
  loading: boolean;
  error: unknown;
  data: T | undefined;
  isEmpty?: (data: T) => boolean;
  emptyText?: string;
  onRetry?: () => void;
  children: (data: T) => ReactNode;
}) {
  if (props.error) {
    if (props.error instanceof ApiError && props.error.code === "unauthorized") {
      window.location.hash = "#/login";
      return null;
    }
    return (
      <Result
        status={props.error instanceof ApiError && props.error.status === 403 ? "403" : "warning"}
        title={errorText(props.error)}
        extra={props.onRetry ? <Button onClick={props.onRetry}>重试</Button> : undefined}
      />
    );
  }
  if (props.loading && props.data === undefined)
    return (
      <div style={{ padding: 48, textAlign: "center" }}>
        <Spin tip="正在加载…">
          <div style={{ height: 40 }} />
        </Spin>
      </div>
    );
  if (props.data === undefined) return null;
  if (props.isEmpty?.(props.data)) return <Empty description={props.emptyText ?? "暂无数据"} />;
  return <>{props.children(props.data)}</>;
}

/** A one-line error for alerts and messages (the server's Chinese message). */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return "操作失败，请稍后重试";
}

/** An inline error box. */
export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  return <Alert type="error" showIcon message={errorText(error)} style={{ marginBottom: 16 }} />;
}
