from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.http_validation_error import HTTPValidationError
from ...models.ticket_out import TicketOut
from ...models.ticket_request import TicketRequest
from ...types import Response


def _get_kwargs(
    *,
    body: TicketRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/tickets",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ErrorBody | HTTPValidationError | TicketOut | None:
    if response.status_code == 201:
        response_201 = TicketOut.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

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
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | TicketOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TicketRequest,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | TicketOut]:
    """Create

     A ticket for a URL, made with the bearer token in the header: an events ticket opens the
    event stream within EVENT_TICKET_SECONDS (60); a files ticket reads one project's files for
    FILE_TICKET_SECONDS (900). Logging out (revoking that token) ends its tickets.

    Args:
        body (TicketRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | TicketOut]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: TicketRequest,
) -> ErrorBody | ErrorBody | HTTPValidationError | TicketOut | None:
    """Create

     A ticket for a URL, made with the bearer token in the header: an events ticket opens the
    event stream within EVENT_TICKET_SECONDS (60); a files ticket reads one project's files for
    FILE_TICKET_SECONDS (900). Logging out (revoking that token) ends its tickets.

    Args:
        body (TicketRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | TicketOut
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TicketRequest,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | TicketOut]:
    """Create

     A ticket for a URL, made with the bearer token in the header: an events ticket opens the
    event stream within EVENT_TICKET_SECONDS (60); a files ticket reads one project's files for
    FILE_TICKET_SECONDS (900). Logging out (revoking that token) ends its tickets.

    Args:
        body (TicketRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | TicketOut]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: TicketRequest,
) -> ErrorBody | ErrorBody | HTTPValidationError | TicketOut | None:
    """Create

     A ticket for a URL, made with the bearer token in the header: an events ticket opens the
    event stream within EVENT_TICKET_SECONDS (60); a files ticket reads one project's files for
    FILE_TICKET_SECONDS (900). Logging out (revoking that token) ends its tickets.

    Args:
        body (TicketRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | TicketOut
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
