# Tandem as a container image: the documented way to run several instances (see compose.yaml and
# the README's "Running several instances").
#
#   docker build -t tandem .
#   docker run --env-file .env -p 3000:3000 tandem
#
# Build stage: the whole toolchain (TypeScript, and a compiler for better-sqlite3 should no prebuilt
# binary fit), then only the production dependencies are kept for the image.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
# Only what the build reads: the sources must be present before `npm ci`, whose prepare step builds.
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY db/migrations ./db/migrations
RUN npm ci --no-audit --no-fund
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund

# Run stage: Node, the compiled bot and its production dependencies, as an unprivileged user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The SQLite default lives in /app/db; with PostgreSQL (a fleet) nothing is written here.
RUN mkdir -p /app/db && chown node:node /app/db
USER node
EXPOSE 3000
# Liveness: the process answers. Readiness (/readyz: database open and migrated) is what a load
# balancer or compose.yaml waits for.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node itself as the first process, so SIGTERM from `docker stop` reaches the bot (it stops cleanly).
CMD ["node", "dist/src/main.js"]
