import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Served by the API server at /admin/ (see server/middlewares/staticSite.ts); routes live in the hash.
export default defineConfig({
  base: "/admin/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // antd with its icons is one ~1.1 MB vendor chunk (337 KB gzipped), loaded once and cached.
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // Libraries change less often than our pages: separate chunks stay cached across releases.
        manualChunks: (id) => {
          if (!id.includes("node_modules")) return undefined;
          if (/[\\/](echarts|zrender)[\\/]/.test(id)) return "charts";
          if (/[\\/](react|react-dom|scheduler)[\\/]/.test(id)) return "react";
          return "vendor";
        },
      },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:3000" } },
});
