"""oas-create-check: lint and fix resource creation in OpenAPI documents."""

__version__ = "0.1.0"
