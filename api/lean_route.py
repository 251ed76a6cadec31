"""A route for the one endpoint that answers the most requests: the pupil's question.

FastAPI's request handler does, per request, what a plain endpoint does not need: it solves
the dependency tree (even one of a single ``Request``), validates each parameter on its own
and wraps the result in a response. Once the answer itself comes from kept pieces of the
graph, that handling costs about a tenth of a who-serves request. A :class:`LeanRoute`
calls its endpoint with the request alone; the endpoint reads its parameters in one step
(:mod:`api.pupil_question`) and returns its response itself.

What stays FastAPI's: routing, the OpenAPI operation (written from the route's
``response_model``, ``responses`` and ``openapi_extra`` as for any route), and the
exception handlers, which turn what the endpoint raises into problem+json.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

__all__ = ["LeanRoute"]


class LeanRoute(APIRoute):
    """An API route whose endpoint is ``async def endpoint(request) -> Response``.

    Examples
    --------
    >>> from fastapi import APIRouter
    >>> router = APIRouter(route_class=LeanRoute)
    >>> @router.get("/plain")
    ... async def plain(request: Request) -> Response:
    ...     return Response(b"ok")
    >>> @router.get("/typed")
    ... async def typed(request: Request, name: str) -> Response:
    ...     return Response(name)
    Traceback (most recent call last):
    ...
    TypeError: a LeanRoute's endpoint is async and takes the request alone: typed(request, name)
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        params = list(inspect.signature(endpoint).parameters)
        if len(params) != 1 or not inspect.iscoroutinefunction(endpoint):
            signature = f"{endpoint.__name__}({', '.join(params)})"
            raise TypeError(f"a LeanRoute's endpoint is async and takes the request alone: {signature}")
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        endpoint: Callable[[Request], Awaitable[Response]] = self.endpoint

        async def handle(request: Request) -> Response:
            return await endpoint(request)

        return handle
