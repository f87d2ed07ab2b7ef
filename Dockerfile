# pinn-service on Debian 12 with the Swift toolchain (the pinn client needs libcurl4 for FoundationNetworking). The build steps are the project's scripts, which .ci/run
# also runs (scripts/install-dependencies.sh, scripts/build-release.sh).
FROM swift:6.3-bookworm AS build
WORKDIR /src
COPY . .
RUN scripts/install-dependencies.sh && scripts/build-release.sh

FROM swift:6.3-bookworm-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libopenblas0-pthread libsqlite3-0 libpq5 libmicrohttpd12 libcurl4 zlib1g curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /srv/pinn pinn
WORKDIR /srv/pinn
COPY --from=build /src/.build/release/pinn-server /src/.build/release/pinn /usr/local/bin/
# The dashboard (Sources/PINNService/Dashboard/Web) needs no copy: the EmbedDashboard plugin compiled it into pinn-server.
# The PINN module's resources (the Allen–Cahn reference grid): Bundle.module looks for them beside the executable.
COPY --from=build /src/.build/release/pinn-service_PINN.resources /usr/local/bin/pinn-service_PINN.resources
COPY config/ ./config/
RUN mkdir -p data && chown pinn:pinn data
USER pinn
ENV PINN_HOST=0.0.0.0 PINN_STORE_PATH=/srv/pinn/data/pinn.sqlite
EXPOSE 8080
VOLUME ["/srv/pinn/data"]
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
CMD ["pinn-server"]
