# Mimamori Hub service image. Build context: the repository root.
# Node 24 LTS, the version CI runs every test on (docs/decisions.md, Node 22 and 24).
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY . .
RUN npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production MIMAMORI_DATA_DIR=/var/lib/mimamori
COPY --from=build /app /app
# The data directory belongs to the user the hub runs as. Docker fills a new, empty named volume
# mounted here with a copy of this directory, its owner and mode included, so the hub can write its
# database there; without it the volume is root's and the hub cannot start (issue 20). A bind
# mount keeps the host directory's owner: give it to uid 1000 (docs/operations.md).
RUN install -d -o node -g node -m 0750 /var/lib/mimamori
USER node
VOLUME /var/lib/mimamori
EXPOSE 8080 1883
CMD ["node", "hub/dist/main.js"]
