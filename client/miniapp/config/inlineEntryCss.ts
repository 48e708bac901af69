/**
 * Puts the H5 build's entry stylesheet inside index.html. A `<link rel="stylesheet">` in the head holds
 * the first paint until it has arrived — on a phone, one more round trip (and often a new connection)
 * before the citizen sees anything — while the entry CSS is about 4 KB (1 KB compressed). Page
 * stylesheets stay files, loaded with their page.
 */

/** What this plugin uses of an html-webpack-plugin tag. */
interface Tag {
  tagName: string;
  voidTag: boolean;
  attributes: Record<string, string | boolean | null | undefined>;
  innerHTML?: string;
  meta: Record<string, unknown>;
}

/** What this plugin uses of webpack's compiler (webpack is Taro's dependency, not ours). */
interface Compiler {
  options: { plugins: unknown[] };
  hooks: { compilation: { tap(name: string, run: (compilation: Compilation) => void): void } };
}
interface Compilation {
  getAsset(name: string): { source: { source(): string | Buffer } } | undefined;
}
interface HtmlPluginClass {
  getHooks(compilation: Compilation): {
    alterAssetTagGroups: {
      tap(name: string, run: (data: { headTags: Tag[]; publicPath: string }) => unknown): void;
    };
  };
}

export class InlineEntryCssPlugin {
  apply(compiler: Compiler): void {
    compiler.hooks.compilation.tap("InlineEntryCss", (compilation) => {
      // The html plugin instance Taro configured; its class gives the hooks of this compilation.
      const html = compiler.options.plugins.find(
        (plugin) =>
          (plugin as { constructor?: { name?: string } })?.constructor?.name === "HtmlWebpackPlugin",
      ) as { constructor: HtmlPluginClass } | undefined;
      if (!html) return;
      html.constructor.getHooks(compilation).alterAssetTagGroups.tap("InlineEntryCss", (data) => {
        data.headTags = data.headTags.map((tag) => {
          const href =
            tag.tagName === "link" && tag.attributes.rel === "stylesheet" ? tag.attributes.href : "";
          const name =
            typeof href === "string" && href.startsWith(data.publicPath)
              ? href.slice(data.publicPath.length)
              : "";
          const asset = name === "" ? undefined : compilation.getAsset(name);
          if (!asset) return tag;
          return {
            tagName: "style",
            voidTag: false,
            attributes: {},
            innerHTML: asset.source.source().toString(),
            meta: { plugin: "InlineEntryCss" },
          };
        });
        return data;
      });
    });
  }
}
