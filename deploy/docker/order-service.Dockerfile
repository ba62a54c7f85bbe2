# syntax=docker/dockerfile:1
# The order service's image: the `dist/` that `npm run build` makes and CI tests (node/packages/*/dist), the
# migrations, and the production node_modules of node/package-lock.json.
#   (cd node && npm ci && npm run build)
#   docker build -f deploy/docker/order-service.Dockerfile -t checkout/order-service:0.1.0 .
# Not built in CI: base images cannot be pulled on the CI machine (docs/DEPLOY.md).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS dependencies
WORKDIR /app
COPY node/package.json node/package-lock.json ./
COPY node/packages/core/package.json packages/core/
COPY node/packages/order-service/package.json packages/order-service/
# The lock file's production dependencies only (no TypeScript, no test libraries).
RUN npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=dependencies /app/node_modules node_modules
COPY node/package.json ./
COPY node/packages/core/package.json packages/core/
COPY node/packages/core/dist packages/core/dist
COPY node/packages/order-service/package.json packages/order-service/
COPY node/packages/order-service/dist packages/order-service/dist
COPY node/packages/order-service/migrations packages/order-service/migrations

# A numeric user, so Kubernetes' runAsNonRoot can check it (deploy/base/order-service.yaml runs as 10001 too).
USER 10001:10001
EXPOSE 3000
# The manifests pass: --host 0.0.0.0 --port 3000 --gateway-url … --config /etc/checkout/timeout.json, and
# DATABASE_URL (without it the service would start an embedded PostgreSQL: never in production).
ENTRYPOINT ["node", "packages/order-service/dist/services/order-service.js"]
