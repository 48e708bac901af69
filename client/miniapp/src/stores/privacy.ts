/**
 * WeChat's privacy consent (用户隐私保护指引) on weapp: asked once at launch when WeChat says the user
 * has not agreed yet, and whenever a privacy API waits for consent (onNeedPrivacyAuthorization). The
 * popup (components/PrivacyPopup) reads this store; H5 never installs it.
 */
import type Taro from "@tarojs/taro";
import { useEffect, useState } from "react";

type Resolve = (option: Taro.onNeedPrivacyAuthorization.ResolveOption) => void;

// Taro 4.2 does not proxy WeChat's privacy APIs, so they are called on `wx` itself; each may be
// missing on an old base library (before 2.32.3), which then has no privacy check either.
declare const wx: {
  onNeedPrivacyAuthorization?: (listener: (resolve: Resolve) => void) => void;
  getPrivacySetting?: (option: { success: (result: { needAuthorization: boolean }) => void }) => void;
  openPrivacyContract?: (option: Record<string, never>) => void;
};

/** The id of the popup's agree button; WeChat checks that this button was tapped. */
export const agreeButtonId = "privacy-agree";

const listeners = new Set<() => void>();
let isShown = false;
let pending: Resolve | null = null;
// Every page of the stack draws the popup; WeChat hears once that it was shown.
let isExposed = false;

function notify(): void {
  for (const listener of listeners) listener();
}

function close(): void {
  isShown = false;
  pending = null;
  notify();
}

/** The consent flow. */
export const privacy = {
  /** Registers the WeChat listeners; called once from app.ts, on weapp only. */
  install(): void {
    wx.onNeedPrivacyAuthorization?.((resolve) => {
      pending = resolve;
      isExposed = false;
      isShown = true;
      notify();
    });
    wx.getPrivacySetting?.({
      success: (result) => {
        if (!result.needAuthorization) return;
        isShown = true;
        notify();
      },
    });
  },
  /** Opens WeChat's 用户隐私保护指引 as filled in on the WeChat console. */
  openContract(): void {
    wx.openPrivacyContract?.({});
  },
  /** The popup is on screen (WeChat wants to know it was shown). */
  exposed(): void {
    if (isExposed) return;
    isExposed = true;
    pending?.({ event: "exposureAuthorization" });
  },
  /** The user tapped 同意 (the agreePrivacyAuthorization button). */
  agree(): void {
    pending?.({ event: "agree", buttonId: agreeButtonId });
    close();
  },
  /** The user tapped 拒绝: the waiting API fails, the popup closes. */
  disagree(): void {
    pending?.({ event: "disagree" });
    close();
  },
};

/** Whether the privacy popup should be on screen. */
export function usePrivacyPrompt(): boolean {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((n) => n + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return isShown;
}
