# Hookflow server image: builds the native addons and the bundles in one stage, runs as a non-root user in the next.
# Build: docker build -t hookflow .   Run: see docs/docker.md (volume /data, HOOKFLOW_SECRET_KEY, port 8080).

# --- build: compile better-sqlite3 and isolated-vm, bundle the server (dist/) and the editor (web/dist) ---
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Only the compiled .node files are loaded at run time: drop better-sqlite3's objects and SQLite sources (~27 MB).
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/better-sqlite3/build/Release/obj node_modules/better-sqlite3/build/Release/obj.target \
           node_modules/better-sqlite3/build/Release/.deps node_modules/better-sqlite3/deps \
 && test -f node_modules/better-sqlite3/build/Release/better_sqlite3.node && test -f node_modules/isolated-vm/out/isolated_vm.node \
 && test -f dist/cli.js && test -f dist/child.js && test -d dist/migrations && test -f web/dist/index.html

# --- runtime: production node_modules (with the compiled addons), the bundles, nothing else ---
FROM node:20-bookworm-slim
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
