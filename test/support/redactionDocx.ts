/**
 * Word files for the DOCX redaction tests and benchmark, written with the `docx` package (as the
 * platform writes its letters): every page holds the known ID number, phone and name of
 * `redactionPdf.ts` in its body, in a table cell and in the page header, and the author recorded in
 * the file's properties is the name too, so a leak through metadata shows as well.
 */
import { Document, Header, Packer, PageBreak, Paragraph, Table, TableCell, TableRow, TextRun } from "docx";
import JSZip from "jszip";
import { SECRET } from "./redactionPdf.ts";

/** Text that must survive redaction, once per page. */
export const DOCX_PUBLIC_TEXT = "本机关依法审查后予以公开的内容";

const FILLER =
  "本机关依照《中华人民共和国政府信息公开条例》的规定，对申请事项进行了审查，现将有关情况说明如下。";

/** A DOCX of `pages` pages (a page break after each page's content). */
export async function buildSecretDocx(pages = 1): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [];
  for (let index = 0; index < pages; index++) {
    children.push(
      new Paragraph({ children: [new TextRun(`第${index + 1}页 ${DOCX_PUBLIC_TEXT}`)] }),
      new Paragraph(`身份证号码：${SECRET.idNumber}`),
      new Paragraph(`联系电话：${SECRET.phone}`),
      new Table({
        rows: [
          new TableRow({
            children: [
              new TableCell({ children: [new Paragraph("承办人")] }),
              new TableCell({ children: [new Paragraph(SECRET.name)] }),
            ],
          }),
        ],
      }),
      ...Array.from({ length: 12 }, () => new Paragraph(FILLER)),
    );
    if (index < pages - 1) children.push(new Paragraph({ children: [new PageBreak()] }));
  }
  const doc = new Document({
    creator: SECRET.name,
    sections: [
      {
        headers: { default: new Header({ children: [new Paragraph(`联系人 ${SECRET.name}`)] }) },
        children,
      },
    ],
  });
  return Buffer.from(await Packer.toBuffer(doc));
}

/**
 * `docx` with a picture linked (not embedded) from `url`, as Word writes "link to file": a
 * relationship with TargetMode="External" and a drawing whose blip names it by `r:link`.
 */
export async function withLinkedImage(docx: Buffer, url: string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(docx);
  const relsPath = "word/_rels/document.xml.rels";
  const rels = (await zip.file(relsPath)?.async("string")) ?? "";
  zip.file(
    relsPath,
    rels.replace(
      "</Relationships>",
      `<Relationship Id="rIdLinked" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="${url}" TargetMode="External"/></Relationships>`,
    ),
  );
  const picture = [
    '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="952500" cy="952500"/><wp:docPr id="900" name="linked"/>',
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">',
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">',
    '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">',
    '<pic:nvPicPr><pic:cNvPr id="900" name="linked.png"/><pic:cNvPicPr/></pic:nvPicPr>',
    '<pic:blipFill><a:blip r:link="rIdLinked"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>',
    '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="952500" cy="952500"/></a:xfrm>',
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>',
    "</wp:inline></w:drawing></w:r></w:p>",
  ].join("");
  const documentXml = (await zip.file("word/document.xml")?.async("string")) ?? "";
  zip.file("word/document.xml", documentXml.replace("<w:body>", `<w:body>${picture}`));
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}
