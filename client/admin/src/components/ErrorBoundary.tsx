/**
 * Catches render errors of a page so the layout and menu stay usable.
 */
import { Button, Result } from "antd";
import { Component, type ReactNode } from "react";

/** Shows a retry screen when a child throws while rendering. */
export class ErrorBoundary extends Component<
  { children: ReactNode; resetKey?: string },
  { error: Error | null }
> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidUpdate(previous: { resetKey?: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <Result
        status="error"
        title="页面出现错误"
        subTitle={this.state.error.message}
        extra={<Button onClick={() => this.setState({ error: null })}>重新加载本页</Button>}
      />
    );
  }
}
