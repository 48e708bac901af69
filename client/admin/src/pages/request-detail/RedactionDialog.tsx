/**
 * 区分处理 of a PDF, or of a Word file the server converts to PDF first: the pages are rendered by
 * the server with MuPDF (the same engine that applies the redaction, so a box lands exactly where it
 * was drawn), the handler drags boxes or searches a phrase or pattern and marks every occurrence,
 * each box carrying its legal ground. Reviewers see the same boxes over the original; applying
 * produces the redacted file for delivery.
 */
import { redactionApi } from "@govinfo/shared/api/routes/redaction";
import {
  type RedactionBox,
  type RedactionGround,
  type RedactionPattern,
  type RedactionSetDto,
  redactionGroundInfo,
  redactionGrounds,
  redactionPatternLabels,
} from "@govinfo/shared/schemas/redaction";
import { App, Button, Input, Modal, Select, Space, Tag, Typography } from "antd";
import { type MouseEvent, useEffect, useState } from "react";
import { api } from "../../api.ts";
import { errorText } from "../../components/PageShell.tsx";

const groundOptions = redactionGrounds.map((ground) => ({
  value: ground,
  label: `${redactionGroundInfo[ground].article} ${redactionGroundInfo[ground].name}`,
}));

type SearchKind = "phrase" | RedactionPattern;

