/**
 * Search relevance on a fixed Chinese corpus: title matches beat body matches, 文号 fragments in any
 * bracket style find their document, recency breaks ties, highlights are escaped HTML, and no query
 * string of any content makes the search fail.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AgencyDoc } from "../../../../server/models/Agency.ts";
import { createItem, publishItem, withdrawItem } from "../../../../server/services/catalogue/items.ts";
import { buildAgency } from "../../../factories/people.ts";
import { anonymousClient, type Client } from "../../../support/clients.ts";
import type { TestResponse } from "../../../support/http.ts";
import { startTestServer, type TestServer } from "../../../support/testServer.ts";

let server: TestServer;
let agency: AgencyDoc;
let anon: Client;
const ids = new Map<string, string>();

interface Hit {
  id: string;
  title: string;
  titleHtml: string;
  snippetHtml: string;
  score: number;
}

/** [key, title, 文号, body, 生成日期 = 发布日期] */
const corpus: Array<[string, string, string, string, string]> = [
  [
    "airPlan",
    "海东市大气污染防治实施方案",
    "海东生环发〔2019〕3号",
    "为改善环境空气质量，制定本方案。",
    "2019-02-11",
  ],
  [
    "meeting",
    "关于召开工作会议的通知",
    "",
    "会议研究大气污染防治工作，部署大气污染防治重点任务。",
    "2019-08-01",
  ],
  [
    "qh12",
    "关于加强建设项目环境管理的通知",
    "青环发〔2019〕12号",
    "各市州生态环境局：现就有关事项通知如下。",
    "2019-01-15",
  ],
  [
    "qh120",
    "关于开展危险废物专项检查的通知",
    "青环发〔2019〕120号",
    "各市州生态环境局：请按要求开展检查。",
    "2019-07-15",
  ],
  [
    "qh2018",
    "关于做好秸秆禁烧工作的通知",
    "青环发〔2018〕12号",
    "各市州生态环境局：请做好秸秆禁烧。",
    "2018-04-02",
  ],
  ["water1", "海东市饮用水水源地环境状况（一）", "", "水源地水质达标。", "2019-03-01"],
  ["water2", "海东市饮用水水源地环境状况（二）", "", "水源地水质达标。", "2019-06-03"],
  [
    "permit",
    "青海互助青稞酒股份有限公司排污许可证核发信息公示",
    "",
    "拟核发排污许可证，现予公示。",
    "2019-05-06",
  ],
  [
    "eia",
    "关于乐都区110千伏输变电工程环境影响报告表的批复",
    "海东生环审〔2019〕8号",
    "同意项目建设。",
    "2019-05-20",
  ],
  [
    "noise",
    "海东市环境噪声污染防治办法",
    "海东市人民政府令第5号",
    "为防治环境噪声污染，保障居民正常生活，制定本办法。",
    "2019-09-02",
  ],
  ["xss", "“<script>alert(1)</script>”环境监管通报", "", "某企业<b>擅自</b>停运治污设施。", "2019-10-08"],
  ["quality", "2019年第一季度海东市环境空气质量状况", "", "优良天数比例为92.3%。", "2019-04-10"],
  [
    "poverty",
    "生态环境保护助力脱贫攻坚实施意见",
    "海东生环发〔2019〕30号",
    "发挥生态环境保护在脱贫攻坚中的作用。",
    "2019-06-20",
  ],
  [
    "reform",
    "深化“放管服”改革优化营商环境的若干措施",
    "海东生环发〔2019〕31号",
    "压减环评审批时限。",
    "2019-06-21",
  ],
  [
    "emergency",
    "海东市突发环境事件应急预案",
    "海东生环发〔2019〕44号",
    "有效防范和妥善应对突发环境事件。",
    "2019-11-04",
  ],
  // Its title carries the year and the number of 〔2019〕44 as words; newer, so it wins every tie.
  ["decoy", "2019年44项重点任务完成情况", "", "2019年共完成44项任务。", "2019-12-20"],
  [
    "penalty",
    "海东市平安区宏达建材有限公司环境行政处罚决定书",
    "海东环罚〔2019〕2号",
    "处以罚款人民币五万元。",
    "2019-12-02",
  ],
  ["soil", "海东市土壤污染防治工作方案", "海东生环发〔2019〕9号", "加强土壤污染源头管控。", "2019-03-18"],
  ["english", "PM2.5 Monitoring Report for Haidong", "", "Annual PM2.5 concentration fell.", "2019-12-10"],
  ["budget", "海东市生态环境局2019年部门预算", "", "本部门2019年收入预算。", "2019-02-20"],
  ["withdrawn", "大气污染防治撤回测试", "", "大气污染防治。", "2019-02-12"],
];

before(async () => {
  server = await startTestServer();
  anon = anonymousClient(server);
  agency = await buildAgency({ code: "SEARCH", name: "检索测试局" });
  for (const [key, title, docNumber, body, date] of corpus) {
    const item = await createItem(null, {
      agencyId: String(agency._id),
      title,
      docNumber,
      category: "other",
      docKind: "other",
      topics: [],
      summary: "",
      body,
      link: "",
      formedDate: date,
    });
    const published = await publishItem(null, item, date);
    if (key === "withdrawn") await withdrawItem(null, published, "测试撤回");
    ids.set(key, String(item._id));
  }
});

