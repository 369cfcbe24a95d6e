# One image for the worker, the app (webhook bridge) and the payments CLI; docker-compose.yml picks the command.
# It runs compiled JavaScript with a workflow bundle built here, so nothing compiles at start-up (no tsx, no
# webpack or swc in the worker).

FROM node:20-bookworm-slim AS build
WORKDIR /app
# pkcs11js, the binding of the PKCS#11 signer (docs/hsm.md), compiles when installed: the toolchain is needed in this
# stage only; the runtime stage takes the built node_modules.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY scripts/build-javascript.ts scripts/build-workflow-bundle.ts ./scripts/
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
# Memory (README "Worker memory"): two malloc arenas instead of glibc's eight per core (about 30 MiB less worker
# RSS), and a 256 MiB V8 old space for the main thread. Sized from the machine instead, the worker's main heap grew
# with every payment it had seen (160 MiB more at 10,000 parked than at 1,000); limited, V8 collects it. The worker
# sets its workflow thread's limit itself, from its cache size. Outside the image the worker sets both itself: it
# starts itself again with them (src/worker-launch.ts); here they are set already, so it runs as one process.
ENV NODE_ENV=production \
    TEMPORAL_WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js \
    MALLOC_ARENA_MAX=2 \
    NODE_OPTIONS=--max-old-space-size=256
# A Worker Deployment version's build id (docker build --build-arg WORKER_BUILD_ID=...); empty: the workflow bundle's
# hash names the version (used only when WORKER_DEPLOYMENT_NAME is set).
ARG WORKER_BUILD_ID=
ENV WORKER_BUILD_ID=${WORKER_BUILD_ID}
COPY package.json package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 8787
CMD ["node", "dist/worker.js"]
