# Build stage: compile TypeScript; only dist/ and production node_modules move on.
FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV PUPPETEER_SKIP_DOWNLOAD=true
# better-sqlite3 (the durable store) downloads a prebuilt addon when it can and compiles itself when it
# cannot (no network, or no prebuilt for this Node): the compilers stay in this stage only.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .puppeteerrc.cjs ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# --omit=optional as well: typescript (23 MB) is a dev dependency that is also an optional peer of
# cosmiconfig (under puppeteer), so npm marks it devOptional and --omit=dev alone keeps it. The other
# optional packages are whatsapp-web.js's RemoteAuth extras (archiver, unzipper, fs-extra); the
# gateway uses LocalAuth.
RUN npm run build && npm prune --omit=dev --omit=optional

# Runtime stage: Debian's Chromium and fonts, tini as PID 1, a non-root user.
FROM node:24-bookworm-slim
COPY scripts/install-system-packages.sh /usr/local/bin/install-system-packages
RUN install-system-packages && rm -rf /var/lib/apt/lists/*
# HOST: inside a container the gateway listens on every interface of the container; who may reach
# it is decided where the port is published (see docker-compose.yml).
ENV NODE_ENV=production \
    PUPPETEER_SKIP_DOWNLOAD=true \
    CHROME_PATH=/usr/bin/chromium \
    DATA_DIR=/data/auth \
    MEDIA_DIR=/data/media \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY public ./public
RUN mkdir -p /data/auth /data/media && chown -R node:node /data
USER node
# Only the logins and the store (gateway-store.sqlite: outbox, receipts, event log) are state, both in
# DATA_DIR; /data/media is an input, mounted read-only by whoever runs the image.
VOLUME ["/data/auth"]
EXPOSE 3000
# Asks the container's own address, where a published port arrives, not 127.0.0.1 (see src/healthcheck.ts).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD ["node", "dist/src/healthcheck.js"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/main.js"]
