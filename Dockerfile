# Hookflow server image on Node.js 24 LTS: bundles built in one stage, run as a non-root user in the next.
# Build: docker build -t hookflow .   Run: see docs/docker.md (volume /data, HOOKFLOW_SECRET_KEY, port 8080).

# --- build: install (nothing compiles), bundle the server (dist/) and the editor (web/dist), prune ---
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Both native addons ship prebuilt binaries in their npm packages (better-sqlite3 for Node-API, isolated-vm for
# Node 22/24 on linux x64/arm64, glibc and musl), so no python3, make or g++. --ignore-scripts: no dependency needs
# its install script here, and better-sqlite3's implicit `node-gyp rebuild` (a no-op with a prebuild, but it
# needs python3 and make) is skipped whatever the npm version; prune-addons.mjs below proves both addons load.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && node scripts/prune-addons.mjs /app \
 && test -f dist/cli.js && test -f dist/child.js && test -d dist/migrations && test -f web/dist/index.html

# --- runtime: production node_modules (with this platform's prebuilt addons), the bundles, nothing else ---
FROM node:24-bookworm-slim
RUN groupadd --gid 10001 hookflow \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin hookflow \
 && mkdir -p /data \
 && chown 10001:10001 /data \
 && chmod 0700 /data
WORKDIR /app
ENV NODE_ENV=production \
    HOOKFLOW_HOST=0.0.0.0 \
    HOOKFLOW_PORT=8080 \
    HOOKFLOW_DATA_DIR=/data
# Application files stay owned by root: the server user can read them, not change them.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
VOLUME ["/data"]
USER 10001:10001
EXPOSE 8080
# No curl in the slim image: node asks /healthz itself (plain HTTP; with HOOKFLOW_TLS_CERT set, override it).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HOOKFLOW_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node is PID 1 (exec form, no shell): Hookflow handles SIGTERM itself, drains in-flight work and exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "--no-node-snapshot", "dist/cli.js"]
CMD ["start"]
