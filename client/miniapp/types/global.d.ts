/// <reference types="@tarojs/taro" />

declare module "*.png";
declare module "*.css";
declare module "*.scss";

/** The API base baked in at build time: "/api" on H5, TARO_APP_API_BASE on weapp. */
declare const API_BASE: string;

/** The WeChat subscribe-message template id (TARO_APP_SUBSCRIBE_TEMPLATE_ID), or "". */
declare const SUBSCRIBE_TEMPLATE_ID: string;

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: "weapp" | "h5";
    TARO_APP_API_BASE?: string;
    TARO_APP_SUBSCRIBE_TEMPLATE_ID?: string;
  }
}
