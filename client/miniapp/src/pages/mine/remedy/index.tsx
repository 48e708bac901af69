/**
 * Print view of the pre-filled 行政复议申请书: the same model the DOCX prints, laid out as a page the
 * applicant can print from the browser (H5) or read and copy (weapp), with the DOCX as a download.
 */
import { aftercareApi } from "@govinfo/shared/api/routes/aftercare";
import { Button, Text, View } from "@tarojs/components";
import { useRouter } from "@tarojs/taro";
import { api } from "../../../api";
import { PageShell } from "../../../components/PageShell";
import { downloadOrToast } from "../../../download";
import { useLoader } from "../../../hooks/useLoader";
import "./index.scss";

/** The print view page. */
export default function ReviewApplicationPage() {
  const id = useRouter().params.id ?? "";
  const doc = useLoader(api, (client) => client.call(aftercareApi.reviewApplication, { params: { id } }), [
    id,
  ]);

  const handleDocx = () =>
    downloadOrToast(api.url(aftercareApi.reviewApplicationDocx, { params: { id } }), "行政复议申请书.docx");

  return (
    <PageShell needsLogin isLoading={doc.isLoading} error={doc.error} onRetry={doc.reload}>
      {doc.data ? (
        <View className="review-paper" role="document" aria-label={doc.data.title}>
          <Text className="block review-title">{doc.data.title}</Text>
          {doc.data.sections.map((section) => (
            <View key={section.heading} className="review-section">
              <Text className="block review-heading">{section.heading}：</Text>
              {section.lines.map((line) => (
                <Text key={line} className="block review-line">
                  {line}
                </Text>
              ))}
            </View>
          ))}
          {doc.data.closing.map((line) => (
            <Text key={line} className="block review-line review-closing">
              {line}
            </Text>
          ))}
          <View className="row review-actions">
            {process.env.TARO_ENV === "h5" ? (
              <Button className="primary-btn review-print" onClick={() => window.print()}>
                打印
              </Button>
            ) : null}
            <Button className="plain-btn review-docx" onClick={handleDocx}>
              下载 DOCX
            </Button>
          </View>
        </View>
      ) : null}
    </PageShell>
  );
}
