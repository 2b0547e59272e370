# MAML Gateway: `maml serve` (the default command) or `maml worker`, from one image.
# Build: docker build -t maml-gateway .   Run: see docs/deployment.md (bubblewrap needs user namespaces).

FROM node:20-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.base.json ./
COPY src ./src
COPY schema ./schema
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
# The same script the tests run (test/deploy/install-runtime.test.ts): the image's install steps cannot rot.
COPY scripts/install-runtime.sh /usr/local/sbin/install-runtime.sh
RUN bash /usr/local/sbin/install-runtime.sh
WORKDIR /opt/maml
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/schema ./schema
COPY examples ./examples
RUN ln -s /opt/maml/dist/cli/bin.js /usr/local/bin/maml && chmod +x /opt/maml/dist/cli/bin.js
# Not root: blocks are sandboxed by bubblewrap in a user namespace of this user (docs/deployment.md).
USER maml
ENV MAML_STATE_DIR=/home/maml/state MAML_KEYRING=/home/maml/keyring NODE_ENV=production
EXPOSE 8000
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/opt/maml/dist/cli/bin.js"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
