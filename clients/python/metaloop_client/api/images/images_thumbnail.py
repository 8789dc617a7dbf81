from http import HTTPStatus
from io import BytesIO
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    project_id: int,
    image_id: int,
    *,
    ticket: None | str | Unset = UNSET,
    if_none_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["if-none-match"] = if_none_match

    params: dict[str, Any] = {}

    json_ticket: None | str | Unset
    if isinstance(ticket, Unset):
        json_ticket = UNSET
    else:
        json_ticket = ticket
    params["ticket"] = json_ticket

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/projects/{project_id}/images/{image_id}/thumbnail".format(
            project_id=quote(str(project_id), safe=""),
            image_id=quote(str(image_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorBody | ErrorBody | HTTPValidationError | File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())

        return response_409

    if response.status_code == 412:
        response_412 = ErrorBody.from_dict(response.json())

        return response_412

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())

        return response_413

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
) -> Response[Any | ErrorBody | ErrorBody | HTTPValidationError | File]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: int,
    image_id: int,
    *,
    client: AuthenticatedClient,
    ticket: None | str | Unset = UNSET,
    if_none_match: None | str | Unset = UNSET,
) -> Response[Any | ErrorBody | ErrorBody | HTTPValidationError | File]:
    """Thumbnail

     A JPEG of at most 256 px a side. Accepts `?ticket=` (a files ticket). `ETag`: its
    sha256; cached as immutable; `If-None-Match` → 304.

    Args:
        project_id (int):
        image_id (int):
        ticket (None | str | Unset): a files ticket (POST /api/tickets) where no header can be
            sent (<img src>, a download link); never the bearer token
        if_none_match (None | str | Unset): ETags the client holds: the same one answers 304

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | ErrorBody | HTTPValidationError | File]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        image_id=image_id,
        ticket=ticket,
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: int,
    image_id: int,
    *,
    client: AuthenticatedClient,
    ticket: None | str | Unset = UNSET,
    if_none_match: None | str | Unset = UNSET,
) -> Any | ErrorBody | ErrorBody | HTTPValidationError | File | None:
    """Thumbnail

     A JPEG of at most 256 px a side. Accepts `?ticket=` (a files ticket). `ETag`: its
    sha256; cached as immutable; `If-None-Match` → 304.

    Args:
        project_id (int):
        image_id (int):
        ticket (None | str | Unset): a files ticket (POST /api/tickets) where no header can be
            sent (<img src>, a download link); never the bearer token
        if_none_match (None | str | Unset): ETags the client holds: the same one answers 304

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | ErrorBody | HTTPValidationError | File
    """

    return sync_detailed(
        project_id=project_id,
        image_id=image_id,
        client=client,
        ticket=ticket,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    project_id: int,
    image_id: int,
    *,
    client: AuthenticatedClient,
    ticket: None | str | Unset = UNSET,
    if_none_match: None | str | Unset = UNSET,
) -> Response[Any | ErrorBody | ErrorBody | HTTPValidationError | File]:
    """Thumbnail

     A JPEG of at most 256 px a side. Accepts `?ticket=` (a files ticket). `ETag`: its
    sha256; cached as immutable; `If-None-Match` → 304.

    Args:
        project_id (int):
        image_id (int):
        ticket (None | str | Unset): a files ticket (POST /api/tickets) where no header can be
            sent (<img src>, a download link); never the bearer token
        if_none_match (None | str | Unset): ETags the client holds: the same one answers 304

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | ErrorBody | HTTPValidationError | File]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        image_id=image_id,
        ticket=ticket,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: int,
    image_id: int,
    *,
    client: AuthenticatedClient,
    ticket: None | str | Unset = UNSET,
    if_none_match: None | str | Unset = UNSET,
) -> Any | ErrorBody | ErrorBody | HTTPValidationError | File | None:
    """Thumbnail

     A JPEG of at most 256 px a side. Accepts `?ticket=` (a files ticket). `ETag`: its
    sha256; cached as immutable; `If-None-Match` → 304.

    Args:
        project_id (int):
        image_id (int):
        ticket (None | str | Unset): a files ticket (POST /api/tickets) where no header can be
            sent (<img src>, a download link); never the bearer token
        if_none_match (None | str | Unset): ETags the client holds: the same one answers 304

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | ErrorBody | HTTPValidationError | File
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            image_id=image_id,
            client=client,
            ticket=ticket,
            if_none_match=if_none_match,
        )
    ).parsed