/** The redaction tool for one PDF of an application. */
export function RedactionDialog({
  requestId,
  documentId,
  filename,
  canEdit,
  onClose,
  onApplied,
}: {
  requestId: string;
  documentId: string;
  filename: string;
  canEdit: boolean;
  onClose(): void;
  onApplied(): void;
}) {
  const { message } = App.useApp();
  const [view, setView] = useState<RedactionSetDto | null>(null);
  const [boxes, setBoxes] = useState<RedactionBox[]>([]);
  const [ground, setGround] = useState<RedactionGround | undefined>(undefined);
  const [note, setNote] = useState("");
  const [kind, setKind] = useState<SearchKind>("phrase");
  const [phrase, setPhrase] = useState("");
  const [busy, setBusy] = useState(false);
  const [drag, setDrag] = useState<{ page: number; x0: number; y0: number; x1: number; y1: number } | null>(
    null,
  );

  useEffect(() => {
    api
      .call(redactionApi.load, { params: { id: requestId, docId: documentId } })
      .then((loaded) => {
        setView(loaded);
        setBoxes(loaded.boxes);
      })
      .catch((error: unknown) => message.error(errorText(error)));
  }, [requestId, documentId, message]);

  const editable = canEdit && (view?.editable ?? false);
  const withGround = (rect: Omit<RedactionBox, "ground" | "note">): RedactionBox | null => {
    if (!ground) {
      message.warning("请先选择不予公开的理由（法律依据），再标出遮盖范围");
      return null;
    }
    return { ...rect, ground, ...(note.trim() ? { note: note.trim() } : {}) };
  };

  const point = (event: MouseEvent<HTMLDivElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };
  const finishDrag = () => {
    if (!drag) return;
    setDrag(null);
    const x = Math.min(drag.x0, drag.x1);
    const y = Math.min(drag.y0, drag.y1);
    const width = Math.abs(drag.x1 - drag.x0);
    const height = Math.abs(drag.y1 - drag.y0);
    if (width < 3 || height < 3) return;
    const box = withGround({ page: drag.page, x, y, width, height });
    if (box) setBoxes((current) => [...current, box]);
  };

  const search = async () => {
    const body = kind === "phrase" ? { phrase } : { pattern: kind };
    setBusy(true);
    try {
      const hits = await api.call(redactionApi.search, {
        params: { id: requestId, docId: documentId },
        body,
      });
      const added = hits.flatMap(({ page, x, y, width, height }) => {
        const box = withGround({ page, x, y, width, height });
        return box ? [box] : [];
      });
      if (hits.length > 0 && added.length === 0) return;
      setBoxes((current) => [...current, ...added]);
      message.info(hits.length === 0 ? "未找到匹配的内容" : `已标记 ${hits.length} 处`);
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  const save = async (): Promise<boolean> => {
    try {
      const saved = await api.call(redactionApi.save, {
        params: { id: requestId, docId: documentId },
        body: { boxes },
      });
      setView(saved);
      setBoxes(saved.boxes);
      return true;
    } catch (error) {
      message.error(errorText(error));
      return false;
    }
  };

  const apply = async () => {
    setBusy(true);
    try {
      if (!(await save())) return;
      await api.call(redactionApi.apply, { params: { id: requestId, docId: documentId } });
      message.success("已生成区分处理后的文件，原件仅存档，不提供给申请人");
      onApplied();
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={1000}
      title={`区分处理：${filename}`}
      onCancel={onClose}
      footer={
        editable ? (
          <Space>
            <Button onClick={onClose}>关闭</Button>
            <Button
              disabled={busy}
              onClick={async () => {
                if (await save()) message.success("已保存遮盖框");
              }}
            >
              保存遮盖框
            </Button>
            <Button type="primary" loading={busy} disabled={boxes.length === 0} onClick={apply}>
              生成区分处理后的文件
            </Button>
          </Space>
        ) : (
          <Button onClick={onClose}>关闭</Button>
        )
      }
    >
      {editable && (
        <Space direction="vertical" style={{ width: "100%", marginBottom: 12 }}>
          <Space wrap>
            <Select
              aria-label="不予公开的理由"
              placeholder="选择不予公开的理由（法律依据）"
              style={{ width: 360 }}
              options={groundOptions}
              value={ground}
              onChange={setGround}
            />
            <Input
              aria-label="备注"
              placeholder="备注（可选，如：第三方身份证号码）"
              style={{ width: 300 }}
              value={note}
              onChange={(event) => setNote(event.target.value)}
            />
          </Space>
          <Space wrap>
            <Select<SearchKind>
              aria-label="查找类型"
              style={{ width: 160 }}
              value={kind}
              onChange={setKind}
              options={[
                { value: "phrase", label: "文字" },
                { value: "idNumber", label: redactionPatternLabels.idNumber },
                { value: "phone", label: redactionPatternLabels.phone },
              ]}
            />
            {kind === "phrase" && (
              <Input
                aria-label="查找内容"
                placeholder="输入姓名、单位名称等"
                style={{ width: 240 }}
                value={phrase}
                onChange={(event) => setPhrase(event.target.value)}
              />
            )}
            <Button onClick={search} loading={busy}>
              查找并全部标记
            </Button>
            <Typography.Text type="secondary">
              在页面上拖动鼠标可画出遮盖框；点击遮盖框可删除。
            </Typography.Text>
          </Space>
        </Space>
      )}
      <Typography.Paragraph>
        共 {boxes.length} 处遮盖
        {view?.appliedVersion ? (
          <Tag style={{ marginLeft: 8 }}>已生成区分处理文件（第 {view.appliedVersion} 版）</Tag>
        ) : null}
        {!view?.editable && view ? <Tag color="orange">答复告知书已出具，不能再修改</Tag> : null}
        {view?.convertedFrom === "docx" ? (
          <Tag color="blue" style={{ marginLeft: 8 }}>
            Word 文件已转换为 PDF 进行区分处理，原 Word 文件仅存档，不提供给申请人
          </Tag>
        ) : null}
      </Typography.Paragraph>
      <div style={{ maxHeight: 640, overflow: "auto", background: "#f0f0f0", padding: 12 }}>
        {view?.pages.map((size, index) => (
          // biome-ignore lint/a11y/noStaticElementInteractions: boxes are drawn with the mouse; searching marks them without one
          <div
            // biome-ignore lint/suspicious/noArrayIndexKey: pages are identified by their number
            key={index}
            data-testid={`redaction-page-${index + 1}`}
            style={{
              position: "relative",
              width: size.width,
              height: size.height,
              margin: "0 auto 12px",
              background: "#fff",
              cursor: editable ? "crosshair" : "default",
              userSelect: "none",
            }}
            onMouseDown={(event) => {
              if (!editable || event.target !== event.currentTarget.firstChild) return;
              const { x, y } = point(event);
              setDrag({ page: index, x0: x, y0: y, x1: x, y1: y });
            }}
            onMouseMove={(event) => {
              if (!drag || drag.page !== index) return;
              const { x, y } = point(event);
              setDrag({ ...drag, x1: x, y1: y });
            }}
            onMouseUp={finishDrag}
          >
            <img
              src={api.url(redactionApi.page, {
                params: { id: requestId, docId: documentId, page: index + 1 },
              })}
              alt={`第 ${index + 1} 页`}
              draggable={false}
              style={{ width: size.width, height: size.height, display: "block" }}
            />
            {boxes.map((box, boxIndex) =>
              box.page === index ? (
                <button
                  type="button"
                  // biome-ignore lint/suspicious/noArrayIndexKey: boxes have no identity besides their place
                  key={boxIndex}
                  className="redaction-box"
                  title={`${redactionGroundInfo[box.ground].label}${box.note ? `（${box.note}）` : ""}`}
                  disabled={!editable}
                  onClick={() => setBoxes((current) => current.filter((_, i) => i !== boxIndex))}
                  style={{
                    position: "absolute",
                    left: box.x,
                    top: box.y,
                    width: box.width,
                    height: box.height,
                    background: "rgba(0,0,0,0.45)",
                    border: "2px solid #cf1322",
                    color: "#fff",
                    fontSize: 9,
                    overflow: "hidden",
                    padding: 0,
                    cursor: editable ? "pointer" : "default",
                  }}
                >
                  {redactionGroundInfo[box.ground].label}
                </button>
              ) : null,
            )}
            {drag && drag.page === index && (
              <div
                style={{
                  position: "absolute",
                  left: Math.min(drag.x0, drag.x1),
                  top: Math.min(drag.y0, drag.y1),
                  width: Math.abs(drag.x1 - drag.x0),
                  height: Math.abs(drag.y1 - drag.y0),
                  border: "1px dashed #cf1322",
                  pointerEvents: "none",
                }}
              />
            )}
          </div>
        ))}
      </div>
    </Modal>
  );
}
