/**
 * Where 催办 and 超期预警 reach a staff member by SMS and WeChat: the mobile number and the WeChat
 * openid, checked with the shared schema before sending (the server answers with the same messages).
 * One dialog for 我的账号 and for the administrator's 用户与角色 tab. The current values are shown
 * masked only; a field left empty keeps its value, and "删除" clears it.
 */
import { type StaffContactDto, StaffContactInput } from "@govinfo/shared/schemas/user";
import { Alert, Checkbox, Form, Input, Modal, Typography } from "antd";
import { useSubmit } from "../hooks/useSubmit.ts";
import { fieldProblems, showFieldProblems } from "./formErrors.ts";
import { errorText } from "./PageShell.tsx";

const FIELDS = ["phone", "wechatOpenid"];

/** The dialog; `onSave` sends the checked input and returns the contact as saved. */
export function StaffContactDialog(props: {
  title: string;
  current: StaffContactDto | null;
  onSave(input: StaffContactInput): Promise<unknown>;
  onClose(): void;
}) {
  const [form] = Form.useForm();
  const { busy, error, setError, submit } = useSubmit();
  const handleOk = async () => {
    const values = form.getFieldsValue() as {
      phone?: string;
      wechatOpenid?: string;
      clearPhone?: boolean;
      clearOpenid?: boolean;
    };
    // Only what the person typed (or chose to delete) is sent; the rest stays as it is.
    const input: Record<string, string> = {};
    if (values.clearPhone) input.phone = "";
    else if (values.phone?.trim()) input.phone = values.phone;
    if (values.clearOpenid) input.wechatOpenid = "";
    else if (values.wechatOpenid?.trim()) input.wechatOpenid = values.wechatOpenid;
    const parsed = StaffContactInput.safeParse(input);
    if (!parsed.success) {
      const rest = showFieldProblems(form, fieldProblems(parsed.error), FIELDS);
      setError(rest.length > 0 ? rest.map((p) => p.message).join("；") : null);
      return;
    }
    await submit(
      async () => {
        await props.onSave(parsed.data);
        props.onClose();
      },
      (caught) => {
        const rest = showFieldProblems(form, fieldProblems(caught), FIELDS);
        return rest.length > 0 || fieldProblems(caught).length === 0 ? errorText(caught) : null;
      },
    );
  };
  const current = props.current;
  return (
    <Modal
      open
      title={props.title}
      okText="保存"
      cancelText="取消"
      onOk={handleOk}
      onCancel={props.onClose}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        催办、超期预警除站内提醒外，还通过短信和微信发送到这里登记的手机号码和微信（本机关设置的免打扰时段内暂缓发送）。
        手机号码加密保存，列表中只显示部分号码。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical">
        <Form.Item
          name="phone"
          label="手机号码"
          extra={`当前：${current?.phoneMasked ?? "未登记"}（留空不修改）`}
        >
          <Input inputMode="tel" autoComplete="tel" placeholder="11位中国大陆手机号码" />
        </Form.Item>
        {current?.phoneMasked && (
          <Form.Item name="clearPhone" valuePropName="checked" style={{ marginTop: -12 }}>
            <Checkbox>删除已登记的手机号码</Checkbox>
          </Form.Item>
        )}
        <Form.Item
          name="wechatOpenid"
          label="微信用户标识（openid）"
          extra={`当前：${current?.wechatOpenidMasked ?? "未绑定"}（留空不修改）`}
        >
          <Input placeholder="28位，由本单位微信公众号或小程序获取" />
        </Form.Item>
        {current?.wechatOpenidMasked && (
          <Form.Item name="clearOpenid" valuePropName="checked" style={{ marginTop: -12 }}>
            <Checkbox>解除已绑定的微信</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
