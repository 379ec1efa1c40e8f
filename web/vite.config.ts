/**
 * Builds the dashboard into web/dist (`npm run build:web`), which `palisade up` serves beside the
 * API. Everything is bundled: no CDN, no web fonts, no inline script (the server's CSP allows
 * only 'self'). For development, `npx vite web` serves it with /api proxied to PALISADE_API_URL
 * (default http://127.0.0.1:7070).
 */
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // No data: URIs for assets: every file is its own request under the CSP's 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  server: { proxy: { "/api": process.env.PALISADE_API_URL ?? "http://127.0.0.1:7070" } },
});
