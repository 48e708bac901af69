/**
 * Applicant login: phone number and one-time code on H5, Taro.login (code2Session) on weapp.
 */
import { authApi } from "@govinfo/shared/api/routes/auth";
import type { ApplicantLoginDto } from "@govinfo/shared/schemas/auth";
import { Button, Input, Text, View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useEffect, useState } from "react";
import { api } from "../api";
import { session } from "../stores/session";
import { errorText } from "./PageShell";

const RESEND_SECONDS = 60;

/** Login form; calls `onDone` after a successful login. */
export function LoginPanel({ onDone }: { onDone?: () => void }) {
  const [phone, setPhone] = useState("");
  const [code, setCode] = useState("");
  const [message, setMessage] = useState("");
  const [isBusy, setBusy] = useState(false);
  // Seconds until another code may be asked for (the button counts down instead of inviting taps).
  const [wait, setWait] = useState(0);
  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);

  const finish = (answer: ApplicantLoginDto) => {
    session.setToken(answer.token);
    Taro.showToast({ title: "登录成功", icon: "success" });
    onDone?.();
  };

  const handleWechat = async () => {
    setBusy(true);
    setMessage("");
    try {
      const { code: wxCode } = await Taro.login();
      finish(await api.call(authApi.wechatLogin, { body: { code: wxCode } }));
    } catch (error) {
      setMessage(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  const handleSendCode = async () => {
    setMessage("");
    try {
      await api.call(authApi.otpRequest, { body: { phone } });
      setMessage("验证码已发送，请查看短信");
      setWait(RESEND_SECONDS);
    } catch (error) {
      setMessage(errorText(error));
    }
  };

  const handleVerify = async () => {
    setBusy(true);
    setMessage("");
    try {
      finish(await api.call(authApi.otpVerify, { body: { phone, code } }));
    } catch (error) {
      setMessage(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  if (process.env.TARO_ENV === "weapp") {
    return (
      <View className="card login-panel">
        <Button className="primary-btn" loading={isBusy} onClick={handleWechat}>
          微信一键登录
        </Button>
        {message ? <Text className="field-error">{message}</Text> : null}
      </View>
    );
  }
  return (
    <View className="card login-panel">
      <Text className="field-label">手机号码</Text>
      <Input
        className="field-input login-phone"
        type="number"
        maxlength={11}
        placeholder="请输入手机号码"
        value={phone}
        onInput={(e) => setPhone(e.detail.value)}
      />
      <Text className="field-label">验证码</Text>
      <View className="row">
        <Input
          className="field-input login-code"
          type="number"
          maxlength={6}
          placeholder="6 位数字"
          value={code}
          onInput={(e) => setCode(e.detail.value)}
        />
        <Button className="plain-btn login-send" size="mini" disabled={wait > 0} onClick={handleSendCode}>
          {wait > 0 ? `${wait}秒后重新获取` : "获取验证码"}
        </Button>
      </View>
      <Button className="primary-btn login-submit" loading={isBusy} onClick={handleVerify}>
        登录
      </Button>
      {message ? <Text className="muted login-message">{message}</Text> : null}
    </View>
  );
}
