# oas-create-check in a container: `docker build -t oas-create-check .`, then
# `docker run --rm -v "$PWD:/src" -w /src oas-create-check api/openapi.yaml`.
# The image holds the tool and its dependencies only (built from this checkout's wheel).
FROM python:3.12-slim AS build
WORKDIR /build
COPY pyproject.toml README.md ./
COPY oas_create_check ./oas_create_check
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.12-slim
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
    && useradd --create-home --uid 10001 checker
USER checker
WORKDIR /src
ENTRYPOINT ["oas-create-check"]
CMD ["--help"]
