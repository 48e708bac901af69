/**
 * WeChat's privacy consent (用户隐私保护指引) on weapp: asked once at launch when WeChat says the user
 * has not agreed yet, and whenever a privacy API waits for consent (onNeedPrivacyAuthorization). The
 * popup (components/PrivacyPopup) reads this store; H5 never installs it.
 */
import Taro from "@tarojs/taro";
import { useEffect, useState } from "react";

type Resolve = (option: Taro.onNeedPrivacyAuthorization.ResolveOption) => void;

/** The id of the popup's agree button; WeChat checks that this button was tapped. */
export const agreeButtonId = "privacy-agree";

const listeners = new Set<() => void>();
let isShown = false;
let pending: Resolve | null = null;

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
    Taro.onNeedPrivacyAuthorization((resolve) => {
      pending = resolve;
      isShown = true;
      notify();
    });
    Taro.getPrivacySetting({
      success: (result) => {
        if (!result.needAuthorization) return;
        isShown = true;
        notify();
      },
    });
  },
  /** The popup is on screen (WeChat wants to know it was shown). */
  exposed(): void {
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
