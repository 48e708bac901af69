/**
 * The demo government tree: 海东市人民政府 with its 生态环境局 (the demo agency, after the bureau whose
 * 2019 annual report the project started from) and two sibling departments.
 */
import type { Types } from "mongoose";
import { Agency, type AgencyDoc } from "../models/Agency.ts";

/** Code of the demo agency; its presence means the demo data is already there. */
export const DEMO_AGENCY_CODE = "HDSTHJJ";

/** The demo agencies by their part in the tree. */
export interface DemoAgencies {
  government: AgencyDoc;
  bureau: AgencyDoc;
  siblings: AgencyDoc[];
}

const government = {
  code: "HDSZF",
  name: "海东市人民政府",
  level: "government" as const,
  serialPrefix: "海东政府",
  letterhead: {
    title: "海东市人民政府办公室",
    address: "青海省海东市乐都区碾伯镇朝阳山路1号",
    phone: "0972-8612110",
    postcode: "810700",
  },
};

const departments = [
  {
    code: DEMO_AGENCY_CODE,
    name: "海东市生态环境局",
    serialPrefix: "海东生环",
    letterhead: {
      title: "海东市生态环境局",
      address: "青海省海东市乐都区碾伯镇古城大街36号",
      phone: "0972-8613056",
      postcode: "810700",
    },
  },
  {
    code: "HDZRZYJ",
    name: "海东市自然资源局",
    serialPrefix: "海东自然资源",
    letterhead: {
      title: "海东市自然资源局",
      address: "青海省海东市乐都区碾伯镇朝阳山路12号",
      phone: "0972-8613208",
      postcode: "810700",
    },
  },
  {
    code: "HDZJJ",
    name: "海东市住房和城乡建设局",
    serialPrefix: "海东住建",
    letterhead: {
      title: "海东市住房和城乡建设局",
      address: "青海省海东市乐都区碾伯镇七里店路9号",
      phone: "0972-8613301",
      postcode: "810700",
    },
  },
];

/**
 * Creates the tree; the government first, so a concurrent first start of a second instance fails on
 * the unique agency code before it has written anything.
 */
export async function createDemoAgencies(): Promise<DemoAgencies> {
  const root = (
    await Agency.create({ ...government, parentId: null, ancestors: [] })
  ).toObject() as AgencyDoc;
  const children: AgencyDoc[] = [];
  for (const department of departments) {
    const created = await Agency.create({
      ...department,
      level: "department",
      parentId: root._id,
      ancestors: [root._id as Types.ObjectId],
    });
    children.push(created.toObject() as AgencyDoc);
  }
  const [bureau, ...siblings] = children;
  if (!bureau) throw new Error("demo bureau missing");
  return { government: root, bureau, siblings };
}
