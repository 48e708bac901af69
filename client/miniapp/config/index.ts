import path from "node:path";
import { defineConfig, type UserConfigExport } from "@tarojs/cli";
import { InlineEntryCssPlugin } from "./inlineEntryCss";
import { deploymentChecklist, parseWeappConfig, releaseMode, type WeappConfig } from "./weapp";

// The H5 build is served by the API server under /h5/ (same origin, so the API base is "/api");
// the weapp build calls the API over HTTPS at TARO_APP_API_BASE (checked in ./weapp.ts).
const isH5 = process.env.TARO_ENV === "h5";
// Shared schemas and the API client live outside src and must go through babel too.
const sharedSources = [path.resolve(__dirname, "../../../shared"), path.resolve(__dirname, "../../api")];

export default defineConfig<"webpack5">(async (merge, { mode }) => {
  const weapp = weappConfig(mode === releaseMode);
  const apiBase = isH5 ? "/api" : weapp.apiBase;
  const baseConfig: UserConfigExport<"webpack5"> = {
    projectName: "govinfo-miniapp",
    date: "2026-11-28",
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: "src",
    // A release build (npm run weapp:build) has its own folder, so tests never race an upload.
    outputRoot: weapp.isRelease ? "dist/weapp-release" : `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: {
      API_BASE: JSON.stringify(apiBase),
      // Subscribe-message template id per notification kind; "" = do not ask for that kind.
      SUBSCRIBE_TEMPLATES: JSON.stringify(isH5 ? {} : weapp.templates),
    },
    framework: "react",
    compiler: "webpack5",
    cache: { enable: false },
    mini: {
      compile: { include: sharedSources },
      postcss: { pxtransform: { enable: true, config: {} } },
    },
    h5: {
      compile: { include: sharedSources },
      // Some @tarojs packages are hoisted to the repository root while others stay in this
      // workspace; let the hoisted ones find their peers here.
      webpackChain(chain) {
        chain.resolve.modules.add(path.resolve(__dirname, "../node_modules")).add("node_modules");
        // Each page is its own chunk, loaded on first visit (route-level splitting). Taro splits only
        // the initial chunks, so every page chunk carried its own copy of the Taro components and
        // APIs it uses; splitting async chunks too puts those in one shared chunk, cached once.
        chain.optimization.merge({ splitChunks: { chunks: "all" } });
        chain.plugin("inlineEntryCss").use(InlineEntryCssPlugin);
      },
      publicPath: "/h5/",
      staticDirectory: "static",
      router: { mode: "hash" },
      output: { filename: "js/[name].[contenthash:8].js", chunkFilename: "js/[name].[chunkhash:8].js" },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: "css/[name].[contenthash:8].css",
        chunkFilename: "css/[name].[chunkhash:8].css",
      },
      postcss: { autoprefixer: { enable: true, config: {} } },
    },
  };
  return merge({}, baseConfig);
});

/** The checked weapp configuration; a release build with a problem stops here with every problem listed. */
function weappConfig(isRelease: boolean): WeappConfig {
  const result = parseWeappConfig(process.env, isRelease && !isH5);
  if (!result.ok) {
    console.error(
      `小程序配置有误（mini-program configuration is invalid）：\n  ${result.problems.join("\n  ")}`,
    );
    process.exit(2);
  }
  if (result.config.isRelease) console.log(`\n${deploymentChecklist(result.config)}\n`);
  return result.config;
}
