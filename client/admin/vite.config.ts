import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Served by the API server at /admin/ (see server/middlewares/staticSite.ts); routes live in the hash.
export default defineConfig({
  base: "/admin/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  server: { proxy: { "/api": "http://127.0.0.1:3000" } },
});
