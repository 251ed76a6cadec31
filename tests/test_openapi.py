"""The OpenAPI description is the API's manual: every operation under /api/v1 must say what it does
(a summary of its own: FastAPI would otherwise make one of the function's name), what it
answers (a 200 response with a schema), and show an example of a parameter or of the answer.
A new endpoint without them fails here."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from graph.store import GraphStore

JSON = "application/json"


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    """A schema with its ``$ref`` looked up in ``components``."""
    while isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].removeprefix("#/components/schemas/")
        node = spec["components"]["schemas"][name]
    return node


def has_example(spec: dict[str, Any], node: Any, seen: frozenset[str] = frozenset()) -> bool:
    """Whether a schema, a parameter or anything inside it (properties, items, anyOf, …,
    referenced schemas included) carries an example."""
    if isinstance(node, dict):
        if "$ref" in node:
            if node["$ref"] in seen:
                return False
            return has_example(spec, _resolve(spec, node), seen | {node["$ref"]})
        if node.get("example") is not None or node.get("examples"):
            return True
        return any(has_example(spec, v, seen) for v in node.values())
    if isinstance(node, list):
        return any(has_example(spec, v, seen) for v in node)
    return False


def operations(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (path, op)
        for path, item in sorted(spec["paths"].items())
        if path.startswith("/api/v1/")
        for method, op in sorted(item.items())
        if method in ("get", "post", "put", "patch", "delete")
    ]


def made_up_summary(path: str, op: dict[str, Any]) -> str | None:
    """The summary FastAPI makes of the function's name when none is given: its operation id
    is that name, then the path and the method with every other character an underscore."""
    name = op.get("operationId", "")
    for method in ("get", "post", "put", "patch", "delete"):
        tail = re.sub(r"\W", "_", path) + "_" + method
        if name.endswith(tail):
            return name.removesuffix(tail).replace("_", " ").title()
    return None


def missing(spec: dict[str, Any], path: str, op: dict[str, Any]) -> list[str]:
    """What an operation lacks, in words."""
    gaps = []
    summary = (op.get("summary") or "").strip()
    if not summary or summary == made_up_summary(path, op):
        gaps.append("a summary")
    ok = op.get("responses", {}).get("200", {})
    content = ok.get("content", {})
    if JSON in content:
        schema = _resolve(spec, content[JSON].get("schema"))
        if not schema or schema == {} or ("type" not in schema and not schema.get("properties")):
            gaps.append("a 200 response schema")
    elif not content or not ok.get("description"):
        # a picture (SVG) has no JSON schema, but its media type and a description
        gaps.append("a 200 response with a media type and a description")
    examples = (op.get("parameters", []), content, op.get("requestBody", {}))
    if not any(has_example(spec, part) for part in examples):
        gaps.append("an example of a parameter or of the answer")
    return gaps


def test_every_api_v1_operation_is_documented(embedded_store: GraphStore) -> None:
    app = create_app(embedded_store)
    with TestClient(app) as client:
        spec = client.get("/openapi.json").json()
    assert spec == app.openapi()
    ops = operations(spec)
    paths = {p for p, _ in ops}
    # the walk sees the endpoints: the check below cannot pass by checking nothing
    assert {"/api/v1/health", "/api/v1/search/schools", "/api/v1/imports"} <= paths
    gaps = {f"{path} {op['operationId']}": need for path, op in ops if (need := missing(spec, path, op))}
    assert gaps == {}, f"endpoints that lack documentation: {gaps}"


def test_the_check_catches_an_undocumented_endpoint(embedded_store: GraphStore) -> None:
    """The check itself, on an endpoint added without summary, model or example."""
    app = create_app(embedded_store)

    @app.get("/api/v1/undocumented")
    def undocumented(x: int = 0) -> dict[str, int]:
        return {"x": x}

    with TestClient(app) as client:
        spec = client.get("/openapi.json").json()
    op = spec["paths"]["/api/v1/undocumented"]["get"]
    assert op["summary"] == "Undocumented"  # made up by FastAPI: not a summary of its own
    assert missing(spec, "/api/v1/undocumented", op) == [
        "a summary",
        "an example of a parameter or of the answer",
    ]
    path = "/api/v1/search/schools"
    assert missing(spec, path, spec["paths"][path]["get"]) == []


def test_every_documented_error_is_problem_json(embedded_store: GraphStore) -> None:
    """What the handlers send is what the description says: each 4xx/5xx response of every
    operation is the Problem schema as application/problem+json, FastAPI's own validation
    body included (the handler replaces it)."""
    spec = create_app(embedded_store).openapi()
    errors = [
        (path, status, response)
        for path, op in operations(spec)
        for status, response in op.get("responses", {}).items()
        if status[:1] in ("4", "5")
    ]
    assert len(errors) >= 20  # the walk sees them: the check cannot pass by checking nothing
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    wrong = [(path, status) for path, status, response in errors if response.get("content") != problem]
    assert wrong == []
    assert {"title", "status", "detail"} <= set(spec["components"]["schemas"]["Problem"]["properties"])
    assert "HTTPValidationError" not in spec["components"]["schemas"]
