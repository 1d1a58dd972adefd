# nianbao worker / scheduler image: Node 20 + Debian's Chromium (JS-rendered portal lists), CJK fonts, and tesseract with
# its Chinese model + poppler-utils (OCR of scanned PDF pages).
# Browsers come from Debian packages, never from a download at build or run time.
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-noto-cjk ca-certificates tini \
    tesseract-ocr tesseract-ocr-chi-sim poppler-utils \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Dev dependencies too: `nianbao demo` runs the portal simulator, which renders DOCX with the docx package.
RUN npm ci --no-audit --no-fund
COPY . .
ENV NODE_ENV=production \
    NIANBAO_HOME=/data/nianbao \
    CRAWLEE_STORAGE_DIR=/tmp/crawlee
# tini forwards SIGTERM so `nianbao worker` finishes or hands back its current job on `docker compose stop`.
ENTRYPOINT ["tini", "--", "node", "bin/nianbao.js"]
CMD ["worker"]
