# The Orkestra GitHub App (Probot server), as docs/deploy.md runs it.
#   docker build -t orkestra-app .
#   docker run -p 3000:3000 -e APP_ID=… -e PRIVATE_KEY="$(cat key.pem)" -e WEBHOOK_SECRET=… orkestra-app
# tests/app/dockerfile.test.ts checks what this file claims against the repository.

# Build: every dependency (TypeScript among them), then the compiled lib/.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build:lib

# Run: production dependencies only, the compiled lib/ and the manifest; no tsx, no TypeScript.
FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/lib ./lib
COPY app.yml ./
USER node
# Probot listens on localhost unless told otherwise; in a container it must take outside connections.
ENV HOST=0.0.0.0 PORT=3000
EXPOSE 3000
# slim has no curl: node asks the health endpoint (src/app/health.ts).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "lib/app/main.js"]
