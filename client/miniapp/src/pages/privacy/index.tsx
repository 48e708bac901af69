/**
 * 个人信息处理规则: what this mini-program and its server collect, why, how long, who else takes
 * part, and the user's rights. Keep it in step with the code (and with docs/WECHAT.md, whose privacy
 * guideline section copies the collected items into the WeChat console).
 */
import { Text, View } from "@tarojs/components";
import { PageShell } from "../../components/PageShell";

const sections: { title: string; lines: string[] }[] = [
  {
    title: "一、处理者和适用范围",
    lines: [
      "本平台由各行政机关用于受理和办理政府信息公开申请。您的申请由您选择的行政机关（受理机关）处理，该机关是您的个人信息的处理者。",
      "本规则适用于本小程序及其网页版。依据《中华人民共和国个人信息保护法》第十三条第一款第三项、第三十四条和第三十五条，行政机关为履行《中华人民共和国政府信息公开条例》规定的法定职责处理个人信息，并依法向您告知。",
    ],
  },
  {
    title: "二、我们处理的信息和用途",
    lines: [
      "浏览主动公开目录、检索和查看年度报告：无需登录，不收集您的个人信息。",
      "微信登录：通过微信登录接口获取微信为本小程序生成的用户标识（openid），用于识别您的申请和发送您同意接收的订阅消息；不获取您的昵称、头像或手机号码。",
      "网页版登录：您的手机号码和短信验证码，用于登录和找回您的申请。",
      "提交申请：申请人类型，姓名或者名称，证件类型和号码，联系电话，联系人（法人或者其他组织），通信地址，电子邮箱，所需信息的名称、文号或者特征性描述，信息的提供形式和获取方式。这些是条例第二十九条规定的申请内容，用于核实身份、办理申请、送达答复。",
      "办理进度通知：您在提交申请时同意接收的微信订阅消息类别；有联系电话的，办理进度也以短信通知。",
      "本机存储：登录凭证和“大字模式”设置，保存在您的手机或浏览器中，退出登录即删除登录凭证。",
      "安全日志：访问的网络地址和时间，用于防止滥用（限制频繁请求）和安全审计。",
    ],
  },
  {
    title: "三、保存和保护",
    lines: [
      "证件号码、联系电话和通信地址加密保存；工作人员查看完整信息均记录日志，只有受理机关的经办人员可以查看您的申请。",
      "申请和办理记录是答复、行政复议、行政诉讼和年度报告统计的依据，按照档案管理的有关规定保存，不超过实现处理目的所必需的期限。年度报告只公布统计数字，不含个人信息。",
    ],
  },
  {
    title: "四、共同处理和对外提供",
    lines: [
      "微信登录和订阅消息通过腾讯公司的微信接口完成；短信通过受理机关选定的短信服务发送，仅提供手机号码和通知内容。",
      "除上述情形和法律、行政法规另有规定外，不向任何第三方提供您的个人信息。",
    ],
  },
  {
    title: "五、您的权利",
    lines: [
      "您可以在“我的申请”中查阅您提交的信息和办理过程，在作出答复前撤回申请，并下载告知书等文书。",
      "您可以依法要求查阅、复制、更正、补充您的个人信息，在法律规定的情形下要求删除；请联系受理机关的政府信息公开工作机构，机关将依法及时处理。",
      "对个人信息处理有异议的，您可以向履行个人信息保护职责的部门投诉、举报；对政府信息公开工作有异议的，可以依照条例第五十一条投诉、举报，或者依法申请行政复议、提起行政诉讼。",
    ],
  },
];

/** The rules page. */
export default function PrivacyRulesPage() {
  return (
    <PageShell isPrivacyRules>
      {sections.map((section) => (
        <View key={section.title} className="card">
          <Text className="section-title">{section.title}</Text>
          {section.lines.map((line) => (
            <Text key={line} className="privacy-line" style={{ display: "block", marginBottom: "8px" }}>
              {line}
            </Text>
          ))}
        </View>
      ))}
    </PageShell>
  );
}
