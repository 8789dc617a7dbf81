from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    last_event_id_query: None | str | Unset = UNSET,
    ticket: None | str | Unset = UNSET,
    last_event_id_header: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id_header, Unset):
        headers["last-event-id"] = last_event_id_header

    params: dict[str, Any] = {}

    json_last_event_id_query: None | str | Unset
    if isinstance(last_event_id_query, Unset):
        json_last_event_id_query = UNSET
    else:
        json_last_event_id_query = last_event_id_query
    params["last_event_id"] = json_last_event_id_query

    json_ticket: None | str | Unset
    if isinstance(ticket, Unset):
        json_ticket = UNSET
    else:
        json_ticket = ticket
    params["ticket"] = json_ticket

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/events",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorBody | ErrorBody | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
        return response_200

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.text)

        return response_401

    if response.status_code == 422:

        def _parse_response_422(data: object) -> ErrorBody | HTTPValidationError:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_422_type_0 = ErrorBody.from_dict(data)

                return response_422_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_422_type_1 = HTTPValidationError.from_dict(data)

            return response_422_type_1

        response_422 = _parse_response_422(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | ErrorBody | ErrorBody | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    last_event_id_query: None | str | Unset = UNSET,
    ticket: None | str | Unset = UNSET,
    last_event_id_header: None | str | Unset = UNSET,
) -> Response[Any | ErrorBody | ErrorBody | HTTPValidationError]:
    """Stream

     Job, task and worker events as SSE: `event: job|task|worker`, `id:` the event's id,
    `data:` the event as JSON (JobEvent, TaskEvent or WorkerEvent). Events of the user's
    projects and of all workers. With `Last-Event-ID`, the logged events after that id are sent
    first (kept for EVENT_RETENTION_SECONDS). The stream survives a restart of the event broker
    (it re-subscribes and sends what was logged meanwhile) and ends within
    SSE_ACCESS_CHECK_SECONDS once the user's token is revoked (logout); events of a project the
    user was removed from stop within that time.

    Args:
        last_event_id_query (None | str | Unset): as the Last-Event-ID header, for a client that
            opens a new stream (the header wins)
        ticket (None | str | Unset): an events ticket (POST /api/tickets) for EventSource, which
            cannot send headers; never the bearer token
        last_event_id_header (None | str | Unset): the id of the last event received: the events
            after it are sent first (browsers send it when they reconnect)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | ErrorBody | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        last_event_id_query=last_event_id_query,
        ticket=ticket,
        last_event_id_header=last_event_id_header,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    last_event_id_query: None | str | Unset = UNSET,
    ticket: None | str | Unset = UNSET,
    last_event_id_header: None | str | Unset = UNSET,
) -> Any | ErrorBody | ErrorBody | HTTPValidationError | None:
    """Stream

     Job, task and worker events as SSE: `event: job|task|worker`, `id:` the event's id,
    `data:` the event as JSON (JobEvent, TaskEvent or WorkerEvent). Events of the user's
    projects and of all workers. With `Last-Event-ID`, the logged events after that id are sent
    first (kept for EVENT_RETENTION_SECONDS). The stream survives a restart of the event broker
    (it re-subscribes and sends what was logged meanwhile) and ends within
    SSE_ACCESS_CHECK_SECONDS once the user's token is revoked (logout); events of a project the
    user was removed from stop within that time.

    Args:
        last_event_id_query (None | str | Unset): as the Last-Event-ID header, for a client that
            opens a new stream (the header wins)
        ticket (None | str | Unset): an events ticket (POST /api/tickets) for EventSource, which
            cannot send headers; never the bearer token
        last_event_id_header (None | str | Unset): the id of the last event received: the events
            after it are sent first (browsers send it when they reconnect)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | ErrorBody | HTTPValidationError
    """

    return sync_detailed(
        client=client,
        last_event_id_query=last_event_id_query,
        ticket=ticket,
        last_event_id_header=last_event_id_header,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    last_event_id_query: None | str | Unset = UNSET,
    ticket: None | str | Unset = UNSET,
    last_event_id_header: None | str | Unset = UNSET,
) -> Response[Any | ErrorBody | ErrorBody | HTTPValidationError]:
    """Stream

     Job, task and worker events as SSE: `event: job|task|worker`, `id:` the event's id,
    `data:` the event as JSON (JobEvent, TaskEvent or WorkerEvent). Events of the user's
    projects and of all workers. With `Last-Event-ID`, the logged events after that id are sent
    first (kept for EVENT_RETENTION_SECONDS). The stream survives a restart of the event broker
    (it re-subscribes and sends what was logged meanwhile) and ends within
    SSE_ACCESS_CHECK_SECONDS once the user's token is revoked (logout); events of a project the
    user was removed from stop within that time.

    Args:
        last_event_id_query (None | str | Unset): as the Last-Event-ID header, for a client that
            opens a new stream (the header wins)
        ticket (None | str | Unset): an events ticket (POST /api/tickets) for EventSource, which
            cannot send headers; never the bearer token
        last_event_id_header (None | str | Unset): the id of the last event received: the events
            after it are sent first (browsers send it when they reconnect)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | ErrorBody | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        last_event_id_query=last_event_id_query,
        ticket=ticket,
        last_event_id_header=last_event_id_header,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    last_event_id_query: None | str | Unset = UNSET,
    ticket: None | str | Unset = UNSET,
    last_event_id_header: None | str | Unset = UNSET,
) -> Any | ErrorBody | ErrorBody | HTTPValidationError | None:
    """Stream

     Job, task and worker events as SSE: `event: job|task|worker`, `id:` the event's id,
    `data:` the event as JSON (JobEvent, TaskEvent or WorkerEvent). Events of the user's
    projects and of all workers. With `Last-Event-ID`, the logged events after that id are sent
    first (kept for EVENT_RETENTION_SECONDS). The stream survives a restart of the event broker
    (it re-subscribes and sends what was logged meanwhile) and ends within
    SSE_ACCESS_CHECK_SECONDS once the user's token is revoked (logout); events of a project the
    user was removed from stop within that time.

    Args:
        last_event_id_query (None | str | Unset): as the Last-Event-ID header, for a client that
            opens a new stream (the header wins)
        ticket (None | str | Unset): an events ticket (POST /api/tickets) for EventSource, which
            cannot send headers; never the bearer token
        last_event_id_header (None | str | Unset): the id of the last event received: the events
            after it are sent first (browsers send it when they reconnect)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | ErrorBody | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            client=client,
            last_event_id_query=last_event_id_query,
            ticket=ticket,
            last_event_id_header=last_event_id_header,
        )
    ).parsed
