# Multi-stage build of the flexwatch worker: deps (all packages) -> build (TypeScript to dist/)
# -> runtime (production packages and dist/ only). scripts/check-image.sh replays these steps
# without a Docker engine, so keep each RUN line one of the commands that script lists.
#
# Node 24 is an LTS release line (maintenance LTS until April 2028 on the Node.js release
# schedule). The tag pins the major version and Debian 12. Pin a digest in your own builds for
# byte-identical rebuilds.

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Keep optional dependencies: TypeScript 7's compiler is a native binary that npm installs as an
# optional, platform-specific package.
RUN npm ci

FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY jobs ./jobs
RUN npm run build

FROM node:24-bookworm-slim AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
# NOTE: the repository has no published address yet, so the build passes it
# (docs/deployment.md shows the command).
ARG SOURCE_URL=unknown
LABEL org.opencontainers.image.title="flexwatch" \
      org.opencontainers.image.description="Watches MongoDB Atlas flex cluster backup restore jobs and alerts on Slack when one fails or expires." \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"

ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist

# The node user (uid 1000, gid 1000) comes with the base image. The app files stay owned by root,
# so the process cannot change its own code.
USER node
EXPOSE 9464

# No HEALTHCHECK: Kubernetes ignores it and probes /healthz and /readyz itself (see the Helm
# chart), and the slim image has no curl to call them with.
# Exec form makes node PID 1, so it receives SIGTERM directly and drains before it exits.
ENTRYPOINT ["node", "/app/dist/src/cli/main.js"]
CMD ["run"]
