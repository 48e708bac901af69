/**
 * 申请须知: how to apply, the deadlines in working days, fees, remedies and the privacy notice, in
 * the terms of 《中华人民共和国政府信息公开条例》.
 */
import { Button, Text, View } from "@tarojs/components";
import { PageShell } from "../../../components/PageShell";
import { openPage } from "../../../navigation";

const sections: { title: string; lines: string[] }[] = [
  {
    title: "一、如何申请",
    lines: [
      "公民、法人或者其他组织可以向行政机关申请获取相关政府信息（依申请公开）。申请前，请先在主动公开目录中检索，已主动公开的信息可直接查阅。",
      "在线申请需填写：申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述；申请公开的政府信息的形式要求，包括获取信息的方式、途径。",
      "无需说明申请用途。",
      "也可以当面提交或邮政寄送书面申请。",
    ],
  },
  {
    title: "二、答复期限（以工作日计算）",
    lines: [
      "在线提交的申请，以双方确认之日为收到申请之日，自次日起计算期限。",
      "行政机关能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过20个工作日。",
      "申请内容不明确的，行政机关自收到申请之日起7个工作日内一次性告知申请人作出补正；答复期限自收到补正的申请之日起计算。申请人无正当理由逾期不补正的，视为放弃申请。",
      "征求第三方和其他机关意见所需时间不计算在答复期限内。",
      "工作日不含法定节假日，含国家规定的调休上班日。",
    ],
  },
  {
    title: "三、收费",
    lines: [
      "依申请提供政府信息，不收取费用。但申请人申请公开政府信息的数量、频次明显超过合理范围的，行政机关可以收取信息处理费。",
      "按件计收：同一申请人一个自然月内累计申请10件以下（含10件）的不收费；11—30件的部分每件收费100元；31件以上的部分，以10件为一档，每增加一档，收费标准提高100元/件。",
      "按量计收：同一申请的页数30页以下（含30页）的不收费；31—100页的部分每页收费10元；101—200页的部分每页收费20元；201页以上的部分每页收费40元。",
      "申请人应当自收到收费通知的次日起20个工作日内缴纳费用，逾期未缴纳的视为放弃申请。",
    ],
  },
  {
    title: "四、救济途径",
    lines: [
      "公民、法人或者其他组织认为行政机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。",
    ],
  },
  {
    title: "五、个人信息保护",
    lines: [
      "您填写的姓名、证件号码、联系电话和通信地址仅用于办理本次申请和送达答复，加密保存；工作人员查看完整证件号码、电话和地址均记录日志。",
      "我们不会向第三方提供您的个人信息，法律、行政法规另有规定的除外。",
    ],
  },
];

/** The guide page. */
export default function GuidePage() {
  return (
    <PageShell>
      {sections.map((section) => (
        <View key={section.title} className="card">
          <Text className="section-title">{section.title}</Text>
          {section.lines.map((line) => (
            <Text key={line} className="guide-line" style={{ display: "block", marginBottom: "8px" }}>
              {line}
            </Text>
          ))}
        </View>
      ))}
      <Button className="primary-btn" onClick={() => openPage("/pages/apply/form/index")}>
        我已阅读，开始申请
      </Button>
    </PageShell>
  );
}
