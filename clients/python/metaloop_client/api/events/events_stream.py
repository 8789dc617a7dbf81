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
    access_token: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_access_token: None | str | Unset
    if isinstance(access_token, Unset):
        json_access_token = UNSET
    else:
        json_access_token = access_token
    params["access_token"] = json_access_token

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/events",
        "params": params,
    }

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
    access_token: None | str | Unset = UNSET,
) -> Response[Any | ErrorBody | ErrorBody | HTTPValidationError]:
    """Stream

     Job, task and worker events as SSE: `event: job|task|worker`, `data:` the event as JSON
    (JobEvent, TaskEvent or WorkerEvent). Events of the user's projects and of all workers.

    Args:
        access_token (None | str | Unset): EventSource cannot set headers

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | ErrorBody | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        access_token=access_token,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    access_token: None | str | Unset = UNSET,
) -> Any | ErrorBody | ErrorBody | HTTPValidationError | None:
    """Stream

     Job, task and worker events as SSE: `event: job|task|worker`, `data:` the event as JSON
    (JobEvent, TaskEvent or WorkerEvent). Events of the user's projects and of all workers.

    Args:
        access_token (None | str | Unset): EventSource cannot set headers

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | ErrorBody | HTTPValidationError
    """

    return sync_detailed(
        client=client,
        access_token=access_token,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    access_token: None | str | Unset = UNSET,
) -> Response[Any | ErrorBody | ErrorBody | HTTPValidationError]:
    """Stream

     Job, task and worker events as SSE: `event: job|task|worker`, `data:` the event as JSON
    (JobEvent, TaskEvent or WorkerEvent). Events of the user's projects and of all workers.

    Args:
        access_token (None | str | Unset): EventSource cannot set headers

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | ErrorBody | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        access_token=access_token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    access_token: None | str | Unset = UNSET,
) -> Any | ErrorBody | ErrorBody | HTTPValidationError | None:
    """Stream

     Job, task and worker events as SSE: `event: job|task|worker`, `data:` the event as JSON
    (JobEvent, TaskEvent or WorkerEvent). Events of the user's projects and of all workers.

    Args:
        access_token (None | str | Unset): EventSource cannot set headers

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | ErrorBody | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            client=client,
            access_token=access_token,
        )
    ).parsed
