/// <reference types="@tarojs/taro" />

declare module "*.png";
declare module "*.css";
declare module "*.scss";

/** The API base baked in at build time: "/api" on H5, TARO_APP_API_BASE on weapp. */
declare const API_BASE: string;

/** The WeChat subscribe-message template id per notification kind (TARO_APP_TEMPLATE_*); "" when unset. */
declare const SUBSCRIBE_TEMPLATES: Readonly<
  Partial<Record<import("@govinfo/shared/wechat/subscribe").SubscribeKind, string>>
>;

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: "weapp" | "h5";
    TARO_APP_API_BASE?: string;
    TARO_APP_ID?: string;
    TARO_APP_TEMPLATE_PROGRESS?: string;
    TARO_APP_TEMPLATE_ACTION?: string;
    TARO_APP_TEMPLATE_RESULT?: string;
  }
}
