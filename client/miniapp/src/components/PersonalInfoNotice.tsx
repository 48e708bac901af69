/**
 * The personal-information notice (个人信息处理告知) an applicant acknowledges before submitting: the
 * legal basis, purpose, what is processed, retention and the applicant's rights, as the 个人信息保护法
 * (articles 17 and 35) requires of an agency performing its statutory duties. The full rules are
 * the pages/privacy page.
 */
import { Text, View } from "@tarojs/components";
import Taro from "@tarojs/taro";

/** The notice, with the tappable acknowledgement. */
export function PersonalInfoNotice(props: {
  agencyName: string;
  isAcknowledged: boolean;
  error?: string;
  onToggle: () => void;
}) {
  const handler = props.agencyName || "受理申请的行政机关";
  const items: [string, string][] = [
    ["处理者", `${handler}（通过本平台受理和办理政府信息公开申请）。`],
    [
      "法律依据",
      "为履行《中华人民共和国政府信息公开条例》规定的依申请公开法定职责所必需（《中华人民共和国个人信息保护法》第十三条第一款第三项、第三十四条、第三十五条）。条例第二十九条规定，申请应当包括申请人的姓名或者名称、身份证明、联系方式。",
    ],
    [
      "处理目的",
      "核实申请人身份，受理和办理本申请（含补正、征求意见、收费和答复），送达答复并通知办理进度。年度报告只统计申请数量，不含个人信息。",
    ],
    [
      "处理的信息",
      "姓名或者名称、证件类型和号码、联系电话、联系人、通信地址、电子邮箱和所需信息的描述；使用微信登录的，还有微信为本小程序生成的用户标识。",
    ],
    [
      "保存期限",
      "申请和办理记录是答复、行政复议和行政诉讼的依据，按照档案管理的有关规定保存，不超过实现上述目的所必需的期限。证件号码、联系电话和通信地址加密保存，工作人员查看完整信息均记录日志。",
    ],
    [
      "您的权利",
      "您可以依法查阅、复制、更正、补充您的个人信息，在作出答复前撤回申请；对个人信息处理有异议的，可以联系受理机关的政府信息公开工作机构，也可以向履行个人信息保护职责的部门投诉、举报。除法律、行政法规另有规定外，不向第三方提供您的个人信息。",
    ],
  ];
  return (
    <View className="card notice-card">
      <Text className="card-title">个人信息处理告知</Text>
      {items.map(([key, text]) => (
        <Text key={key} className="notice-line">
          <Text className="notice-key">{key}：</Text>
          {text}
        </Text>
      ))}
      <Text className="link notice-rules" onClick={() => Taro.navigateTo({ url: "/pages/privacy/index" })}>
        查看《个人信息处理规则》
      </Text>
      <View
        className={props.isAcknowledged ? "notice-ack is-checked" : "notice-ack"}
        onClick={props.onToggle}
      >
        <Text className="notice-box">{props.isAcknowledged ? "✓" : ""}</Text>
        <Text className="notice-ack-text">我已阅读并知悉上述个人信息处理告知</Text>
      </View>
      {props.error ? <Text className="field-error notice-error">{props.error}</Text> : null}
    </View>
  );
}
