/// <reference types="vitest/config" />
import { fileURLToPath, URL } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The FastAPI app serves dist/ at / (SPA fallback); `npm run dev` proxies /api to a local server.
export default defineConfig({
  plugins: [react()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  server: {
    proxy: { "/api": { target: process.env.METALOOP_API ?? "http://127.0.0.1:8000", changeOrigin: true } },
  },
  build: { target: "es2022", sourcemap: false, chunkSizeWarningLimit: 800 },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/testing/setup.ts"],
  },
});
