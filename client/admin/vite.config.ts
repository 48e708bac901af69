import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Served by the API server at /admin/ (see server/middlewares/staticSite.ts); routes live in the hash.
export default defineConfig({
  base: "/admin/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The pages' shared antd chunk is the largest file (ProComponents tables and forms).
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // React and the charts change less often than our pages: their own chunks stay cached across
        // releases. Other libraries are split by the pages that use them (no catch-all vendor chunk),
        // so the login page loads the few antd components it shows, not ProComponents and every icon.
        manualChunks: (id) => {
          if (!id.includes("node_modules")) return undefined;
          if (/[\\/](echarts|zrender)[\\/]/.test(id)) return "charts";
          if (/[\\/](react|react-dom|scheduler)[\\/]/.test(id)) return "react";
          return undefined;
        },
      },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:3000" } },
});