after(async () => {
  await server.close();
});

async function search(q: string): Promise<{ total: number; items: Hit[] }> {
  const response: TestResponse = await anon.get(
    `/api/catalogue/search?agency=${agency._id}&q=${encodeURIComponent(q)}`,
  );
  assert.equal(response.status, 200, `${q}: ${JSON.stringify(response.body)}`);
  return (response.body as { data: { total: number; items: Hit[] } }).data;
}

const top = async (q: string, n = 1) => (await search(q)).items.slice(0, n).map((hit) => hit.id);
const id = (key: string) => ids.get(key) as string;

describe("relevance", () => {
  it("ranks a title match above a body match", async () => {
    assert.deepEqual(await top("大气污染防治", 2), [id("airPlan"), id("meeting")]);
    assert.deepEqual(await top("土壤污染"), [id("soil")]);
    assert.deepEqual(await top("噪声"), [id("noise")]);
  });

  it("finds a document by its 文号 in any bracket style", async () => {
    for (const q of [
      "青环发〔2019〕12号",
      "青环发[2019]12号",
      "青环发2019 12",
      "青环发（2019）12号",
      "青环发［２０１９］１２号",
    ]) {
      assert.deepEqual(await top(q), [id("qh12")], q);
    }
    assert.deepEqual(await top("青环发〔2019〕120号"), [id("qh120")]);
    assert.deepEqual(await top("青环发〔2018〕12号"), [id("qh2018")]);
    assert.deepEqual(
      await top("关于青环发〔2019〕12号文件的执行情况"),
      [id("qh12")],
      "extra words around the 文号",
    );
    assert.deepEqual(await top("海东环罚〔2019〕2号"), [id("penalty")]);
  });

  it("ranks the exact document first for a bare 文号 fragment such as 〔2019〕44", async () => {
    assert.equal((await top("〔2019〕44"))[0], id("emergency"));
    assert.equal((await top("[2019]44号"))[0], id("emergency"));
    assert.equal((await top("（２０１９）４４"))[0], id("emergency"));
    assert.equal((await top("〔2019〕12"))[0], id("qh12"), "12 is not 120");
    assert.equal((await top("〔2019〕120"))[0], id("qh120"));
    assert.equal((await top("〔2018〕12"))[0], id("qh2018"));
  });

  it("breaks ties by recency", async () => {
    assert.deepEqual(await top("饮用水水源地", 2), [id("water2"), id("water1")]);
  });

  it("matches Latin text case-insensitively and full-width forms as half-width", async () => {
    assert.deepEqual(await top("pm2.5 monitoring"), [id("english")]);
    assert.deepEqual(await top("ＰＭ２.５ report"), [id("english")]);
  });

  it("never returns withdrawn items", async () => {
    const { items } = await search("大气污染防治");
    assert.ok(!items.some((hit) => hit.id === id("withdrawn")));
  });

  it("highlights matched words in escaped HTML", async () => {
    const [hit] = (await search("大气污染防治")).items;
    assert.equal(hit?.titleHtml, "海东市<em>大气污染</em><em>防治</em>实施方案");
    const [xss] = (await search("环境监管通报")).items;
    assert.equal(xss?.id, id("xss"));
    assert.ok(!xss.titleHtml.includes("<script>"), xss.titleHtml);
    assert.ok(xss.titleHtml.includes("&lt;script&gt;"));
    assert.ok(xss.titleHtml.includes("<em>环境</em>"));
    assert.ok(!xss.snippetHtml.includes("<b>"), xss.snippetHtml);
  });

  it("suggests published titles while an application is typed", async () => {
    const response = await anon.get(
      `/api/catalogue/suggest?agency=${agency._id}&q=${encodeURIComponent("排污许可证")}`,
    );
    const list = (response.body as { data: Array<{ id: string; titleHtml: string }> }).data;
    assert.equal(list[0]?.id, id("permit"));
    assert.ok(list.length <= 5);
    const many = await anon.get(
      `/api/catalogue/suggest?agency=${agency._id}&q=${encodeURIComponent("海东市")}`,
    );
    assert.equal((many.body as { data: unknown[] }).data.length, 5);
  });
});

describe("robustness", () => {
  it("answers any query string with 200", async () => {
    const junk = Array.from({ length: 1000 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 5000))).join(
      "",
    );
    const queries = [
      "",
      " ",
      "。，！？",
      "(((",
      "[a-z]+",
      ".*",
      "\\",
      "$where",
      '{"$gt":""}',
      "^$|()[]{}?*+",
      "<script>alert(1)</script>",
      "\u0000\u0001",
      "😀🚀",
      "的的的的的",
      "青环发〔",
      "〔2019〕",
      "2019",
      "a".repeat(5000),
      junk,
      "大气".repeat(500),
    ];
    for (const q of queries) await search(q);
    const asArray = await anon.get("/api/catalogue/search?q=a&q=b");
    assert.equal(asArray.status, 200);
    const noQ = await anon.get("/api/catalogue/search");
    assert.equal(noQ.status, 200);
    assert.equal((noQ.body as { data: { total: number } }).data.total, 0);
    const suggestJunk = await anon.get(`/api/catalogue/suggest?q=${encodeURIComponent(junk)}`);
    assert.equal(suggestJunk.status, 200);
  });
});
