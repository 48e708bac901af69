import { readFileSync } from "node:fs";
import * as mupdf from "mupdf";
const doc = mupdf.Document.openDocument(readFileSync("/tmp/lo20/lfiout/lfi.pdf"), "application/pdf");
const t = doc.loadPage(0).toStructuredText("preserve-images");
console.log(t.asText().slice(0, 200));
let images = 0; t.walk({ onImageBlock: () => { images++; } }); console.log("images", images);
