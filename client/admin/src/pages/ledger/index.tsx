/**
 * 台账: export the agency's ledger (XLSX with the 复议诉讼 sheet, or CSV) and import one — all rows or
 * none; every refused row is listed with its problem.
 */
import { DownloadOutlined, UploadOutlined } from "@ant-design/icons";
import { ledgerApi } from "@govinfo/shared/api/routes/ledger";
import { Alert, App, Button, Card, Space, Table, Typography, Upload } from "antd";
import { useState } from "react";
import { api, upload } from "../../api.ts";
import { type FieldProblem, fieldProblems } from "../../components/formErrors.ts";
import { errorText } from "../../components/PageShell.tsx";
import { useSession } from "../../session.tsx";

/** The ledger page. */
export function LedgerPage() {
  const { agencyId, access } = useSession();
  const { message } = App.useApp();
  const [rowErrors, setRowErrors] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const handleImport = async (file: File) => {
    setRowErrors([]);
    setError(null);
    try {
      const result = await upload(ledgerApi.importFile, { query: { agencyId } }, file);
      message.success(
        `导入完成：新增申请 ${result.imported} 件，已有 ${result.skipped} 件；` +
          `复议诉讼新增 ${result.reviewCases.imported} 件，已有 ${result.reviewCases.skipped} 件`,
      );
    } catch (caught) {
      setError(errorText(caught));
      setRowErrors(fieldProblems(caught));
    }
    return false;
  };
  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        政府信息公开申请台账
      </Typography.Title>
      <Card size="small">
        <Space>
          <Button
            icon={<DownloadOutlined />}
            href={api.url(ledgerApi.exportFile, { query: { agencyId, format: "xlsx" } })}
          >
            导出 XLSX
          </Button>
          <Button
            icon={<DownloadOutlined />}
            href={api.url(ledgerApi.exportFile, { query: { agencyId, format: "csv" } })}
          >
            导出 CSV
          </Button>
          {access.canImportLedger && (
            <Upload accept=".xlsx,.csv" showUploadList={false} beforeUpload={handleImport}>
              <Button icon={<UploadOutlined />}>导入台账</Button>
            </Upload>
          )}
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          导入时全部行通过校验才会写入；有任何一行有误，全部不导入，并逐行列出问题。
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        {rowErrors.length > 0 && (
          <Table
            size="small"
            rowKey={(r) => r.path + r.message}
            dataSource={rowErrors}
            pagination={{ pageSize: 20 }}
            columns={[
              { title: "位置（行.列）", dataIndex: "path", width: 200 },
              { title: "问题", dataIndex: "message" },
            ]}
          />
        )}
      </Card>
    </>
  );
}
