# Palisade in a container: `palisade up` (AI gateway, REST API, dashboard) on the embedded store.
#
#   docker build -t palisade .
#   docker run --rm -p 7070:7070 -p 8080:8080 -v palisade-data:/home/nonroot/.palisade palisade \
#     up --listen 0.0.0.0:7070 --gateway-listen 0.0.0.0:8080 --upstream http://ollama:11434 --upstream-kind ollama
#
# Three stages: `build` compiles the TypeScript and the dashboard with every dependency;
# `deps` installs the production dependencies only (native better-sqlite3 built for this Debian);
# the runtime stage is distroless: Node.js and our files, no shell, no package manager, user
# `nonroot` (65532).

FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts later (prepare builds, and needs the sources); native modules are rebuilt below.
RUN npm ci --ignore-scripts
COPY . .
RUN npm rebuild better-sqlite3 esbuild && npm run build

FROM node:20-bookworm AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# onnxruntime-node (the optional injection classifier stage) bundles its native library for every
# platform, ~290 MB; the Linux ones (x64 and arm64, ~70 MB) are all a Linux image can load.
RUN npm ci --omit=dev --ignore-scripts && npm rebuild better-sqlite3 \
 && rm -rf node_modules/onnxruntime-node/bin/napi-v6/darwin node_modules/onnxruntime-node/bin/napi-v6/win32

FROM gcr.io/distroless/nodejs20-debian12:nonroot
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/rules ./rules
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/examples ./examples
ENV NODE_ENV=production
# The embedded store lives here unless --db or PALISADE_DATABASE_URL names another.
VOLUME ["/home/nonroot/.palisade"]
EXPOSE 7070 8080
USER nonroot
ENTRYPOINT ["/nodejs/bin/node", "/app/bin/palisade.js"]
CMD ["up", "--listen", "0.0.0.0:7070", "--gateway-listen", "0.0.0.0:8080"]
