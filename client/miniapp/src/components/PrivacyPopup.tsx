/**
 * The privacy consent popup of the weapp build: links WeChat's 用户隐私保护指引 (openPrivacyContract)
 * and the platform's own 个人信息处理规则 page; 同意 is WeChat's agreePrivacyAuthorization button.
 */
import { Button, Text, View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useEffect } from "react";
import { agreeButtonId, privacy, usePrivacyPrompt } from "../stores/privacy";

/** Shown while WeChat waits for the user's consent. */
export function PrivacyPopup() {
  const isShown = usePrivacyPrompt();
  useEffect(() => {
    if (isShown) privacy.exposed();
  }, [isShown]);
  if (!isShown) return null;
  return (
    <View className="privacy-mask">
      <View className="privacy-dialog">
        <Text className="card-title">个人信息保护提示</Text>
        <Text className="privacy-text">
          在使用政府信息公开服务前，请仔细阅读
          <Text className="link" onClick={() => privacy.openContract()}>
            《用户隐私保护指引》
          </Text>
          和
          <Text className="link" onClick={() => Taro.navigateTo({ url: "/pages/privacy/index" })}>
            《个人信息处理规则》
          </Text>
          。我们仅为办理政府信息公开申请、送达答复和通知办理进度处理您的个人信息。
        </Text>
        <View className="privacy-actions">
          <Button className="plain-btn privacy-disagree" onClick={() => privacy.disagree()}>
            拒绝
          </Button>
          <Button
            id={agreeButtonId}
            className="primary-btn privacy-agree"
            openType="agreePrivacyAuthorization"
            onAgreePrivacyAuthorization={() => privacy.agree()}
          >
            同意
          </Button>
        </View>
      </View>
    </View>
  );
}
