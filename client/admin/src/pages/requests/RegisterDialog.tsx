/**
 * 登记申请: an application received in person, by mail, fax or e-mail, validated with the shared
 * RequestRegisterInput before sending; field errors from either side are shown on the fields.
 */
import { channelLabels, channels, receiptRules } from "@govinfo/shared/lifecycle/channels";
import {
  deliveryLabels,
  deliveryMethods,
  idTypeLabels,
  idTypes,
  infoFormLabels,
  infoForms,
  RequestRegisterInput,
} from "@govinfo/shared/schemas/request";
import { applicantColumns, applicantTypeKeys } from "@govinfo/shared/stats/keys";
import { Alert, App, Col, Form, Input, Modal, Row, Select } from "antd";
import { useState } from "react";
import { type FieldProblem, fieldProblems, showFieldProblems } from "../../components/formErrors.ts";
import { errorText } from "../../components/PageShell.tsx";
import { todayInChina } from "../../hooks.ts";
import { requestsService } from "./service.ts";

const fieldPaths = [
  "channel",
  "receiptDate",
  "applicant.type",
  "applicant.name",
  "applicant.idType",
  "applicant.idNumber",
  "applicant.phone",
  "applicant.address",
  "applicant.email",
  "applicant.contactPerson",
  "description",
  "documentNumber",
  "infoForm",
  "delivery",
];

const options = <K extends string>(keys: readonly K[], labels: Record<K, string>) =>
  keys.map((key) => ({ value: key, label: labels[key] }));
const applicantTypeLabels = Object.fromEntries(
  applicantColumns.map((c) => [c.key, c.key === "otherOrg" ? "其他组织" : c.label]),
) as Record<(typeof applicantTypeKeys)[number], string>;

/** The registration dialog. */
export function RegisterDialog(props: {
  agencyId: string;
  open: boolean;
  onClose(): void;
  onDone(id: string): void;
}) {
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const channel = Form.useWatch("channel", form) as (typeof channels)[number] | undefined;

  const handleOk = async () => {
    const values = form.getFieldsValue(true) as Record<string, unknown>;
    const parsed = RequestRegisterInput.safeParse({ ...values, agencyId: props.agencyId });
    if (!parsed.success) {
      setProblems(showFieldProblems(form, fieldProblems(parsed.error), fieldPaths));
      return;
    }
    setBusy(true);
    try {
      const created = await requestsService.register(parsed.data);
      message.success(`已登记，申请编号 ${created.serialNo}`);
      form.resetFields();
      setProblems([]);
      props.onDone(created.id);
    } catch (error) {
      const unmatched = showFieldProblems(form, fieldProblems(error), fieldPaths);
      setProblems(
        unmatched.length > 0
          ? unmatched
          : fieldProblems(error).length
            ? []
            : [{ path: "", message: errorText(error) }],
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      cancelText="取消"
      title="登记政府信息公开申请"
      open={props.open}
      onCancel={props.onClose}
      onOk={handleOk}
      okText="登记"
      confirmLoading={busy}
      width={760}
      destroyOnHidden
    >
      {problems.map((p) => (
        <Alert
          key={p.path + p.message}
          type="error"
          showIcon
          message={p.path ? `${p.path}：${p.message}` : p.message}
          style={{ marginBottom: 8 }}
        />
      ))}
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          channel: "inPerson",
          receiptDate: todayInChina(),
          applicant: { type: "natural", idType: "idCard", address: "", email: "", contactPerson: "" },
          documentNumber: "",
          infoForm: "paper",
          delivery: "inPerson",
        }}
      >
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item label="收到渠道" name="channel">
              <Select options={options(channels, channelLabels)} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              label="收到申请之日"
              name="receiptDate"
              extra={channel ? receiptRules[channel] : undefined}
            >
              <Input type="date" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="申请人类型" name={["applicant", "type"]}>
              <Select options={options(applicantTypeKeys, applicantTypeLabels)} />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item label="申请人姓名或名称" name={["applicant", "name"]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="证件类型" name={["applicant", "idType"]}>
              <Select options={options(idTypes, idTypeLabels)} />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item label="证件号码" name={["applicant", "idNumber"]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label="联系电话" name={["applicant", "phone"]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label="电子邮箱" name={["applicant", "email"]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item label="通信地址" name={["applicant", "address"]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="联系人" name={["applicant", "contactPerson"]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item label="申请公开的政府信息的名称、文号或者便于查询的其他特征性描述" name="description">
              <Input.TextArea rows={3} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="文号" name="documentNumber">
              <Input />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="信息形式" name="infoForm">
              <Select options={options(infoForms, infoFormLabels)} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label="获取方式" name="delivery">
              <Select options={options(deliveryMethods, deliveryLabels)} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
